"""`GET /v1/tenant` shows the tenant the caller acts in; `PATCH /v1/tenant` renames it (owners and admins), audited.
A first sign-in's "<name>'s workspace" can become the company's name."""

from __future__ import annotations

import secrets

import httpx
import pytest

from tests.identity.conftest import Browser
from tests.identity.test_tenancy import invite, join
from tests.support.asserts import assert_problem
from tests.support.database import Db


def member(owner: Browser, new_browser, dev_idp, role: str) -> Browser:
    email = f"{role}-{secrets.token_hex(3)}@example.com"
    person = new_browser()
    assert join(person, dev_idp.user(email=email), invite(owner, email, role)).status_code == 303
    return person


def test_every_member_sees_the_tenant_and_its_limits(owner: Browser, new_browser, dev_idp, db: Db) -> None:
    me = owner.me()
    tenant_id = me["active_tenant_id"]
    db.execute(
        "update tenants set monthly_minutes = 600, max_concurrent_sessions = 4, billing_rounding = 'minute'"
        " where id = $1::uuid",
        tenant_id,
    )
    viewer = member(owner, new_browser, dev_idp, "viewer")
    for who in (owner, viewer):
        got = who.http.get("/v1/tenant")
        assert got.status_code == 200, got.text
        body = got.json()
        assert body["id"] == tenant_id and body["name"] == me["memberships"][0]["tenant_name"]
        assert body["name"].endswith("'s workspace") and body["status"] == "active"
        assert (body["monthly_minutes"], body["max_concurrent_sessions"], body["billing_rounding"]) == (
            600,
            4,
            "minute",
        )
        assert body["max_session_s"] is None and body["slug"] == me["memberships"][0]["tenant_slug"]


def test_an_owner_renames_the_tenant_and_everyone_sees_the_new_name(
    owner: Browser, new_browser, dev_idp, db: Db
) -> None:
    tenant_id = owner.me()["active_tenant_id"]
    before = owner.http.get("/v1/tenant").json()
    renamed = owner.send("PATCH", "/v1/tenant", json={"name": "  Acme Support  "})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json() == {**before, "name": "Acme Support"}  # nothing else changes; spaces around it dropped
    assert db.value("select name from tenants where id = $1::uuid", tenant_id) == "Acme Support"
    assert owner.me()["memberships"][0]["tenant_name"] == "Acme Support"
    [event] = owner.http.get("/v1/audit-events", params={"action": "tenant.updated"}).json()["items"]
    assert event["before"]["name"] == before["name"] and event["after"]["name"] == "Acme Support"
    assert event["actor_type"] == "user" and event["target_id"] == tenant_id
    # The same name again changes nothing and records nothing; an admin may rename too.
    assert owner.send("PATCH", "/v1/tenant", json={"name": "Acme Support"}).status_code == 200
    admin = member(owner, new_browser, dev_idp, "admin")
    assert admin.send("PATCH", "/v1/tenant", json={"name": "Acme"}).json()["name"] == "Acme"
    assert [
        e["after"]["name"]
        for e in owner.http.get("/v1/audit-events", params={"action": "tenant.updated"}).json()["items"]
    ] == ["Acme", "Acme Support"]
    assert admin.send("PATCH", "/v1/tenant", json={}).json()["name"] == "Acme"  # an empty patch changes nothing


def test_billing_and_viewer_may_read_but_not_rename(owner: Browser, new_browser, dev_idp, db: Db) -> None:
    tenant_id = owner.me()["active_tenant_id"]
    name = db.value("select name from tenants where id = $1::uuid", tenant_id)
    for role in ("billing", "viewer"):
        person = member(owner, new_browser, dev_idp, role)
        assert person.http.get("/v1/tenant").status_code == 200
        refused = assert_problem(person.send("PATCH", "/v1/tenant", json={"name": "Mine"}), 403, "insufficient-role")
        assert refused["role"] == role
    assert db.value("select name from tenants where id = $1::uuid", tenant_id) == name


@pytest.mark.parametrize(
    "patch",
    [
        {"name": ""},
        {"name": "   "},
        {"name": "Acme\nEvil"},
        {"name": "Tab\there"},
        {"name": "x" * 201},
        {"name": None},
        {"name": 42},
        {"slug": "acme"},
        {"monthly_minutes": 100000},
    ],
)
def test_a_name_nobody_could_read_or_a_setting_that_is_the_operators_is_refused(
    owner: Browser, db: Db, patch: dict
) -> None:
    tenant_id = owner.me()["active_tenant_id"]
    before = db.fetch("select * from tenants where id = $1::uuid", tenant_id)
    assert_problem(owner.send("PATCH", "/v1/tenant", json=patch), 400, "invalid-request")
    assert db.fetch("select * from tenants where id = $1::uuid", tenant_id) == before


def test_a_server_key_names_its_own_tenant_only(stack, tenant, db: Db) -> None:
    with httpx.Client(base_url=stack.url, headers={"Authorization": f"Bearer {tenant.server_key}"}) as key:
        got = key.get("/v1/tenant").json()
        assert got["id"] == str(tenant.tenant_id)
        assert (
            key.patch("/v1/tenant", json={"name": "Renamed by its backend"}).json()["name"] == "Renamed by its backend"
        )
    assert db.value("select name from tenants where id = $1", tenant.tenant_id) == "Renamed by its backend"
