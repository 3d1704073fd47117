"""The calls @avaturn-live/web-sdk makes on /_sdk/v0, including CORS from a page's origin."""

from __future__ import annotations

from typing import Any

ORIGIN = "http://page.example:5173"


def sdk(token: str | None) -> dict[str, str]:
    return {"X-Session-Token": token} if token else {}


def test_sdk_calls_while_alive_and_not_after_delete(sim: Any) -> None:
    created = sim.session(background="transparent")
    sid, token = created["session_id"], created["token"]
    resp = sim.http.get("/_sdk/v0/sessions", headers={**sdk(token), "Origin": ORIGIN})
    assert resp.status_code == 200 and resp.headers["access-control-allow-origin"] == ORIGIN
    body = resp.json()
    assert body["id"] == sid and body["limited_access_token"] and body["room_url"].startswith("https://")
    assert body["session_config"] == {"uses_stacked_alpha": True}
    assert sim.http.post("/_sdk/v0/sessions/tasks", json={"text": "hi"}, headers=sdk(token)).json()["task_id"]
    assert sim.http.post("/_sdk/v0/sessions/cancel_all_speech_tasks", headers=sdk(token)).status_code == 200
    assert sim.http.patch("/_sdk/v0/sessions/config", json={"voice": "x"}, headers=sdk(token)).status_code == 200
    assert sim.http.post("/_sdk/v0/sessions/start_stream", headers=sdk(token)).status_code == 200
    truth = sim.control.session(sid)
    assert truth["sdk_calls"] == 5 and truth["last_sdk_contact_at"] >= truth["created_at"]

    assert sim.http.delete(f"/api/v1/sessions/{sid}", headers=sim.auth()).status_code == 200
    gone = sim.http.get("/_sdk/v0/sessions", headers={**sdk(token), "Origin": ORIGIN})
    assert gone.status_code == 404 and gone.headers["access-control-allow-origin"] == ORIGIN
    assert sim.control.session(sid)["sdk_calls"] == 5


def test_default_background_and_bad_tokens(sim: Any) -> None:
    token = sim.session()["token"]
    assert sim.http.get("/_sdk/v0/sessions", headers=sdk(token)).json()["session_config"] == {
        "uses_stacked_alpha": False
    }
    assert sim.http.get("/_sdk/v0/sessions", headers=sdk(None)).status_code == 401
    assert sim.http.get("/_sdk/v0/sessions", headers=sdk("unknown")).status_code == 404


def test_cors_preflight_from_a_foreign_origin(sim: Any) -> None:
    resp = sim.http.options(
        "/_sdk/v0/sessions/config",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "x-session-token, content-type",
        },
    )
    assert resp.status_code == 204
    assert resp.headers["access-control-allow-origin"] == ORIGIN
    assert "PATCH" in resp.headers["access-control-allow-methods"]
    assert "x-session-token" in resp.headers["access-control-allow-headers"].lower()
