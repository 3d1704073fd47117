"""Provider keys exist in plaintext only in memory: never in a table, a log line or a response."""

from __future__ import annotations

import httpx

from app.simulator.control import SimulatorControl
from tests.support.database import Db


def test_no_provider_key_in_tables_logs_or_responses(stack, tenant, sim: SimulatorControl, db: Db, log_capture) -> None:
    log_capture.lines.clear()
    server = {"Authorization": f"Bearer {tenant.server_key}"}
    bodies: list[str] = []

    def call(method: str, path: str, **kw) -> httpx.Response:
        resp = stack.http.request(method, path, **kw)
        bodies.append(f"{resp.status_code} {dict(resp.headers)} {resp.text}")
        return resp

    # The happy path, both engines, a widget session, termination, and every error path that touches a key.
    created = call("POST", "/v1/sessions", json={"agent": "demo"}, headers=server).json()
    call("POST", "/v1/sessions", json={"agent": "voice"}, headers=server)
    call("POST", "/v1/widget/sessions", json={"agent": "demo"},
         headers={"Authorization": f"Bearer {tenant.widget_key}", "Origin": tenant.origin})
    call("GET", "/v1/sessions", headers=server)
    call("DELETE", f"/v1/sessions/{created['session_id']}", headers=server)
    for route, fault in [("avaturn.create", {"status": 500}), ("openai.client_secrets", {"status": 401}),
                         ("avaturn.create", {"reset": True}), ("cartesia.access_token", {"status": 403})]:
        sim.fault(route, **fault)
        call("POST", "/v1/sessions", json={"agent": "voice" if "cartesia" in route else "demo"}, headers=server)
        sim.clear_faults()
    for provider in ("avaturn", "openai"):
        sim.revoke_key(provider, tenant.provider_keys[provider])
        call("POST", "/v1/sessions", json={"agent": "demo"}, headers=server)
        sim.add_key(provider, tenant.provider_keys[provider])
    assert any(b.startswith("502") for b in bodies) and any(b.startswith("201") for b in bodies)

    keys = list(tenant.provider_keys.values())
    tables = [r["tablename"] for r in db.fetch("select tablename from pg_tables where schemaname = 'public'")]
    assert "provider_credentials" in tables
    for table in tables:
        dump = "\n".join(r["row"] for r in db.fetch(f'select t::text as row from "{table}" t'))
        for key in keys:
            assert key not in dump, f"a provider key in plaintext in table {table}"
    stored = db.fetch("select provider, last4 from provider_credentials where tenant_id = $1", tenant.tenant_id)
    assert {r["provider"]: r["last4"] for r in stored} == {p: k[-4:] for p, k in tenant.provider_keys.items()}

    for key in keys + [tenant.server_key]:
        assert not any(key in b for b in bodies), "a key in an HTTP response"
        assert not any(key in line for line in log_capture.lines), "a key in a log line"
    assert log_capture.lines, "the log capture saw nothing; the check would be vacuous"
    # The simulator's own ground truth shows fingerprints only.
    assert not any(key in str(sim.sessions()) for key in keys)
