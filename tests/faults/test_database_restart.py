"""PostgreSQL restarted under load: the app is healthy again within 10 s and nothing leaks.

Invariant checked: every upstream session alive at the end is one Greenroom knows as live, and every
session Greenroom terminated was ended at the provider. Runs on a database server of its own, since it
stops the server.
"""

from __future__ import annotations

import threading
import time

import httpx

from app.db.embedded import EmbeddedPostgres
from app.main import create_app
from app.serving import ServerThread
from app.simulator.control import SimulatorControl
from tests.faults.isolated import isolated
from tests.support.database import Db


def test_database_restart_under_load() -> None:
    with isolated() as iso, ServerThread(create_app(iso.settings), port=iso.port) as app:
        outcome = _restart_under_load(app.url, iso.tenant, iso.pg)
        _wait_for_agreement(iso.sim, iso.owner, iso.keys)
    print(f"database down {outcome['down_s']:.1f} s; app healthy again {outcome['recovered_s']:.1f} s after the restart; "
          f"{outcome['ok']} creates+kills succeeded, {outcome['failed']} failed during the outage")
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
    time.sleep(1.5)
    down_at = time.monotonic()
    pg.stop("fast")
    time.sleep(2)
    pg.start()
    up_at = time.monotonic()
    deadline = up_at + 15
    while time.monotonic() < deadline and not any(ok and at > up_at for at, ok in log):
        time.sleep(0.1)
    recovered = next((at for at, ok in log if ok and at > up_at), float("inf"))
    time.sleep(1)
    stop.set()
    for t in threads:
        t.join(10)
    return {"down_s": up_at - down_at, "recovered_s": recovered - up_at, "ok": sum(ok for _, ok in log),
            "failed": sum(not ok for _, ok in log), "ok_after": sum(ok for at, ok in log if at > up_at)}


def _wait_for_agreement(sim: SimulatorControl, owner: Db, keys: dict[str, str], timeout: float = 20) -> None:
    """Every upstream session this tenant's key started is either live in Greenroom or ended upstream."""
    import hashlib

    fingerprint = hashlib.sha256(keys["avaturn"].encode()).hexdigest()[:12]
    assert any(s["key_fingerprint"] == fingerprint for s in sim.sessions()), "no session of this tenant: vacuous check"
    deadline = time.monotonic() + timeout
    while True:
        alive = {s["id"] for s in sim.alive_sessions() if s["key_fingerprint"] == fingerprint}
        live = {r["upstream_session_id"] for r in owner.fetch(
            "select upstream_session_id from sessions where state in ('starting','active') and upstream_session_id is not null")}
        if alive <= live or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert alive <= live, f"upstream sessions alive that Greenroom does not know as live: {sorted(alive - live)}"
