"""Injected faults: latency, provider-shaped statuses, hangs, dropped connections, counts, after-effects."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import openai
import pytest


def test_latency_is_added_without_blocking_others(sim: Any) -> None:
    sim.control.fault("avaturn.create", latency_ms=400)
    body = {"conversation_engine": {"type": "openai-realtime", "client_secret": sim.mint()}}
    took: list[float] = []

    def slow() -> None:
        t0 = time.monotonic()
        assert sim.create(body).status_code == 200
        took.append(time.monotonic() - t0)

    worker = threading.Thread(target=slow)
    worker.start()
    # The slow request has reached the simulator (it logs a request as it arrives) and is sleeping there.
    deadline = time.monotonic() + 5
    while not sim.control.requests("avaturn.create") and time.monotonic() < deadline:
        time.sleep(0.005)
    assert sim.control.requests("avaturn.create"), "the slow request never arrived"
    t0 = time.monotonic()
    assert sim.control.health()
    assert time.monotonic() - t0 < 0.3  # the sleeping request does not hold up the server
    worker.join()
    assert took and took[0] >= 0.4
    assert len(sim.control.alive_sessions()) == 1


def test_status_fault_answers_in_the_providers_shape_and_has_no_effect(sim: Any) -> None:
    fault = sim.control.fault("avaturn.create", status=503)
    resp = sim.create()
    assert resp.status_code == 503 and isinstance(resp.json()["detail"], str)
    assert sim.control.sessions() == []  # the session was NOT created
    assert [f["hits"] for f in sim.control.faults() if f["id"] == fault["id"]] == [1]

    sim.control.fault("openai.client_secrets", status=500, message="upstream on fire")
    with sim.openai() as c, pytest.raises(openai.InternalServerError) as err:
        c.realtime.client_secrets.create(session=sim.session_config)
    assert isinstance(err.value.body, dict) and err.value.body["message"] == "upstream on fire"  # SDK unwraps "error"

    sim.control.fault("cartesia.access_token", status=429)
    resp = sim.http.post(
        "/access-token",
        json={"expires_in": 60},
        headers={**sim.auth(sim.cartesia_key), "Cartesia-Version": "2026-03-01"},
    )
    assert resp.status_code == 429 and set(resp.json()) >= {"error_code", "title", "message", "request_id"}

    sim.control.fault("sdk", status=500)
    assert sim.http.get("/_sdk/v0/sessions", headers={"X-Session-Token": "t"}).json()["detail"]


def test_timeout_hangs_until_the_client_gives_up(sim: Any) -> None:
    sim.control.fault("avaturn.create", timeout=True)
    with httpx.Client(base_url=sim.url, timeout=0.3) as short:
        t0 = time.monotonic()
        with pytest.raises(httpx.TimeoutException):
            short.post("/api/v1/sessions", json={"conversation_engine": {}}, headers=sim.auth())
        assert time.monotonic() - t0 < 2
    assert sim.control.health()
    assert sim.control.sessions() == []


def test_reset_drops_the_connection(sim: Any) -> None:
    sim.control.fault("avaturn.delete", reset=True)
    sid = sim.session()["session_id"]
    with pytest.raises(httpx.TransportError):
        sim.http.delete(f"/api/v1/sessions/{sid}", headers=sim.auth())
    assert sim.control.session(sid)["alive"]  # without after_effect nothing happened upstream

    sim.control.fault("openai.client_secrets", reset=True)
    with sim.openai() as c, pytest.raises(openai.APIConnectionError):
        c.realtime.client_secrets.create(session=sim.session_config)


def test_times_limits_a_fault(sim: Any) -> None:
    sim.control.fault("avaturn.create", status=502, times=2)
    assert [sim.create().status_code for _ in range(3)] == [502, 502, 200]
    assert sim.control.faults() == []


def test_newest_fault_wins_and_wildcard_and_rates(sim: Any) -> None:
    body = {"conversation_engine": {"type": "openai-realtime", "client_secret": sim.mint()}}
    sim.control.fault("*", status=500)
    sim.control.fault("avaturn.create", status=409, times=1)
    assert sim.create(body).status_code == 409
    assert sim.create(body).status_code == 500
    assert sim.http.get("/_sdk/v0/sessions", headers={"X-Session-Token": "t"}).status_code == 500
    sim.control.clear_faults()
    sim.control.fault("avaturn.create", status=500, error_rate=0)
    assert sim.create(body).status_code == 200
    with pytest.raises(ValueError):
        sim.control.fault("nope.route", status=500)
    with pytest.raises(ValueError):
        sim.control.fault("avaturn.create", after_effect=True)


@pytest.mark.parametrize("kind", ["reset", "timeout"])
def test_after_effect_creates_the_session_but_loses_the_answer(sim: Any, kind: str) -> None:
    body = {"conversation_engine": {"type": "openai-realtime", "client_secret": sim.mint()}}
    sim.control.fault("avaturn.create", after_effect=True, **{kind: True})
    with httpx.Client(base_url=sim.url, timeout=0.5) as short, pytest.raises(httpx.TransportError):
        short.post("/api/v1/sessions", json=body, headers=sim.auth())
    [orphan] = sim.control.alive_sessions()  # created upstream; the caller never learned its id
    assert orphan["engine"] == "openai-realtime"


def test_after_effect_with_status_on_delete(sim: Any) -> None:
    sid = sim.session()["session_id"]
    sim.control.fault("avaturn.delete", status=502, after_effect=True)
    assert sim.http.delete(f"/api/v1/sessions/{sid}", headers=sim.auth()).status_code == 502
    assert sim.control.session(sid)["end_cause"] == "deleted"
