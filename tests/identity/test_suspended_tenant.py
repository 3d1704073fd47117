"""A suspended tenant's members (and keys) keep reading their sessions, usage, reports and billing, and are told the
tenant is suspended; every change and every new session stays refused (403 tenant-suspended) until it is resumed."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import httpx

from tests.identity.conftest import OPERATOR_SUB, Browser, equip
from tests.identity.test_tenancy import invite, join
from tests.support.asserts import assert_problem
from tests.support.database import Db

TODAY = datetime.now(UTC).date().isoformat()
READS = (
    "/v1/usage",
    f"/v1/reports/usage?from={TODAY}&to={TODAY}&by=agent",
    f"/v1/reports/usage?from={TODAY}&to={TODAY}&format=csv",
    "/v1/reports/sessions",
    "/v1/reports/sessions?format=csv",
    "/v1/sessions",
    "/v1/tenant",
)


def test_a_suspended_tenant_reads_its_usage_and_changes_nothing(
    owner: Browser, new_browser, dev_idp, sim, stack, db: Db
) -> None:
    equip(owner, sim, "suspended")
    tenant_id = owner.me()["active_tenant_id"]
    email = f"billing-{secrets.token_hex(3)}@example.com"
    billing = new_browser()
    assert join(billing, dev_idp.user(email=email), invite(owner, email, "billing")).status_code == 303
    key = owner.send("POST", "/v1/api-keys", json={"label": "backend", "scopes": ["admin"]}).json()["key"]
    live = owner.send("POST", "/v1/sessions", json={"agent": "front-desk"}).json()["session_id"]
    operator = new_browser()
    assert operator.sign_in(OPERATOR_SUB).status_code == 303
    assert operator.send("POST", f"/v1/operator/tenants/{tenant_id}/suspend").json()["sessions_ended"] == 1
    backend = httpx.Client(base_url=owner.app_url, headers={"Authorization": f"Bearer {key}"})
    try:
        for who, http in (("owner", owner.http), ("billing", billing.http), ("server key", backend)):
            for path in READS:
                got = http.get(path)
                assert got.status_code == 200, (who, path, got.text)
            assert http.get(f"/v1/sessions/{live}").json()["end_reason"] == "tenant_suspended", who
            assert http.get("/v1/tenant").json()["status"] == "suspended", who
            usage = http.get("/v1/usage").json()
            assert usage["starts_refused"] == "suspended", who
        # The console's banner: /auth/me says which tenant is suspended.
        assert [m["tenant_status"] for m in owner.me()["memberships"]] == ["suspended"]
        page = owner.http.get("/usage", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "New sessions are refused." in page.text and "suspended" in page.text
        # Nothing changes, nothing starts, with a cookie or a key; and the admin reads stay closed too.
        for send in (owner.send, lambda method, path, **kw: backend.request(method, path, **kw)):
            assert_problem(send("POST", "/v1/sessions", json={"agent": "front-desk"}), 403, "tenant-suspended")
            assert_problem(send("DELETE", f"/v1/sessions/{live}"), 403, "tenant-suspended")
            assert_problem(send("PATCH", "/v1/tenant", json={"name": "Still here"}), 403, "tenant-suspended")
            assert_problem(send("POST", "/v1/api-keys", json={"scopes": ["admin"]}), 403, "tenant-suspended")
            assert_problem(send("GET", "/v1/agents"), 403, "tenant-suspended")
            assert_problem(send("GET", "/v1/audit-events"), 403, "tenant-suspended")
        assert db.value("select count(*) from api_keys where tenant_id = $1::uuid", tenant_id) == 1
        assert operator.send("POST", f"/v1/operator/tenants/{tenant_id}/resume").json()["status"] == "active"
        assert owner.http.get("/v1/usage").json()["starts_refused"] is None
        assert owner.http.get("/v1/agents").status_code == 200
    finally:
        backend.close()
        operator.send("POST", f"/v1/operator/tenants/{tenant_id}/resume")
