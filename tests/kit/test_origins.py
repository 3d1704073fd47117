"""Origins as a browser sends them, and nothing else: the widget refuses any other form (403 origin-not-allowed, no
CORS, nothing started), and a widget key cannot be saved with one (400 naming the entry, nothing stored)."""

from __future__ import annotations

import httpx
import pytest

from app.kit.origins import normalize_origin, origin_of_url
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem
from tests.support.database import Db

# Forms no browser sends in `Origin`, most of which a generous parser reads as https://shop.example (the tenant
# fixture's allowed origin): (value, why).
REFUSED = [
    ("https://shop.example:0", "port 0"),
    ("https://user:pw@shop.example", "user name and password"),
    ("https://evil.example@shop.example", "user name"),
    ("https://shop.example#x", "fragment"),
    ("https://shop.example#", "empty fragment"),
    ("https://shop.example/", "path /"),
    ("https://shop.example/checkout", "path"),
    ("https://shop.example?", "empty query"),
    ("https://shop.example, https://shop.example", "two origins, joined"),
    ("https://shop.example,https://evil.example", "a list"),
    ("https://shop.example:00443", "port with leading zeros"),
    ("https://shop.example:", "empty port"),
    ("https://shop.example:65536", "port out of range"),
    ("https://shop.example:+443", "signed port"),
    ("https://shop.example\\@evil.example", "backslash"),
    ("https:shop.example", "no //"),
    ("https:///shop.example", "no host"),
    ("ftp://shop.example", "scheme"),
    ("null", "opaque origin"),
    ("http://127.1", "short IPv4"),
    ("http://0x7f.0.0.1", "hex IPv4"),
    ("http://2130706433", "decimal IPv4"),
    ("http://[fe80::1%25eth0]", "IPv6 zone id"),
    ("http://shop..example", "empty label"),
    ("https://bücher.example", "IDN not in punycode"),
]
# Forms that stay accepted, and the origin each is compared as.
ACCEPTED = [
    ("https://shop.example", "https://shop.example"),
    ("http://localhost:5173", "http://localhost:5173"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("https://xn--bcher-kva.example", "https://xn--bcher-kva.example"),
    ("https://shop.example:443", "https://shop.example"),  # the default port, written out
    ("http://shop.example:80", "http://shop.example"),
    ("HTTPS://Shop.Example:8443", "https://shop.example:8443"),
    ("http://[::1]:8000", "http://[::1]:8000"),
    ("http://[0:0::1]", "http://[::1]"),
]


@pytest.mark.parametrize(("value", "why"), REFUSED, ids=[w for _, w in REFUSED])
def test_a_form_no_browser_sends_is_not_an_origin(value: str, why: str) -> None:
    assert normalize_origin(value) is None


@pytest.mark.parametrize(("value", "origin"), ACCEPTED, ids=[v for v, _ in ACCEPTED])
def test_what_browsers_send_is_an_origin(value: str, origin: str) -> None:
    assert normalize_origin(value) == origin


def test_the_public_urls_origin_may_come_from_a_url_with_a_path() -> None:
    assert origin_of_url("https://greenroom.example/") == "https://greenroom.example"
    assert origin_of_url("https://greenroom.example:8443/base/") == "https://greenroom.example:8443"
    assert origin_of_url("https://admin@greenroom.example/") is None


def _widget_start(stack, key: str, headers: list[tuple[str, str]]) -> httpx.Response:
    return stack.http.post(
        "/v1/widget/sessions", json={"agent": "demo"}, headers=[("Authorization", f"Bearer {key}"), *headers]
    )


# The HTTP table: the ASCII forms (a header carries no other), and the forms a generous parser took for
# https://shop.example, which the tenant's widget key allows.
SENT = [v for v, _ in REFUSED if v.isascii()]


@pytest.mark.parametrize("origin", SENT)
def test_the_widget_refuses_an_origin_no_browser_sends(stack, tenant, db: Db, sim: SimulatorControl, origin) -> None:
    before = len(sim.sessions())
    resp = _widget_start(stack, tenant.widget_key, [("Origin", origin)])
    assert_problem(resp, 403, "origin-not-allowed")
    assert "access-control-allow-origin" not in resp.headers
    assert db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 0
    assert len(sim.sessions()) == before
    preflight = stack.http.options(
        "/v1/widget/sessions", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_two_origin_headers_are_refused_even_when_both_are_allowed(stack, tenant, db: Db) -> None:
    """Two `Origin` lines on one request (a raw client; no browser sends that): not the first, not the last."""
    two = [("Origin", tenant.origin), ("Origin", tenant.origin)]
    resp = _widget_start(stack, tenant.widget_key, two)
    assert_problem(resp, 403, "origin-not-allowed")
    assert "access-control-allow-origin" not in resp.headers
    mixed = [("Origin", tenant.origin), ("Origin", "https://evil.example")]
    assert_problem(_widget_start(stack, tenant.widget_key, mixed), 403, "origin-not-allowed")
    assert db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 0
    preflight = stack.http.options("/v1/widget/sessions", headers=[*two, ("Access-Control-Request-Method", "POST")])
    assert "access-control-allow-origin" not in preflight.headers

    # The session's own calls: a heartbeat with two Origins still works (the token is what counts), but no page
    # is told it may read the answer.
    started = _widget_start(stack, tenant.widget_key, [("Origin", tenant.origin)])
    assert started.status_code == 201, started.text
    beat = started.json()["heartbeat"]
    resp = stack.http.post(beat["url"], headers=[("Authorization", f"Bearer {beat['token']}"), *two])
    assert resp.status_code == 200 and "access-control-allow-origin" not in resp.headers
    resp = stack.http.post(beat["url"], headers=[("Authorization", f"Bearer {beat['token']}"), two[0]])
    assert resp.headers["access-control-allow-origin"] == tenant.origin


def test_a_widget_key_allows_exactly_what_browsers_send(stack, tenant) -> None:
    admin = {"Authorization": f"Bearer {tenant.server_key}"}
    saved = stack.http.post("/v1/widget-keys", json={"allowed_origins": [v for v, _ in ACCEPTED]}, headers=admin)
    assert saved.status_code == 201, saved.text
    key = saved.json()
    assert key["allowed_origins"] == [o for _, o in ACCEPTED]
    for origin in (
        "http://localhost:5173",
        "https://xn--bcher-kva.example",
        "http://[::1]:8000",
        "https://shop.example",
    ):
        resp = _widget_start(stack, key["key"], [("Origin", origin)])
        assert resp.status_code == 201, (origin, resp.text)
        assert resp.headers["access-control-allow-origin"] == origin


@pytest.mark.parametrize(("value", "why"), REFUSED, ids=[w for _, w in REFUSED])
def test_a_widget_key_cannot_allow_a_form_no_browser_sends(stack, tenant, db: Db, value: str, why: str) -> None:
    count = (
        "select (select count(*) from widget_keys where tenant_id = $1) as keys,"
        " (select count(*) from audit_events where tenant_id = $1) as audit"
    )
    before = db.fetch(count, tenant.tenant_id)[0]
    resp = stack.http.post(
        "/v1/widget-keys",
        json={"label": "shop", "allowed_origins": ["https://shop.example", value]},
        headers={"Authorization": f"Bearer {tenant.server_key}"},
    )
    body = assert_problem(resp, 400, "invalid-request")
    assert [e["key"] for e in body["errors"]] == ["allowed_origins[1]"], body
    assert "allowed_origins[1]" in body["detail"] and value in body["detail"]
    assert db.fetch(count, tenant.tenant_id)[0] == before  # no key, no audit entry


def test_an_idn_entry_is_refused_with_its_punycode_spelling(stack, tenant) -> None:
    resp = stack.http.post(
        "/v1/widget-keys",
        json={"allowed_origins": ["https://bücher.example"]},
        headers={"Authorization": f"Bearer {tenant.server_key}"},
    )
    assert "xn--bcher-kva.example" in assert_problem(resp, 400, "invalid-request")["detail"]
