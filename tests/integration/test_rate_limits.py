"""Widget creates are rate limited per key and per visitor, in PostgreSQL, across instances."""

from __future__ import annotations

import httpx

from app.main import create_app
from app.serving import ServerThread
from tests.support.asserts import assert_problem
from tests.support.database import Db


def widget(base: str, tenant, ip_hint: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {tenant.widget_key}", "Origin": tenant.origin}
    return httpx.post(f"{base}/v1/widget/sessions", json={"agent": "demo"}, headers=headers, timeout=30)


def fresh_window(db: Db) -> None:
    """Windows are calendar minutes: start well inside one, so no boundary falls within the test."""
    import time

    second = db.value("select extract(second from now())::float")
    if second > 50:
        time.sleep(61 - second)


def end_all(stack, tenant) -> None:
    for s in stack.http.get("/v1/sessions", params={"state": "active"}, headers={"Authorization": f"Bearer {tenant.server_key}"}).json()["items"]:
        stack.http.delete(f"/v1/sessions/{s['id']}", headers={"Authorization": f"Bearer {tenant.server_key}"})


def test_a_visitor_over_the_limit_gets_429_with_retry_after(stack, tenant, db: Db) -> None:
    db.execute("update widget_keys set visitor_rate_per_minute = 3 where tenant_id = $1", tenant.tenant_id)
    fresh_window(db)
    codes = [widget(stack.url, tenant).status_code for _ in range(3)]
    refused = widget(stack.url, tenant)
    body = assert_problem(refused, 429, "rate-limited")
    assert codes == [201, 201, 201] and body["scope"] == "visitor" and body["limit"] == 3
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["access-control-allow-origin"] == tenant.origin  # the widget can say why
    assert not db.fetch("select bucket from rate_limits where bucket like '%127.0.0.1%'"), "no address is stored"
    end_all(stack, tenant)


def test_the_key_limit_holds_across_two_instances(stack, tenant, db: Db) -> None:
    db.execute("update widget_keys set rate_per_minute = 4, visitor_rate_per_minute = 100 where tenant_id = $1", tenant.tenant_id)
    fresh_window(db)
    with ServerThread(create_app(stack.settings)) as second:
        codes = [widget(url, tenant).status_code for url in [stack.url, second.url] * 3]
    assert codes.count(201) == 4 and codes.count(429) == 2, codes
    end_all(stack, tenant)
