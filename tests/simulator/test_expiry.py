"""Sessions end like the real service's: at max_duration or after user_absent_timeout, at the deadline."""

from __future__ import annotations

from typing import Any

import pytest


def test_ends_at_max_duration(sim: Any) -> None:
    sid = sim.session(max_duration=60, user_absent_timeout=3600)["session_id"]
    sim.control.advance_clock(59)
    assert sim.control.session(sid)["alive"]
    sim.control.advance_clock(2)
    truth = sim.control.session(sid)
    assert not truth["alive"] and truth["end_cause"] == "max_duration"
    assert truth["ended_at"] == pytest.approx(truth["created_at"] + 60)
    assert sim.control.alive_sessions() == []


def test_ends_when_the_user_is_absent(sim: Any) -> None:
    created = sim.session(user_absent_timeout=30)
    sim.control.advance_clock(20)
    assert sim.http.get("/_sdk/v0/sessions", headers={"X-Session-Token": created["token"]}).status_code == 200
    sim.control.advance_clock(25)  # 45 s after creation, 25 s after the SDK's contact: alive
    truth = sim.control.session(created["session_id"])
    assert truth["alive"]
    sim.control.advance_clock(10)
    truth = sim.control.session(created["session_id"])
    assert not truth["alive"] and truth["end_cause"] == "user_absent"
    assert truth["ended_at"] == pytest.approx(truth["last_sdk_contact_at"] + 30)
    assert sim.http.get("/_sdk/v0/sessions", headers={"X-Session-Token": created["token"]}).status_code == 404
    assert sim.http.delete(f"/api/v1/sessions/{created['session_id']}", headers=sim.auth()).status_code == 404


def test_never_joined_session_ends_after_the_default_absence(sim: Any) -> None:
    sid = sim.session()["session_id"]
    sim.control.advance_clock(61)
    truth = sim.control.session(sid)
    assert truth["end_cause"] == "user_absent" and truth["ended_at"] == pytest.approx(truth["created_at"] + 60)
    assert truth["sdk_calls"] == 0
