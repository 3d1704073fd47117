"""Tenancy: invitations, members, the role matrix, tenant selection, self-serve sign-up on and off."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from tests.identity.conftest import Browser, identity_settings
from tests.support.asserts import assert_problem
from tests.support.database import Db

AGENT = {"slug": "sales", "name": "Sales", "engine": {"type": "openai-realtime", "instructions": "Sell."}}


def invite(owner: Browser, email: str, role: str = "viewer") -> str:
    resp = owner.send("POST", "/v1/invitations", json={"email": email, "role": role})
    assert resp.status_code == 201, resp.text
    return urlsplit(resp.json()["url"]).path.rsplit("/", 1)[1]


def join(b: Browser, sub: str, token: str) -> httpx.Response:
    page = b.http.get(f"/auth/invitations/{token}")
    assert page.status_code == 200 and "/auth/login/dev?invitation=" in page.text
    return b.sign_in(sub, invitation=token)


def test_an_invited_user_signs_in_and_sees_only_that_tenant(owner: Browser, new_browser, dev_idp, db: Db) -> None:
    tenant = owner.me()["active_tenant_id"]
    bob_sub = dev_idp.user(email="Bob.Invited@example.com")
    token = invite(owner, "bob.invited@example.com", "admin")
    assert db.value("select count(*) from invitations where token_hash = $1", token) == 0  # only its hash is stored
    bob = new_browser()
    assert join(bob, bob_sub, token).status_code == 303
    me = bob.me()
    assert [(m["tenant_id"], m["role"]) for m in me["memberships"]] == [(tenant, "admin")]
    assert me["active_tenant_id"] == tenant
    assert bob.send("POST", "/v1/agents", json=AGENT).status_code == 201
    assert {a["slug"] for a in owner.http.get("/v1/agents").json()["items"]} == {"sales"}
    members = owner.http.get("/v1/members").json()["items"]
    assert {m["role"] for m in members} == {"owner", "admin"}
    # Single use: the same link does nothing more for anyone.
    assert_problem(
        new_browser().sign_in(dev_idp.user(email="bob.invited@example.com"), invitation=token),
        410,
        "invitation-invalid",
    )


def test_an_invitation_is_bound_to_its_verified_email(owner: Browser, new_browser, dev_idp, db: Db) -> None:
    token = invite(owner, "erin@example.com")
    assert_problem(
        new_browser().sign_in(dev_idp.user(email="eve@example.com"), invitation=token), 403, "invitation-email-mismatch"
    )
    unverified = dev_idp.user(email="erin@example.com", verified=False)
    assert_problem(new_browser().sign_in(unverified, invitation=token), 403, "invitation-email-mismatch")
    # Refused sign-ins leave nothing behind: no user, no tenant, and the invitation is still open.
    assert db.value("select count(*) from users where subject = $1", unverified) == 0
    assert join(new_browser(), dev_idp.user(email="erin@example.com"), token).status_code == 303


def test_expired_and_revoked_invitations_are_refused(owner: Browser, new_browser, dev_idp, db: Db) -> None:
    expired = invite(owner, "late@example.com")
    db.execute("update invitations set expires_at = now() - interval '1 second' where email = 'late@example.com'")
    assert_problem(
        new_browser().sign_in(dev_idp.user(email="late@example.com"), invitation=expired), 410, "invitation-invalid"
    )
    assert new_browser().http.get(f"/auth/invitations/{expired}").status_code == 410
    revoked = invite(owner, "gone@example.com")
    [row] = [i for i in owner.http.get("/v1/invitations").json()["items"] if i["email"] == "gone@example.com"]
    assert owner.send("DELETE", f"/v1/invitations/{row['id']}").json()["revoked_at"]
    assert_problem(
        new_browser().sign_in(dev_idp.user(email="gone@example.com"), invitation=revoked), 410, "invitation-invalid"
    )


def member_as(owner: Browser, new_browser, dev_idp, role: str) -> Browser:
    email = f"{role}-{dev_idp.user()}@example.com"
    token = invite(owner, email, role)
    b = new_browser()
    assert join(b, dev_idp.user(email=email), token).status_code == 303
    return b


def test_the_role_matrix_is_enforced(owner: Browser, new_browser, dev_idp) -> None:
    viewer = member_as(owner, new_browser, dev_idp, "viewer")
    billing = member_as(owner, new_browser, dev_idp, "billing")
    admin = member_as(owner, new_browser, dev_idp, "admin")
    for who in (viewer, billing):
        assert_problem(who.send("POST", "/v1/agents", json=AGENT), 403, "insufficient-role")
        assert_problem(who.http.get("/v1/credentials"), 403, "insufficient-role")
        assert_problem(who.http.get("/v1/api-keys"), 403, "insufficient-role")
        assert_problem(who.http.get("/v1/members"), 403, "insufficient-role")
        assert_problem(who.send("POST", "/v1/invitations", json={"email": "x@example.com"}), 403, "insufficient-role")
    for who in (owner, admin):
        assert who.http.get("/v1/credentials").status_code == 200
        assert who.http.get("/v1/widget-keys").status_code == 200
        assert who.http.get("/v1/members").status_code == 200
    # Admins manage everyone but owners; only owners make owners.
    assert_problem(
        admin.send("POST", "/v1/invitations", json={"email": "o@example.com", "role": "owner"}),
        403,
        "insufficient-role",
    )
    members = {m["role"]: m["id"] for m in owner.http.get("/v1/members").json()["items"]}
    assert_problem(
        admin.send("PATCH", f"/v1/members/{members['owner']}", json={"role": "viewer"}), 403, "insufficient-role"
    )
    assert_problem(
        admin.send("PATCH", f"/v1/members/{members['viewer']}", json={"role": "owner"}), 403, "insufficient-role"
    )
    assert admin.send("PATCH", f"/v1/members/{members['viewer']}", json={"role": "billing"}).json()["role"] == "billing"
    # A role change applies on the next request (roles are read per request, not cached in the session).
    assert_problem(viewer.http.get("/v1/credentials"), 403, "insufficient-role")
    assert admin.send("PATCH", f"/v1/members/{members['billing']}", json={"role": "admin"}).status_code == 200
    assert billing.http.get("/v1/credentials").status_code == 200
    # Removal takes effect at once.
    assert admin.send("DELETE", f"/v1/members/{members['billing']}").status_code == 204
    assert_problem(billing.http.get("/v1/credentials"), 403, "not-a-member")


def test_the_last_owner_cannot_leave_or_be_demoted(owner: Browser, new_browser, dev_idp) -> None:
    me = owner.me()["user"]["id"]
    mine = next(m for m in owner.http.get("/v1/members").json()["items"] if m["user_id"] == me)
    assert_problem(owner.send("PATCH", f"/v1/members/{mine['id']}", json={"role": "admin"}), 409, "last-owner")
    assert_problem(owner.send("DELETE", f"/v1/members/{mine['id']}"), 409, "last-owner")
    second = member_as(owner, new_browser, dev_idp, "owner")
    assert second.me()["memberships"][0]["role"] == "owner"
    assert owner.send("DELETE", f"/v1/members/{mine['id']}").status_code == 204


def test_a_signed_in_owner_runs_the_admin_api_like_a_server_key(owner: Browser, sim) -> None:
    sim.add_key("openai", "sk-cookie-0123456789abcdef")
    created = owner.send("POST", "/v1/credentials", json={"provider": "openai", "secret": "sk-cookie-0123456789abcdef"})
    assert created.status_code == 201 and created.json()["status"] == "valid"
    agent = owner.send("POST", "/v1/agents", json=AGENT).json()
    assert owner.send("PATCH", f"/v1/agents/{agent['id']}", json={"name": "Sales EU"}).json()["name"] == "Sales EU"
    widget = owner.send("POST", "/v1/widget-keys", json={"allowed_origins": ["https://shop.example"], "agent": "sales"})
    assert widget.status_code == 201 and widget.json()["key"].startswith("gr_pk_")
    key = owner.send("POST", "/v1/api-keys", json={"scopes": ["sessions:read"]}).json()
    assert owner.send("DELETE", f"/v1/api-keys/{key['id']}").json()["revoked_at"]
    assert owner.send("DELETE", f"/v1/agents/{agent['id']}").status_code == 204


def test_tenant_selection_by_session_or_header(owner: Browser, new_browser, dev_idp) -> None:
    """A user in two tenants: POST /auth/tenant picks the active one; X-Greenroom-Tenant overrides it per request."""
    other_owner = new_browser()
    other_owner.sign_in(dev_idp.user())
    email = f"{dev_idp.user()}@example.com"
    sub = dev_idp.user(email=email)
    both = new_browser()
    join(both, sub, invite(owner, email, "admin"))
    assert both.sign_in(sub, invitation=invite(other_owner, email, "viewer")).status_code == 303
    first, second = owner.me()["active_tenant_id"], other_owner.me()["active_tenant_id"]
    assert {m["tenant_id"] for m in both.me()["memberships"]} == {first, second}
    assert both.me()["active_tenant_id"] == second  # the invitation just accepted
    assert_problem(both.http.get("/v1/members"), 403, "insufficient-role")  # viewer there
    assert both.http.get("/v1/members", headers={"X-Greenroom-Tenant": first}).status_code == 200
    assert both.send("POST", "/auth/tenant", json={"tenant_id": first}).json()["active_tenant_id"] == first
    assert both.http.get("/v1/members").status_code == 200
    # Not a member: refused, however the tenant is named.
    stranger = owner.me()["active_tenant_id"]
    outsider = new_browser()
    outsider.sign_in(dev_idp.user())
    assert_problem(outsider.http.get("/v1/agents", headers={"X-Greenroom-Tenant": stranger}), 403, "not-a-member")
    assert_problem(outsider.send("POST", "/auth/tenant", json={"tenant_id": stranger}), 403, "not-a-member")
    # A page's picker is a form POST with the CSRF token in a field; it goes back to the page it names in `next`
    # (a path here: anything else goes to `/`, whence the console).
    for sent, location in (
        (None, "/"),
        ("/usage", "/usage"),
        ("//evil.example/", "/"),
        ("/\t/evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ):
        fields = {"tenant_id": second, "csrf_token": both.me()["csrf_token"], **({"next": sent} if sent else {})}
        form = both.http.post("/auth/tenant", data=fields, headers={"Origin": both.app_url})
        assert form.status_code == 303 and form.headers["location"] == location, (sent, form.headers)
        assert both.me()["active_tenant_id"] == second


@pytest.fixture(scope="module")
def closed_app(database_url: str, sim_server: ServerThread, dev_idp) -> Iterator[ServerThread]:
    port = free_port()
    settings = identity_settings(
        database_url, sim_server.url, f"http://127.0.0.1:{port}", dev_idp, None, signup_enabled=False
    )
    with ServerThread(create_app(settings), port=port) as server:
        yield server


def test_with_sign_up_off_only_invited_users_and_operators_get_in(
    closed_app: ServerThread, owner: Browser, dev_idp, db: Db
) -> None:
    stranger = Browser(closed_app.url)
    refused = stranger.sign_in(dev_idp.user())
    assert_problem(refused, 403, "signup-disabled")
    page = Browser(closed_app.url)
    callback = page.at_provider(page.start("dev"), dev_idp.user())
    readable = page.http.get(callback, headers={"Accept": "text/html"})
    assert readable.status_code == 403 and "Ask a tenant&#x27;s owner for an invitation" in readable.text
    email = f"{dev_idp.user()}@example.com"
    invited = Browser(closed_app.url)
    assert invited.sign_in(dev_idp.user(email=email), invitation=invite(owner, email)).status_code == 303
    assert invited.me()["memberships"][0]["tenant_id"] == owner.me()["active_tenant_id"]
    operator = Browser(closed_app.url)
    assert operator.sign_in("olga").status_code == 303 and operator.me()["operator"] is True
    for b in (stranger, page, invited, operator):
        b.close()
