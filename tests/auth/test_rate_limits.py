"""Widget creates are rate limited per key and per visitor, in PostgreSQL, across instances.

The suite's settings raise both limits to 10,000 a minute (every test visitor is 127.0.0.1); the tests at the
end build an app instance with the production defaults (README: 120 a minute per widget key, 10 per visitor)
and reach them from distinct loopback addresses, so each visitor is a real, different peer.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from app.cli.serving import ServerThread
from app.main import create_app
from app.settings import Settings
from tests.support.asserts import assert_problem
from tests.support.database import Db


def widget(
    base: str, tenant, ip_hint: str | None = None, *, key: str | None = None, agent: str = "demo"
) -> httpx.Response:
    """A widget create; from `ip_hint` (a loopback address such as 127.0.0.7) as the visitor's own address."""
    headers = {"Authorization": f"Bearer {key or tenant.widget_key}", "Origin": tenant.origin}
    transport = httpx.HTTPTransport(local_address=ip_hint) if ip_hint else None
    with httpx.Client(transport=transport, timeout=30) as client:
        return client.post(f"{base}/v1/widget/sessions", json={"agent": agent}, headers=headers)


def fresh_window(db: Db, need_s: int = 10) -> None:
    """Windows are calendar minutes of the database's clock: wait until at least `need_s` are left in this one."""
    deadline = time.monotonic() + need_s + 5
    while db.value("select extract(second from now())::float") > 60 - need_s:
        assert time.monotonic() < deadline, "the database clock does not move"
        time.sleep(0.25)  # polling the clock: the window itself is what we wait for


def end_all(stack, tenant) -> None:
    for s in stack.http.get(
        "/v1/sessions", params={"state": "active"}, headers={"Authorization": f"Bearer {tenant.server_key}"}
    ).json()["items"]:
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
    db.execute(
        "update widget_keys set rate_per_minute = 4, visitor_rate_per_minute = 100 where tenant_id = $1",
        tenant.tenant_id,
    )
    fresh_window(db)
    with ServerThread(create_app(stack.settings)) as second:
        codes = [widget(url, tenant).status_code for url in [stack.url, second.url] * 3]
    assert codes.count(201) == 4 and codes.count(429) == 2, codes
    end_all(stack, tenant)


DOCUMENTED = {"widget_rate_per_minute": 120, "visitor_rate_per_minute": 10}  # README, Settings


def production_limits(stack) -> ServerThread:
    """An app instance on the shared database with the limits every production deployment starts with."""
    defaults = {name: Settings.model_fields[name].default for name in DOCUMENTED}
    assert defaults == DOCUMENTED, "the defaults differ from what README documents"
    return ServerThread(create_app(stack.settings.model_copy(update=defaults)))


def second_widget_key(stack, tenant) -> str:
    resp = stack.http.post(
        "/v1/widget-keys",
        json={"label": "other", "allowed_origins": [tenant.origin]},
        headers={"Authorization": f"Bearer {tenant.server_key}"},
    )
    assert resp.status_code == 201, resp.text
    return str(resp.json()["key"])


def window_of(db: Db, bucket: str) -> dict:
    return db.fetch("select hits, window_start from rate_limits where bucket = $1", bucket)[0]


def test_the_11th_start_of_a_visitor_in_a_minute_is_refused_at_the_default_limit(stack, tenant, db: Db) -> None:
    other_key = second_widget_key(stack, tenant)
    visitor, neighbour = "127.0.0.21", "127.0.0.22"
    with production_limits(stack) as app:
        fresh_window(db)
        window = db.value("select date_trunc('minute', now())")
        codes = [widget(app.url, tenant, visitor).status_code for _ in range(10)]
        refused = widget(app.url, tenant, visitor)
        reset_s = db.value(
            "select extract(epoch from date_trunc('minute', now()) + interval '1 minute' - now())::float"
        )
        neighbour_code = widget(app.url, tenant, neighbour).status_code
        other_key_code = widget(app.url, tenant, visitor, key=other_key).status_code
        assert db.value("select date_trunc('minute', now())") == window, "the minute turned during the test: rerun"
    assert codes == [201] * 10, codes
    body = assert_problem(refused, 429, "rate-limited")
    assert (body["scope"], body["limit"]) == ("visitor", 10)
    assert abs(int(refused.headers["retry-after"]) - reset_s) <= 2, "Retry-After: when this minute's window ends"
    assert refused.headers["access-control-allow-origin"] == tenant.origin  # the widget can read why
    assert neighbour_code == 201, "another visitor of the same key is not limited"
    assert other_key_code == 201, "the same visitor on another key of the tenant is not limited"
    assert db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 12, (
        "the refused one started nothing"
    )
    end_all(stack, tenant)


@pytest.mark.slow  # 121 requests inside one calendar minute, after waiting for a fresh one
def test_the_121st_start_on_a_key_in_a_minute_is_refused_at_the_default_limit(stack, tenant, db: Db) -> None:
    other_key = second_widget_key(stack, tenant)
    key_id = db.value("select id from widget_keys where tenant_id = $1 order by created_at limit 1", tenant.tenant_id)
    visitors = [f"127.0.1.{n}" for n in range(1, 13)]  # 12 visitors x 10 stay within each visitor's limit
    with production_limits(stack) as app:
        fresh_window(db, need_s=25)
        window = db.value("select date_trunc('minute', now())")

        async def ten_attempts(ip: str) -> list[int]:
            # Attempts count whether or not they start a session (counted before the create): an unknown agent
            # fills the key's window without 120 upstream sessions.
            headers = {"Authorization": f"Bearer {tenant.widget_key}", "Origin": tenant.origin}
            async with httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(local_address=ip), timeout=30) as client:
                return [
                    (
                        await client.post(
                            f"{app.url}/v1/widget/sessions", json={"agent": "no-such-agent"}, headers=headers
                        )
                    ).status_code
                    for _ in range(10)
                ]

        async def fill() -> list[int]:
            return [code for codes in await asyncio.gather(*map(ten_attempts, visitors)) for code in codes]

        filled = asyncio.run(fill())
        refused = widget(app.url, tenant, "127.0.1.13")
        other_key_code = widget(app.url, tenant, "127.0.1.13", key=other_key).status_code
        counted = window_of(db, f"k:{key_id}")
    assert counted["window_start"] == window, "the minute turned during the test: rerun"
    assert filled == [404] * 120, sorted(set(filled))  # each passed the rate check and was refused for its agent only
    body = assert_problem(refused, 429, "rate-limited")
    assert (body["scope"], body["limit"]) == ("widget_key", 120)
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert counted["hits"] == 120, "the refused attempt is not counted"
    assert other_key_code == 201, "another key of the same tenant has its own window"
    end_all(stack, tenant)
