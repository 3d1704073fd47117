"""A signed-in admin runs the session API with the cookie, as a backend does with a server key."""

from __future__ import annotations

from devtools.simulator.control import SimulatorControl
from tests.identity.conftest import Browser, equip
from tests.support.asserts import assert_problem
from tests.support.database import Db


def test_owner_starts_and_kills_a_session_with_the_cookie(owner: Browser, sim: SimulatorControl, db: Db, stack) -> None:
    """`stack` brings the worker that tells the provider, and the ground-truth check after the test."""
    equip(owner, sim, "cookie")

    assert_problem(owner.send("POST", "/v1/sessions", json={"agent": "front-desk"}, csrf=None), 403, "csrf-failed")
    started = owner.send("POST", "/v1/sessions", json={"agent": "front-desk"})
    assert started.status_code == 201, started.text
    sid = started.json()["session_id"]
    assert [s["id"] for s in owner.http.get("/v1/sessions").json()["items"]] == [sid]

    killed = owner.send("DELETE", f"/v1/sessions/{sid}")
    assert killed.status_code == 202 and killed.json()["end_reason"] == "admin_terminated"
    event = owner.http.get("/v1/audit-events", params={"action": "session.terminated"}).json()["items"][0]
    assert event["actor_type"] == "user" and event["target_id"] == sid


def test_member_and_invitation_changes_are_audited(owner: Browser, new_browser, dev_idp) -> None:
    from tests.identity.test_tenancy import invite, join

    bob_sub = dev_idp.user(email="audited.bob@example.com")
    token = invite(owner, "audited.bob@example.com", "viewer")
    join(new_browser(), bob_sub, token)
    bob = next(m for m in owner.http.get("/v1/members").json()["items"] if m["role"] == "viewer")
    owner.send("PATCH", f"/v1/members/{bob['id']}", json={"role": "admin"})
    owner.send("DELETE", f"/v1/members/{bob['id']}")
    trail = owner.http.get("/v1/audit-events", params={"target": bob["id"]}).json()["items"]
    assert [e["action"] for e in trail] == ["member.removed", "member.role_changed"]
    assert (trail[1]["before"]["role"], trail[1]["after"]["role"]) == ("viewer", "admin")
    assert trail[1]["actor_type"] == "user" and trail[1]["actor_id"] == owner.me()["user"]["id"]
    assert "invitation.created" in {e["action"] for e in owner.http.get("/v1/audit-events").json()["items"]}


def test_an_operator_sets_limits_and_suspends_over_http(new_browser, owner: Browser, dev_idp, stack, tenant) -> None:
    from tests.identity.conftest import OPERATOR_SUB

    operator = new_browser()
    assert operator.sign_in(OPERATOR_SUB).status_code == 303
    assert_problem(owner.http.get("/v1/operator/tenants"), 403, "not-an-operator")
    listed = {t["id"] for t in operator.http.get("/v1/operator/tenants").json()["items"]}
    assert str(tenant.tenant_id) in listed
    assert_problem(
        operator.send(
            "PATCH", f"/v1/operator/tenants/{tenant.tenant_id}", json={"max_concurrent_sessions": 1}, csrf=None
        ),
        403,
        "csrf-failed",
    )
    changed = operator.send("PATCH", f"/v1/operator/tenants/{tenant.tenant_id}", json={"max_concurrent_sessions": 1})
    assert changed.json()["max_concurrent_sessions"] == 1 and changed.json()["max_session_s"] is None
    budget = operator.send(
        "PATCH", f"/v1/operator/tenants/{tenant.tenant_id}", json={"monthly_minutes": 600, "billing_rounding": "minute"}
    ).json()
    assert (budget["monthly_minutes"], budget["billing_rounding"], budget["max_concurrent_sessions"]) == (
        600,
        "minute",
        1,
    )
    assert_problem(
        operator.send("PATCH", f"/v1/operator/tenants/{tenant.tenant_id}", json={"billing_rounding": "hour"}),
        400,
        "invalid-request",
    )
    key = {"Authorization": f"Bearer {tenant.server_key}"}
    live = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=key).json()
    assert_problem(stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=key), 429, "concurrency-limit")
    suspended = operator.send("POST", f"/v1/operator/tenants/{tenant.tenant_id}/suspend").json()
    assert suspended["sessions_ended"] == 1 and suspended["tenant"]["status"] == "suspended"
    # A suspended tenant's keys still read its sessions and usage, and change nothing.
    assert stack.http.get(f"/v1/sessions/{live['session_id']}", headers=key).json()["state"] == "terminated"
    assert_problem(stack.http.get("/v1/agents", headers=key), 403, "tenant-suspended")
    operator.send("POST", f"/v1/operator/tenants/{tenant.tenant_id}/resume")
    assert stack.http.get(f"/v1/sessions/{live['session_id']}", headers=key).json()["end_reason"] == "tenant_suspended"
