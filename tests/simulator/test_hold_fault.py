"""The `hold` fault: a request parked until the test releases it, so a test can act while it is provably in flight.

Guarantees: a held request is not handled (no upstream effect) until released, and then is handled with its body
intact, or fails as the fault says; a request whose client hangs up while held is dropped, never handled; `times`
bounds what is held; clearing the faults lets everything parked go on.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.support.asserts import wait_for


def in_background(call: Any) -> Future[Any]:
    pool = ThreadPoolExecutor(1)
    future = pool.submit(call)
    pool.shutdown(wait=False)
    return future


def test_a_held_create_waits_for_the_release_then_is_handled_with_its_body(sim: Any) -> None:
    body = {"conversation_engine": {"type": "openai-realtime", "client_secret": sim.mint()}}
    hold = sim.control.hold("avaturn.create")
    answer = in_background(lambda: sim.create(body))
    sim.control.wait_held(hold["id"], 1)
    assert sim.control.sessions() == [], "held: the provider has not handled it"
    assert sim.control.health()  # the control API and other routes are not held
    assert not answer.done()
    assert sim.control.release(hold["id"])["held"] == 1
    resp = answer.result(timeout=10)
    assert resp.status_code == 200, resp.text  # the body read while holding reached the route
    assert [s["id"] for s in sim.control.sessions()] == [resp.json()["session_id"]]
    assert sim.control.held(hold["id"]) == 0 and not sim.control.faults(), "a released hold holds no more"
    assert sim.create().status_code == 200


def test_a_held_request_fails_as_the_fault_says_once_released(sim: Any) -> None:
    sid = sim.session()["session_id"]
    hold = sim.control.hold("avaturn.delete", status=503)
    answer = in_background(lambda: sim.http.delete(f"/api/v1/sessions/{sid}", headers=sim.auth()))
    sim.control.wait_held(hold["id"], 1)
    sim.control.release(hold["id"])
    assert answer.result(timeout=10).status_code == 503
    assert sim.control.session(sid)["alive"]


def test_a_client_that_hangs_up_while_held_is_dropped_unhandled(sim: Any) -> None:
    sid = sim.session()["session_id"]
    hold = sim.control.hold("avaturn.delete")
    with httpx.Client(base_url=sim.url, timeout=0.5) as impatient, pytest.raises(httpx.TimeoutException):
        impatient.delete(f"/api/v1/sessions/{sid}", headers=sim.auth())
    dropped = wait_for(
        lambda: [r for r in sim.control.requests("avaturn.delete") if r["dropped"]],
        what="the simulator to notice the hang-up",
    )
    assert dropped[0]["status"] is None and dropped[0]["fault"] == hold["id"]
    assert sim.control.held(hold["id"]) == 0
    sim.control.release(hold["id"])
    assert sim.control.session(sid)["alive"], "a dropped request never reached the provider"


def test_times_bounds_a_hold_and_clearing_faults_lets_everything_go(sim: Any) -> None:
    sids = [sim.session()["session_id"] for _ in range(3)]
    once = sim.control.hold("avaturn.delete", times=1)
    first = in_background(lambda: sim.http.delete(f"/api/v1/sessions/{sids[0]}", headers=sim.auth()))
    sim.control.wait_held(once["id"], 1)
    assert sim.http.delete(f"/api/v1/sessions/{sids[1]}", headers=sim.auth()).status_code == 200  # not held
    assert sim.control.held(once["id"]) == 1
    every = sim.control.hold("avaturn.delete")
    third = in_background(lambda: sim.http.delete(f"/api/v1/sessions/{sids[2]}", headers=sim.auth()))
    sim.control.wait_held(every["id"], 1)
    sim.control.clear_faults()
    assert first.result(timeout=10).status_code == third.result(timeout=10).status_code == 200
    assert not sim.control.alive_sessions()


def test_many_requests_held_together_are_released_together(sim: Any) -> None:
    sids = [sim.session()["session_id"] for _ in range(5)]
    hold = sim.control.hold("avaturn.delete")
    start = threading.Barrier(len(sids))

    def end(sid: str) -> int:
        start.wait(10)
        with httpx.Client(base_url=sim.url, timeout=10) as client:
            return client.delete(f"/api/v1/sessions/{sid}", headers=sim.auth()).status_code

    with ThreadPoolExecutor(len(sids)) as pool:
        answers = [pool.submit(end, sid) for sid in sids]
        sim.control.wait_held(hold["id"], len(sids))
        assert len(sim.control.alive_sessions()) == len(sids)
        sim.control.release(hold["id"])
        assert [a.result(timeout=10) for a in answers] == [200] * len(sids)
    assert not sim.control.alive_sessions()


def test_a_bad_hold_is_refused(sim: Any) -> None:
    with pytest.raises(ValueError, match="booleans"):
        sim.control.fault("avaturn.create", hold="yes")
    with pytest.raises(ValueError, match="404"):
        sim.control.release(999_999)
