"""A termination the provider keeps refusing is parked where the operator sees it, and retried on request."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from app.simulator.control import SimulatorControl
from tests.support.database import Db


def test_parked_termination_is_listed_and_retried(stack, tenant, sim: SimulatorControl, db: Db, owner_database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")} | {"GREENROOM_OWNER_DATABASE_URL": owner_database_url}

    def cli(*args: str) -> str:
        r = subprocess.run([sys.executable, "-m", "app.cli", "jobs", *args], env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout

    key = {"Authorization": f"Bearer {tenant.server_key}"}
    started = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=key).json()
    sim.fault("avaturn.delete", status=503)
    stack.http.delete(f"/v1/sessions/{started['session_id']}", headers=key)
    job_id = None
    deadline = time.monotonic() + 10
    while job_id is None and time.monotonic() < deadline:
        job_id = db.value("select id from jobs where payload->>'session_id' = $1 and attempts >= 1", started["session_id"])
        time.sleep(0.1)
    # Park it as the worker does after its last attempt (the real backoff would take minutes); only between
    # attempts, so the worker's own bookkeeping of a running attempt cannot overwrite it.
    while not db.value("update jobs set state = 'parked' where id = $1 and state = 'pending' returning id", job_id):
        assert time.monotonic() < deadline + 10, "the job never rested between attempts"
        time.sleep(0.05)
    listed = cli("list")
    assert str(job_id) in listed and "avaturn.delete_session" in listed and "503" in listed
    sim.clear_faults()
    assert f"1 job(s) queued again: {job_id}" in cli("retry", str(job_id))
    deadline = time.monotonic() + 10
    while db.value("select state from jobs where id = $1", job_id) != "done" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert db.value("select state from jobs where id = $1", job_id) == "done"
    assert "no parked jobs" in cli("list") or str(job_id) not in cli("list")
