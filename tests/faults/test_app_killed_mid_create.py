"""An app instance SIGKILLed while a create waits on the provider.

The provider has created the session and its answer is on the way when the process dies (the worst moment:
the provider holds a session whose id died with the process). Invariants: the session Greenroom recorded
does not stay `starting` (the reaper fails it with `start_timeout`), another instance serves at once, and the
one upstream session nobody knows the id of is bounded by Avaturn's absent timeout (no id, no list endpoint:
see decision 5): alive just before it, ended by the provider at it.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading

import httpx
import pytest

from app.cli.serving import ServerThread, wait_http
from app.main import create_app
from devtools.simulator.control import SimulatorControl
from tests.faults.isolated import isolated
from tests.support.asserts import wait_for
from tests.support.database import Db
from tests.support.stack import settings_env

pytestmark = pytest.mark.slow


def test_sigkill_mid_create_leaves_no_session_starting() -> None:
    # The app waits up to 10 s for the answer that never comes: the kill lands well inside that.
    with isolated(starting_timeout_s=3, reaper_interval_s=0.5, upstream_timeout_s=10) as iso:
        _scenario(iso.settings, iso.tenant, iso.sim, iso.owner, iso.port)


def _scenario(settings, tenant, sim: SimulatorControl, owner: Db, port: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")} | settings_env(settings)
    app = subprocess.Popen(
        [sys.executable, "-m", "app.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/healthz", proc=app, what="greenroom serve")
    # The provider creates the session, then its answer never arrives: the app is waiting on it when it dies.
    sim.fault("avaturn.create", timeout=True, after_effect=True)
    fingerprint = hashlib.sha256(tenant.provider_keys["avaturn"].encode()).hexdigest()[:12]
    outcome: dict[str, object] = {}

    def create() -> None:
        try:
            outcome["status"] = httpx.post(
                f"{url}/v1/sessions",
                json={"agent": "demo"},
                timeout=30,
                headers={"Authorization": f"Bearer {tenant.server_key}"},
            ).status_code
        except httpx.HTTPError as exc:
            outcome["error"] = type(exc).__name__

    caller = threading.Thread(target=create)
    caller.start()
    [upstream] = wait_for(
        lambda: [s for s in sim.sessions() if s["key_fingerprint"] == fingerprint],
        timeout=15,
        what="the provider to create the session",
    )
    assert owner.value("select state from sessions") == "starting"  # recorded, still waiting on the answer
    app.send_signal(signal.SIGKILL)
    app.wait(5)
    caller.join(15)
    assert "error" in outcome, f"the request should have died with the process: {outcome}"

    # Another instance serves at once; the reaper fails the orphaned `starting` row.
    with ServerThread(create_app(settings)) as second:
        assert httpx.get(f"{second.url}/healthz").status_code == 200
        wait_for(lambda: owner.value("select state from sessions") != "starting", timeout=15, what="the reaper")
    row = owner.fetch("select state, end_reason, upstream_session_id from sessions")[0]
    assert (row["state"], row["end_reason"], row["upstream_session_id"]) == ("failed", "start_timeout", None)

    # The provider's session outlived the process, unknown to us; nobody joins it, so the provider ends it at
    # the agent's absent timeout (60 s), measured on its own clock, moved here instead of waited for.
    sim.clear_faults()
    [orphan] = sim.alive_sessions()
    assert orphan["id"] == upstream["id"] and orphan["user_absent_timeout"] == 60, orphan
    sim.advance_clock(upstream["created_at"] + 59 - sim.now())
    assert sim.session(orphan["id"])["alive"], "ended before the absent timeout"
    sim.advance_clock(2)
    ended = sim.session(orphan["id"])
    assert not ended["alive"] and ended["end_cause"] == "user_absent", ended
    print(
        "SIGKILL mid-create: session failed (start_timeout) by the reaper; the upstream session that outlived the "
        "process was ended by the provider's absent timeout"
    )
