"""`GET /v1/reports/failures`: the session starts a tenant's callers were refused in the last hours, by problem type
and channel, most of which leave no session row. Only refusals of callers known as the tenant's count: nobody can
fill a tenant's record with an unknown key or a page on another origin."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from tests.support.asserts import assert_problem
from tests.support.database import Db, run
from tests.support.stack import make_tenant

ORIGIN = "https://shop.example"  # the tenant fixture's widget key origin


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def report(stack, key: str, **params: str) -> dict:
    resp = stack.http.get("/v1/reports/failures", params=params, headers=auth(key))
    assert resp.status_code == 200, resp.text
    return resp.json()


def counts(body: dict) -> dict[str, tuple[int, int, int]]:
    return {i["problem"]: (i["count"], i["api"], i["widget"]) for i in body["items"]}


def widget_start(stack, key: str, agent: str = "demo", origin: str = ORIGIN) -> httpx.Response:
    return stack.http.post("/v1/widget/sessions", json={"agent": agent}, headers={**auth(key), "Origin": origin})


def test_refused_starts_are_counted_by_problem_type_and_channel(stack, tenant, sim, db: Db) -> None:
    empty = report(stack, tenant.server_key)
    assert (empty["total"], empty["items"]) == (0, [])
    api = auth(tenant.server_key)
    # Two starts over a used-up budget (api), an unknown agent from the page (widget), one over the live-session
    # limit (api), and a provider failure (api): each problem type its callers got.
    db.execute("update tenants set monthly_minutes = 0 where id = $1", tenant.tenant_id)
    for _ in range(2):
        assert_problem(stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=api), 429, "quota-exhausted")
    db.execute("update tenants set monthly_minutes = null, max_concurrent_sessions = 1 where id = $1", tenant.tenant_id)
    assert_problem(widget_start(stack, tenant.widget_key, agent="nope"), 404, "unknown-agent")
    live = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=api)
    assert live.status_code == 201, live.text
    assert_problem(stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=api), 429, "concurrency-limit")
    stack.http.delete(f"/v1/sessions/{live.json()['session_id']}", headers=api)
    db.execute("update tenants set max_concurrent_sessions = null where id = $1", tenant.tenant_id)
    sim.fault("avaturn.create", status=500, times=1)
    assert_problem(stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=api), 502, "upstream-error")
    # Not counted: callers nobody could tell from this tenant's own.
    assert_problem(widget_start(stack, tenant.widget_key, origin="https://evil.example"), 403, "origin-not-allowed")
    assert_problem(widget_start(stack, "gr_pk_unknown"), 401, "unknown-key")
    assert_problem(
        stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth("gr_sk_nope")), 401, "unknown-key"
    )

    body = report(stack, tenant.server_key)
    assert counts(body) == {
        "quota-exhausted": (2, 2, 0),
        "concurrency-limit": (1, 1, 0),
        "unknown-agent": (1, 0, 1),
        "upstream-error": (1, 1, 0),
    }
    assert body["total"] == 5 and body["items"][0]["problem"] == "quota-exhausted"  # the most frequent first
    first = body["items"][0]
    assert (first["status"], first["title"]) == (429, "This month's minutes are used up") and first["last_at"]
    since, until = datetime.fromisoformat(body["since"]), datetime.fromisoformat(body["until"])
    assert (since.minute, since.second, since.microsecond) == (0, 0, 0)  # whole hours: 23 past ones and this one
    assert timedelta(hours=23) < until - since <= timedelta(hours=24)
    # Another tenant's report holds none of it.
    other = run(make_tenant(stack.settings, {}))
    assert report(stack, other.server_key)["items"] == []


def test_the_widgets_own_limits_are_counted_for_the_widget(stack, tenant) -> None:
    made = stack.http.post(
        "/v1/widget-keys", json={"allowed_origins": [ORIGIN], "rate_per_minute": 1}, headers=auth(tenant.server_key)
    ).json()
    ok = widget_start(stack, made["key"])
    assert ok.status_code == 201, ok.text
    assert_problem(widget_start(stack, made["key"]), 429, "rate-limited")
    stack.http.delete(f"/v1/sessions/{ok.json()['session_id']}", headers=auth(tenant.server_key))
    assert counts(report(stack, tenant.server_key)) == {"rate-limited": (1, 0, 1)}


def test_a_window_of_whole_hours_and_eight_days_kept(stack, tenant, db: Db) -> None:
    for hours_ago, problem in ((3 * 24, "concurrency-limit"), (9 * 24, "quota-exhausted")):
        db.execute(
            "insert into start_refusals (tenant_id, hour, problem, channel, refusals, last_at)"
            " values ($1, date_trunc('hour', now()) - make_interval(hours => $2), $3, 'api', 4, now())",
            tenant.tenant_id,
            hours_ago,
            problem,
        )
    assert report(stack, tenant.server_key)["items"] == []  # the last 24 hours
    assert counts(report(stack, tenant.server_key, hours="168")) == {"concurrency-limit": (4, 4, 0)}
    for bad in ("0", "169", "a day"):
        assert_problem(
            stack.http.get("/v1/reports/failures", params={"hours": bad}, headers=auth(tenant.server_key)),
            400,
            "invalid-request",
        )
    # The tenant's next refusal takes its rows older than eight days with it.
    assert_problem(widget_start(stack, tenant.widget_key, agent="nope"), 404, "unknown-agent")
    kept = db.fetch("select problem from start_refusals where tenant_id = $1 order by hour", tenant.tenant_id)
    assert [r["problem"] for r in kept] == ["concurrency-limit", "unknown-agent"]


def test_the_report_needs_usage_read(stack, tenant) -> None:
    key = stack.http.post("/v1/api-keys", json={"scopes": ["sessions:read"]}, headers=auth(tenant.server_key))
    assert_problem(stack.http.get("/v1/reports/failures", headers=auth(key.json()["key"])), 403, "insufficient-scope")
