"""Operator endpoints take an operator's sign-in session, and each other caller hears the truth about why not: a
server key is refused as what it is (403, not "your session expired"), nobody signed in is asked to sign in (401), a
signed-in admin who is not an operator is refused (403) — and none of them changes anything."""

from __future__ import annotations

import httpx
import pytest

from tests.identity.conftest import OPERATOR_SUB, Browser
from tests.support.asserts import assert_problem
from tests.support.database import Db

READS = ["/v1/operator/tenants", "/v1/operator/reports/usage?from=2026-01-01&to=2026-01-31"]


@pytest.fixture
def operator(new_browser) -> Browser:
    b = new_browser()
    assert b.sign_in(OPERATOR_SUB).status_code == 303 and b.me()["operator"] is True
    return b


def _suspend(http: httpx.Client, tenant_id: object, **headers: str) -> httpx.Response:
    return http.post(f"/v1/operator/tenants/{tenant_id}/suspend", headers=headers)


def test_a_server_key_is_told_operator_endpoints_need_an_operators_sign_in(identity_app, tenant, db: Db) -> None:
    key = {"Authorization": f"Bearer {tenant.server_key}"}  # the `admin` scope: every scope a key can hold
    with httpx.Client(base_url=identity_app.url) as http:
        for path in READS:
            body = assert_problem(http.get(path, headers=key), 403, "not-an-operator")
            assert "sign-in" in body["detail"] and "server key" in body["detail"], body
        assert_problem(_suspend(http, tenant.tenant_id, **key), 403, "not-an-operator")
        widget = {"Authorization": f"Bearer {tenant.widget_key}", "Origin": tenant.origin}
        assert_problem(http.get(READS[0], headers=widget), 403, "not-an-operator")
    assert db.value("select status from tenants where id = $1", tenant.tenant_id) == "active"


def test_a_key_beside_an_operators_cookie_is_still_a_key(operator: Browser, tenant, db: Db) -> None:
    """An Authorization header means "a backend with a key", here as on every tenant endpoint: the cookie is ignored."""
    key = {"Authorization": f"Bearer {tenant.server_key}"}
    assert operator.http.get(READS[0]).status_code == 200
    assert_problem(operator.http.get(READS[0], headers=key), 403, "not-an-operator")
    csrf = operator.me()["csrf_token"]
    resp = _suspend(operator.http, tenant.tenant_id, Origin=operator.app_url, **{"X-CSRF-Token": csrf}, **key)
    assert_problem(resp, 403, "not-an-operator")
    assert db.value("select status from tenants where id = $1", tenant.tenant_id) == "active"


def test_nobody_signed_in_is_asked_to_sign_in_and_a_dead_session_hears_it_expired(identity_app, tenant) -> None:
    with httpx.Client(base_url=identity_app.url) as http:
        for path in READS:
            assert_problem(http.get(path), 401, "not-signed-in")
        assert_problem(_suspend(http, tenant.tenant_id), 401, "not-signed-in")
        http.cookies.set("greenroom_session", "no-such-session")
        assert_problem(http.get(READS[0]), 401, "session-expired")


def test_a_signed_in_admin_who_is_not_an_operator_is_refused(owner: Browser, tenant, db: Db) -> None:
    for path in READS:
        assert_problem(owner.http.get(path), 403, "not-an-operator")
    assert_problem(owner.send("POST", f"/v1/operator/tenants/{tenant.tenant_id}/suspend"), 403, "not-an-operator")
    assert db.value("select status from tenants where id = $1", tenant.tenant_id) == "active"


def test_two_origin_headers_fail_the_csrf_check(owner: Browser) -> None:
    """A cookie's unsafe request needs one same-origin `Origin`; two lines, even both ours, are not one."""
    csrf = owner.me()["csrf_token"]
    headers = [("Origin", owner.app_url), ("Origin", owner.app_url), ("X-CSRF-Token", csrf)]
    resp = owner.http.post(
        "/v1/agents", json={"slug": "two", "name": "Two", "engine": {"type": "openai-realtime"}}, headers=headers
    )
    assert_problem(resp, 403, "csrf-failed")
    one = owner.send("POST", "/v1/agents", json={"slug": "one", "name": "One", "engine": {"type": "openai-realtime"}})
    assert one.status_code == 201, one.text
