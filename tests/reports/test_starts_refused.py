"""`GET /v1/usage` says when every new session is being refused, and why, before anyone is refused: with less than a
minute of budget left (a session needs a minute to start, so this comes well before 100 % of a small budget), and while
the tenant is suspended. What it says agrees with what a start then answers."""

from __future__ import annotations

import time

from tests.metering.test_metering import auth, start, wait_metered
from tests.support.asserts import assert_problem
from tests.support.database import Db


def usage(stack, tenant) -> dict:
    resp = stack.http.get("/v1/usage", headers=auth(tenant.server_key))
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_under_a_minute_of_budget_left_every_start_is_refused_and_usage_says_so(stack, tenant, db: Db) -> None:
    assert usage(stack, tenant)["starts_refused"] is None  # no budget at all
    db.execute("update tenants set monthly_minutes = 1, billing_rounding = 'second' where id = $1", tenant.tenant_id)
    fresh = usage(stack, tenant)
    assert (fresh["starts_refused"], fresh["starts_refused_reason"], fresh["budget"]["remaining_seconds"]) == (
        None,
        None,
        60,
    )
    session = start(stack, tenant)  # a whole minute left: it starts
    time.sleep(1.2)  # time passing, not waiting for an effect: the session must bill a second or more
    stack.http.delete(f"/v1/sessions/{session['session_id']}", headers=auth(tenant.server_key))
    billed = wait_metered(db, session["session_id"])["billed_seconds"]
    assert 1 <= billed < 10, billed
    now = usage(stack, tenant)
    # The budget bar would show a few per cent used; yet nothing can start. The answer says so, and why.
    assert now["budget"]["remaining_seconds"] == 60 - billed and now["starts_refused"] == "budget"
    reason = now["starts_refused_reason"]
    assert (
        "Less than a minute" in reason and "429 quota-exhausted" in reason and now["budget"]["resets_at"][:10] in reason
    )
    assert_problem(
        stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)), 429, "quota-exhausted"
    )
    # A past month carries no budget, but the answer is about now: refused is refused.
    past = stack.http.get("/v1/usage", params={"month": "2020-01"}, headers=auth(tenant.server_key)).json()
    assert past["budget"] is None and past["starts_refused"] == "budget"
    db.execute("update tenants set monthly_minutes = 2 where id = $1", tenant.tenant_id)
    assert usage(stack, tenant)["starts_refused"] is None
    again = start(stack, tenant)
    stack.http.delete(f"/v1/sessions/{again['session_id']}", headers=auth(tenant.server_key))


def test_a_suspended_tenant_reads_its_usage_which_says_new_sessions_are_refused(stack, tenant, db: Db) -> None:
    db.execute("update tenants set status = 'suspended' where id = $1", tenant.tenant_id)
    try:
        now = usage(stack, tenant)
        assert now["starts_refused"] == "suspended" and "suspended" in now["starts_refused_reason"]
        last_month = stack.http.get("/v1/usage", params={"month": "2020-01"}, headers=auth(tenant.server_key)).json()
        assert last_month["budget"] is None and last_month["starts_refused"] == "suspended"
        assert_problem(
            stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)),
            403,
            "tenant-suspended",
        )
    finally:
        db.execute("update tenants set status = 'active' where id = $1", tenant.tenant_id)
    assert usage(stack, tenant)["starts_refused"] is None
