"""PostgreSQL restarted under load: the app is healthy again within 10 s and nothing leaks.

Invariant checked: every upstream session alive at the end is one Greenroom knows as live, and every
session Greenroom terminated was ended at the provider. Runs on a database server of its own, since it
stops the server.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from app.cli.serving import ServerThread
from app.main import create_app
from devtools.embedded_postgres import EmbeddedPostgres
from devtools.simulator.control import SimulatorControl
from tests.faults.isolated import isolated
from tests.support.asserts import wait_for
from tests.support.database import Db

pytestmark = pytest.mark.slow


def test_database_restart_under_load() -> None:
    with isolated() as iso, ServerThread(create_app(iso.settings), port=iso.port) as app:
        outcome = _restart_under_load(app.url, iso.tenant, iso.pg)
        _wait_for_agreement(iso.sim, iso.owner, iso.keys)
    print(
        f"database down {outcome['down_s']:.1f} s; app healthy again {outcome['recovered_s']:.1f} s after the restart; "
        f"{outcome['ok']} creates+kills succeeded, {outcome['failed']} failed during the outage"
    )
    assert outcome["recovered_s"] <= 10, outcome
    assert outcome["ok_after"] > 0, "no successful request after the restart"


def _restart_under_load(url: str, tenant, pg: EmbeddedPostgres) -> dict:
    key = {"Authorization": f"Bearer {tenant.server_key}"}
    stop = threading.Event()
    log: list[tuple[float, bool]] = []

    def load() -> None:
        with httpx.Client(base_url=url, timeout=5) as client:
            while not stop.is_set():
                ok = False
                try:
                    r = client.post("/v1/sessions", json={"agent": "demo"}, headers=key)
                    if r.status_code == 201:
                        ok = client.delete(f"/v1/sessions/{r.json()['session_id']}", headers=key).status_code == 202
                except httpx.HTTPError:
                    pass
                log.append((time.monotonic(), ok))
                time.sleep(0.02)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    wait_for(lambda: sum(ok for _, ok in log) >= 8, timeout=30, what="the load to run before the restart")
    down_at = time.monotonic()
    pg.stop("fast")
    # Down until the app has felt it: requests fail (the server is stopped, so nothing can succeed meanwhile).
    wait_for(
        lambda: any(not ok and at > down_at for at, ok in list(log)),
        timeout=30,
        what="requests failing while it is down",
    )
    pg.start()
    up_at = time.monotonic()
    first_ok = wait_for(
        lambda: next((at for at, ok in list(log) if ok and at > up_at), None),
        timeout=15,
        what="a successful create+kill after the restart",
    )
    wait_for(lambda: sum(ok for at, ok in list(log) if at > up_at) >= 8, timeout=30, what="the load to go on after it")
    stop.set()
    for t in threads:
        t.join(10)
    return {
        "down_s": up_at - down_at,
        "recovered_s": first_ok - up_at,
        "ok": sum(ok for _, ok in log),
        "failed": sum(not ok for _, ok in log),
        "ok_after": sum(ok for at, ok in log if at > up_at),
    }


def _wait_for_agreement(sim: SimulatorControl, owner: Db, keys: dict[str, str], timeout: float = 20) -> None:
    """Every upstream session this tenant's key started is either live in Greenroom or ended upstream."""
    import hashlib

    fingerprint = hashlib.sha256(keys["avaturn"].encode()).hexdigest()[:12]
    assert any(s["key_fingerprint"] == fingerprint for s in sim.sessions()), "no session of this tenant: vacuous check"

    def unknown() -> set[str]:
        alive = {s["id"] for s in sim.alive_sessions() if s["key_fingerprint"] == fingerprint}
        live = {
            r["upstream_session_id"]
            for r in owner.fetch(
                "select upstream_session_id from sessions"
                " where state in ('starting','active') and upstream_session_id is not null"
            )
        }
        return alive - live

    try:
        wait_for(lambda: not unknown(), timeout=timeout, what="the provider to agree")
    except AssertionError:
        raise AssertionError(
            f"upstream sessions alive that Greenroom does not know as live: {sorted(unknown())}"
        ) from None
