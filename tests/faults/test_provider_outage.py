"""A 60 s provider outage during which 100 sessions are terminated.

Invariant: every termination reaches the provider within 30 s of its recovery, and none is delivered
twice (the provider acknowledges each DELETE once). Its own simulator and database: the outage must not
touch the other tests.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from app.db.embedded import EmbeddedPostgres
from app.db.migrate import upgrade
from app.db.rls import APP_ROLE
from app.main import create_app
from app.serving import ServerThread, free_port
from app.simulator import SimulatorConfig, create_simulator_app
from app.simulator.control import SimulatorControl
from tests.support.database import Db, run
from tests.support.stack import WorkerThread, make_tenant, settings_for

OUTAGE_S = float(os.environ.get("GREENROOM_FAULT_OUTAGE_S", 60))
SESSIONS = 100


def test_kills_during_a_provider_outage_are_delivered_after_it_once() -> None:
    keys = {"openai": "sk-outage-" + secrets.token_hex(8), "avaturn": "av-outage-" + secrets.token_hex(8)}
    config = SimulatorConfig(openai_keys={keys["openai"]}, avaturn_keys={keys["avaturn"]}, cartesia_keys=set())
    with ServerThread(create_simulator_app(config)) as sim_server, SimulatorControl(sim_server.url) as sim, \
            tempfile.TemporaryDirectory(prefix="greenroom-fault-pg-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        pg.start()
        try:
            pg.create_database("faults")
            upgrade(pg.url("faults"))
            port = free_port()
            settings = settings_for(pg.url("faults", user=APP_ROLE), sim_server.url, f"http://127.0.0.1:{port}")
            tenant = run(make_tenant(settings, keys))
            # Nobody joins these sessions: keep Avaturn's absent timeout longer than the outage, or the
            # provider would end them by itself and hide whether our DELETEs arrive.
            Db(pg.url("faults")).execute(
                "update agents set avatar = jsonb_set(avatar, '{user_absent_timeout}', '600') where tenant_id = $1",
                tenant.tenant_id)
            worker = WorkerThread(settings).start()
            try:
                with ServerThread(create_app(settings), port=port) as app:
                    figures = _outage(app.url, tenant, sim)
            finally:
                worker.stop()
        finally:
            pg.stop("immediate")
    print(f"{SESSIONS} kills during a {OUTAGE_S:.0f} s outage: all delivered {figures['last_s']:.1f} s after recovery "
          f"(p50 {figures['p50_s']:.1f} s); failed DELETE attempts during the outage: {figures['failed_attempts']}")
    assert figures["last_s"] <= 30, figures


def _outage(url: str, tenant, sim: SimulatorControl) -> dict:
    key = {"Authorization": f"Bearer {tenant.server_key}"}
    with httpx.Client(base_url=url, timeout=30, headers=key) as client:
        started = [client.post("/v1/sessions", json={"agent": "demo"}).json()["session_id"] for _ in range(SESSIONS)]
        upstream = {s["id"] for s in sim.alive_sessions()}
        assert len(upstream) == SESSIONS
        sim.fault("avaturn.delete", status=503)  # the provider is down for its DELETEs
        outage_began = time.monotonic()
        for sid in started:
            assert client.delete(f"/v1/sessions/{sid}").json()["state"] == "terminated"  # at once, for Greenroom
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - outage_began)))
        assert all(sim.session(u)["alive"] for u in upstream), "a session ended during the outage"
        sim.clear_faults()
        recovered_wall = sim.now()  # the simulator's clock at recovery
        deadline = time.monotonic() + 45
        while any(sim.session(u)["alive"] for u in upstream) and time.monotonic() < deadline:
            time.sleep(0.2)
    ends = sorted(sim.session(u)["ended_at"] - recovered_wall for u in upstream)
    assert all(not sim.session(u)["alive"] for u in upstream), "a termination never reached the provider"
    acknowledged = Counter(r["path"] for r in sim.requests("avaturn.delete") if r["status"] == 200)
    assert all(n == 1 for n in acknowledged.values()) and len(acknowledged) == SESSIONS, "a DELETE delivered twice"
    failed = sum(1 for r in sim.requests("avaturn.delete") if r["status"] == 503)
    return {"last_s": ends[-1], "p50_s": ends[len(ends) // 2], "failed_attempts": failed}
