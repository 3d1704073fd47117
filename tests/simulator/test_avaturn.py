"""Avaturn Live REST: validation like the real service, secrets used once, sessions per key."""

from __future__ import annotations

from typing import Any

import pytest


def engine(sim: Any) -> dict[str, Any]:
    return {"type": "openai-realtime", "client_secret": sim.mint()}


def test_create_with_a_fresh_secret(sim: Any) -> None:
    secret = sim.mint()
    resp = sim.create(
        {"conversation_engine": {"type": "openai-realtime", "client_secret": secret}, "render_model": "golf"}
    )
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"session_id", "token"}
    truth = sim.control.session(body["session_id"])
    assert truth["alive"] and truth["engine"] == "openai-realtime" and truth["model"] == "golf"
    assert (
        truth["avatar_id"] == "jane_20240829" and truth["max_duration"] == 3600 and truth["user_absent_timeout"] == 60
    )
    assert truth["engine_detail"]["session"]["instructions"] == "Be brief."
    [used] = sim.control.secrets()
    assert used["used_by_session"] == body["session_id"]


def test_secret_cannot_be_reused_or_forged_or_used_late(sim: Any) -> None:
    secret = sim.mint(seconds=30)
    assert sim.create({"conversation_engine": {"type": "openai-realtime", "client_secret": secret}}).status_code == 200
    again = sim.create({"conversation_engine": {"type": "openai-realtime", "client_secret": secret}})
    assert again.status_code == 400 and "already used" in again.json()["detail"]
    forged = sim.create({"conversation_engine": {"type": "openai-realtime", "client_secret": "ek_forged"}})
    assert forged.status_code == 400 and "not issued" in forged.json()["detail"]
    late = sim.mint(seconds=30)
    sim.control.advance_clock(31)
    expired = sim.create({"conversation_engine": {"type": "openai-realtime", "client_secret": late}})
    assert expired.status_code == 400 and "expired" in expired.json()["detail"]


def test_unknown_missing_or_revoked_key_is_401(sim: Any) -> None:
    assert sim.create({"conversation_engine": engine(sim)}, key="av-unknown").status_code == 401
    resp = sim.http.post("/api/v1/sessions", json={"conversation_engine": engine(sim)})
    assert resp.status_code == 401 and isinstance(resp.json()["detail"], str)
    sim.control.revoke_key("avaturn", sim.avaturn_key)
    assert sim.create({"conversation_engine": engine(sim)}).status_code == 401


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "conversation_engine"]),
        (
            {"conversation_engine": {"type": "openai-realtime"}},
            ["body", "conversation_engine", "openai-realtime", "client_secret"],
        ),
        (
            {"conversation_engine": {"type": "cartesia", "agent_id": "a"}},
            ["body", "conversation_engine", "cartesia", "access_token"],
        ),
        (
            {"conversation_engine": {"type": "cartesia", "access_token": "t"}},
            ["body", "conversation_engine", "cartesia", "agent_id"],
        ),
        ({"conversation_engine": {"type": "gpt"}}, ["body", "conversation_engine"]),
    ],
)
def test_missing_engine_fields_are_422(sim: Any, body: dict[str, Any], loc: list[str]) -> None:
    resp = sim.create(body)
    assert resp.status_code == 422
    [err] = resp.json()["detail"]
    assert err["loc"] == loc and err["msg"] and err["type"]


@pytest.mark.parametrize(
    "extra",
    [
        {"max_duration": 59},
        {"max_duration": 86401},
        {"user_absent_timeout": 9},
        {"user_absent_timeout": 3601},
        {"model": "alpha"},
        {"render_model": "omega"},
        {"background": "green"},
    ],
)
def test_out_of_range_settings_are_400_and_keep_the_secret(sim: Any, extra: dict[str, Any]) -> None:
    resp = sim.create(**extra)
    assert resp.status_code == 400 and isinstance(resp.json()["detail"], str)
    assert sim.control.sessions() == []
    assert all(s["used_by_session"] is None for s in sim.control.secrets())


def test_cartesia_engine_needs_a_minted_token(sim: Any) -> None:
    token = sim.http.post(
        "/access-token",
        json={"grants": {"agent": True}, "expires_in": 60},
        headers={**sim.auth(sim.cartesia_key), "Cartesia-Version": "2026-03-01"},
    ).json()["token"]
    ok = sim.create({"conversation_engine": {"type": "cartesia", "access_token": token, "agent_id": "agent_1"}})
    assert ok.status_code == 200
    bad = sim.create({"conversation_engine": {"type": "cartesia", "access_token": "made-up", "agent_id": "agent_1"}})
    assert bad.status_code == 400


def test_external_and_text_echo_engines(sim: Any) -> None:
    ext = {
        "type": "external",
        "url": "wss://engine.example/ws",
        "audio": {"user": {"sample_rate": 16000}},
        "headers": {"Authorization": "Bearer tenant-engine-secret"},
    }
    ok = sim.create({"conversation_engine": ext})
    assert ok.status_code == 200
    assert "tenant-engine-secret" not in str(sim.control.sessions())
    assert sim.create({"conversation_engine": {**ext, "url": "https://x"}}).status_code == 400
    assert sim.create({"conversation_engine": {**ext, "audio": {"user": {"sample_rate": 8000}}}}).status_code == 400
    echo = sim.create({"conversation_engine": {"type": "text-echo", "tts": {"engine": "elevenlabs", "voice_id": "v1"}}})
    assert echo.status_code == 200
    assert (
        sim.create({"conversation_engine": {"type": "text-echo", "tts": {"engine": "elevenlabs"}}}).status_code == 422
    )


def test_tasks_and_delete(sim: Any) -> None:
    sid = sim.create(
        {"conversation_engine": {"type": "text-echo", "tts": {"engine": "elevenlabs", "voice_id": "v"}}}
    ).json()["session_id"]
    task = sim.http.post(f"/api/v1/sessions/{sid}/tasks", json={"text": "hello"}, headers=sim.auth())
    assert task.status_code == 200 and task.json()["task_id"]
    # a session belongs to its creator's key
    assert (
        sim.http.post(
            f"/api/v1/sessions/{sid}/tasks", json={"text": "x"}, headers=sim.auth(sim.avaturn_key_2)
        ).status_code
        == 404
    )
    assert sim.http.delete(f"/api/v1/sessions/{sid}", headers=sim.auth(sim.avaturn_key_2)).status_code == 404
    done = sim.http.delete(f"/api/v1/sessions/{sid}", headers=sim.auth())
    assert done.status_code == 200 and done.json() == {}
    truth = sim.control.session(sid)
    assert not truth["alive"] and truth["end_cause"] == "deleted" and truth["ended_at"] is not None
    again = sim.http.delete(f"/api/v1/sessions/{sid}", headers=sim.auth())
    assert again.status_code == 404 and again.json() == {"detail": "Session not found"}
    assert sim.http.post(f"/api/v1/sessions/{sid}/tasks", json={"text": "x"}, headers=sim.auth()).status_code == 404
    assert sim.http.delete("/api/v1/sessions/nope", headers=sim.auth()).status_code == 404


def test_tasks_need_the_text_echo_engine(sim: Any) -> None:
    sid = sim.session()["session_id"]
    assert sim.http.post(f"/api/v1/sessions/{sid}/tasks", json={"text": "hi"}, headers=sim.auth()).status_code == 400
