"""A 60 s provider outage during which 100 sessions are terminated.

Invariant: every termination reaches the provider within 30 s of its recovery, and none is delivered
twice (the provider acknowledges each DELETE once). Its own simulator and database: the outage must not
touch the other tests.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import httpx
import pytest

from app.cli.serving import ServerThread
from app.main import create_app
from devtools.simulator.control import SimulatorControl
from tests.faults.isolated import isolated
from tests.support.asserts import wait_for

pytestmark = pytest.mark.slow

OUTAGE_S = float(os.environ.get("GREENROOM_FAULT_OUTAGE_S", 60))
SESSIONS = 100


def test_kills_during_a_provider_outage_are_delivered_after_it_once() -> None:
    with isolated() as iso:
        # Nobody joins these sessions: keep Avaturn's absent timeout longer than the outage, or the
        # provider would end them by itself and hide whether our DELETEs arrive.
        iso.owner.execute(
            "update agents set avatar = jsonb_set(avatar, '{user_absent_timeout}', '600') where tenant_id = $1",
            iso.tenant.tenant_id,
        )
        with ServerThread(create_app(iso.settings), port=iso.port) as app:
            figures = _outage(app.url, iso.tenant, iso.sim, iso)
    print(
        f"{SESSIONS} kills during a {OUTAGE_S:.0f} s outage: all delivered {figures['last_s']:.1f} s after recovery "
        f"(p50 {figures['p50_s']:.1f} s); failed DELETE attempts during the outage: {figures['failed_attempts']}"
    )
    assert figures["last_s"] <= 30, figures


def _outage(url: str, tenant, sim: SimulatorControl, iso) -> dict:
    key = {"Authorization": f"Bearer {tenant.server_key}"}
    with httpx.Client(base_url=url, timeout=30, headers=key) as client:
        started = [client.post("/v1/sessions", json={"agent": "demo"}).json()["session_id"] for _ in range(SESSIONS)]
        upstream = {s["id"] for s in sim.alive_sessions()}
        assert len(upstream) == SESSIONS
        sim.fault("avaturn.delete", status=503)  # the provider is down for its DELETEs
        outage_began = time.monotonic()
        for sid in started:
            assert client.delete(f"/v1/sessions/{sid}").json()["state"] == "terminated"  # at once, for Greenroom
        # The outage itself: its length is what is under test (the retries' backoff grows through it), not a wait
        # for something to happen. It lasts at least until every kill has met it (one refused DELETE each).
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - outage_began)))
        wait_for(
            lambda: len({r["path"] for r in sim.requests("avaturn.delete") if r["status"] == 503}) == SESSIONS,
            timeout=60,
            what="every DELETE refused at least once during the outage",
        )
        assert all(sim.session(u)["alive"] for u in upstream), "a session ended during the outage"
        sim.clear_faults()
        recovered_wall = sim.now()  # the simulator's clock at recovery
        wait_for(
            lambda: not any(s["alive"] for s in sim.sessions() if s["id"] in upstream),
            timeout=45,
            what="every termination to reach the provider",
        )
    truth = {s["id"]: s for s in sim.sessions() if s["id"] in upstream}
    ends = sorted(truth[u]["ended_at"] - recovered_wall for u in upstream)
    # "Delivered once" is only sound once nothing more can come: every job is done, and the only process that
    # calls the provider's DELETE (the worker) has stopped, its calls in flight finished.
    wait_for(
        lambda: iso.owner.value("select count(*) from jobs where state <> 'done'") == 0,
        timeout=15,
        what="every DELETE job done",
    )
    iso.worker.stop()
    assert not iso.worker.thread.is_alive(), "the worker did not stop"
    acknowledged = Counter(r["path"] for r in sim.requests("avaturn.delete") if r["status"] == 200)
    assert all(n == 1 for n in acknowledged.values()) and len(acknowledged) == SESSIONS, "a DELETE delivered twice"
    failed = sum(1 for r in sim.requests("avaturn.delete") if r["status"] == 503)
    return {"last_s": ends[-1], "p50_s": ends[len(ends) // 2], "failed_attempts": failed}
