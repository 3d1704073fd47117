"""Provider keys exist in plaintext only in memory: never in a table, a log line or a response."""

from __future__ import annotations

import httpx

from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem
from tests.support.database import Db, run
from tests.support.stack import make_tenant


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
    call(
        "POST",
        "/v1/widget/sessions",
        json={"agent": "demo"},
        headers={"Authorization": f"Bearer {tenant.widget_key}", "Origin": tenant.origin},
    )
    call("GET", "/v1/sessions", headers=server)
    call("DELETE", f"/v1/sessions/{created['session_id']}", headers=server)
    for route, fault in [
        ("avaturn.create", {"status": 500}),
        ("openai.client_secrets", {"status": 401}),
        ("avaturn.create", {"reset": True}),
        ("cartesia.access_token", {"status": 403}),
    ]:
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

    for key in [*keys, tenant.server_key]:
        assert not any(key in b for b in bodies), "a key in an HTTP response"
        assert not any(key in line for line in log_capture.lines), "a key in a log line"
    assert log_capture.lines, "the log capture saw nothing; the check would be vacuous"
    # The simulator's own ground truth shows fingerprints only.
    assert not any(key in str(sim.sessions()) for key in keys)


def test_a_ciphertext_copied_into_another_tenant_fails_closed_without_calling_anyone(
    stack, tenant, sim: SimulatorControl, db: Db
) -> None:
    """Tenant B's Avaturn row gets tenant A's sealed key: it must not decrypt, and no provider may be called."""
    other = run(
        make_tenant(stack.settings, {"openai": "sk-copy-target-0123456789", "avaturn": "av-copy-target-0123456789"})
    )
    db.execute(
        """update provider_credentials b set ciphertext = a.ciphertext, nonce = a.nonce, wrapped_key = a.wrapped_key,
                  key_nonce = a.key_nonce, master_key_version = a.master_key_version
                  from provider_credentials a
                  where a.tenant_id = $1 and a.provider = 'avaturn' and b.tenant_id = $2 and b.provider = 'avaturn'""",
        tenant.tenant_id,
        other.tenant_id,
    )
    calls_before, secrets_before = len(sim.requests()), len(sim.secrets())
    body = assert_problem(
        stack.http.post(
            "/v1/sessions", json={"agent": "demo"}, headers={"Authorization": f"Bearer {other.server_key}"}
        ),
        500,
        "credential-unreadable",
    )
    assert "avaturn" in body["detail"]
    assert len(sim.secrets()) == secrets_before, "an OpenAI client secret was minted anyway"
    assert len(sim.requests()) == calls_before, "a provider was called"
    assert db.value("select state from sessions where tenant_id = $1", other.tenant_id) == "failed"
