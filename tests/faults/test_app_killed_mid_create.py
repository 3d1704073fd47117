"""An app instance SIGKILLed while a create waits on the provider.

Invariants: the session Greenroom recorded does not stay `starting` (the reaper fails it with
`start_timeout`), another instance serves at once, and an upstream session whose id died with the process
is bounded by Avaturn's absent timeout (no id, no list endpoint: see decision 5).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx

from app.main import create_app
from app.serving import ServerThread, wait_http
from app.simulator.control import SimulatorControl
from tests.faults.isolated import isolated
from tests.support.database import Db
from tests.support.stack import settings_env


def test_sigkill_mid_create_leaves_no_session_starting() -> None:
    with isolated(starting_timeout_s=3, reaper_interval_s=0.5) as iso:
        _scenario(iso.settings, iso.tenant, iso.sim, iso.owner, iso.port)


def _scenario(settings, tenant, sim: SimulatorControl, owner: Db, port: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")} | settings_env(settings)
    app = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/healthz", proc=app, what="greenroom serve")
    sim.fault("avaturn.create", latency_ms=1500)  # the provider is slow: the kill lands while we wait on it
    outcome: dict[str, object] = {}

    def create() -> None:
        try:
            outcome["status"] = httpx.post(f"{url}/v1/sessions", json={"agent": "demo"}, timeout=10,
                                           headers={"Authorization": f"Bearer {tenant.server_key}"}).status_code
        except httpx.HTTPError as exc:
            outcome["error"] = type(exc).__name__

    caller = threading.Thread(target=create)
    caller.start()
    deadline = time.monotonic() + 5
    while not owner.value("select count(*) from sessions where state = 'starting'") and time.monotonic() < deadline:
        time.sleep(0.02)
    app.send_signal(signal.SIGKILL)
    app.wait(5)
    caller.join(15)
    assert "error" in outcome, f"the request should have died with the process: {outcome}"

    # Another instance serves at once; the reaper fails the orphaned `starting` row.
    with ServerThread(create_app(settings)) as second:
        assert httpx.get(f"{second.url}/healthz").status_code == 200
        deadline = time.monotonic() + 10
        while owner.value("select state from sessions") == "starting" and time.monotonic() < deadline:
            time.sleep(0.1)
    row = owner.fetch("select state, end_reason, upstream_session_id from sessions")[0]
    assert (row["state"], row["end_reason"], row["upstream_session_id"]) == ("failed", "start_timeout", None)

    # Whether the provider finished creating after we died depends on the provider (this simulator, like a
    # uvicorn service, drops a request whose client is gone); any session it did create is unknown to us and
    # must end at the absent timeout.
    time.sleep(1.6)
    orphans = sim.alive_sessions()
    assert all(o["user_absent_timeout"] == 60 for o in orphans)
    sim.advance_clock(61)
    assert not sim.alive_sessions()
    print(f"SIGKILL mid-create: session failed (start_timeout) by the reaper; {len(orphans)} upstream session(s) "
          "outlived the process, ended by the provider's absent timeout")


