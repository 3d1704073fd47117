"""X-Forwarded-For names the client only when the peer is a proxy the operator listed (GREENROOM_TRUSTED_PROXIES).

By default nothing is trusted, not even 127.0.0.1 (uvicorn's own default): a caller that forges the header keeps
its real address for the per-visitor rate limit and in the audit log. Listed, the proxy's word is taken.
"""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from app.cli.serving import ServerThread
from app.main import create_app
from app.settings import Settings
from tests.auth.test_rate_limits import end_all, fresh_window
from tests.support.asserts import assert_problem
from tests.support.database import Db

FORGED = [f"203.0.113.{n}" for n in range(1, 6)]  # TEST-NET-3: no real visitor has these


def start(base: str, tenant, forwarded_for: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {tenant.widget_key}", "Origin": tenant.origin}
    headers["X-Forwarded-For"] = forwarded_for
    return httpx.post(f"{base}/v1/widget/sessions", json={"agent": "demo"}, headers=headers, timeout=30)


def audited_ip(stack, tenant, db: Db, base: str, forwarded_for: str) -> str | None:
    """Issue a widget key with a forwarded address; the audit log's address for it."""
    resp = httpx.post(
        f"{base}/v1/widget-keys",
        json={"label": "forwarded", "allowed_origins": [tenant.origin]},
        headers={"Authorization": f"Bearer {tenant.server_key}", "X-Forwarded-For": forwarded_for},
        timeout=30,
    )
    assert resp.status_code == 201, resp.text
    return db.value(
        "select host(ip) from audit_events where tenant_id = $1 and action = 'widget_key.created' and target_id = $2",
        tenant.tenant_id,
        resp.json()["id"],
    )


def test_by_default_a_forged_forwarded_address_changes_nothing(stack, tenant, db: Db) -> None:
    assert stack.settings.trusted_proxies == []  # the default every deployment starts with
    db.execute("update widget_keys set visitor_rate_per_minute = 3 where tenant_id = $1", tenant.tenant_id)
    fresh_window(db)
    codes = [start(stack.url, tenant, ip).status_code for ip in FORGED[:3]]
    refused = start(stack.url, tenant, FORGED[3])
    assert codes == [201, 201, 201], codes
    body = assert_problem(refused, 429, "rate-limited")
    assert body["scope"] == "visitor", "four forged addresses were one visitor: the real peer"
    assert audited_ip(stack, tenant, db, stack.url, FORGED[4]) == "127.0.0.1"
    end_all(stack, tenant)


def test_a_listed_proxy_names_the_client(stack, tenant, db: Db) -> None:
    db.execute("update widget_keys set visitor_rate_per_minute = 3 where tenant_id = $1", tenant.tenant_id)
    behind_proxy = stack.settings.model_copy(update={"trusted_proxies": ["127.0.0.0/8"]})
    with ServerThread(create_app(behind_proxy)) as app:
        fresh_window(db)
        codes = [start(app.url, tenant, ip).status_code for ip in FORGED[:4]]
        assert codes == [201] * 4, f"four clients named by the proxy are four visitors: {codes}"
        assert audited_ip(stack, tenant, db, app.url, FORGED[4]) == FORGED[4]
    end_all(stack, tenant)


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings(trusted_proxies=["proxy.internal"])
