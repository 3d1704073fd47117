"""Concurrency limits that hold across app instances, session length caps, and the operator's controls."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest

from app.cli.serving import ServerThread
from app.main import create_app
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_the_tenant_limit_refuses_the_next_session_until_one_ends(stack, tenant, db: Db) -> None:
    db.execute("update tenants set max_concurrent_sessions = 2 where id = $1", tenant.tenant_id)
    first, _ = (
        stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).json()
        for _ in range(2)
    )
    refused = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
    body = assert_problem(refused, 429, "concurrency-limit")
    assert body["scope"] == "tenant" and body["limit"] == 2 and refused.headers["retry-after"]
    stack.http.delete(f"/v1/sessions/{first['session_id']}", headers=auth(tenant.server_key))
    assert stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).status_code == 201
    for s in stack.http.get("/v1/sessions", params={"state": "active"}, headers=auth(tenant.server_key)).json()[
        "items"
    ]:
        stack.http.delete(f"/v1/sessions/{s['id']}", headers=auth(tenant.server_key))


def test_agent_and_widget_key_limits_are_lower_bounds_of_their_own(stack, tenant, db: Db) -> None:
    db.execute("update agents set max_concurrent_sessions = 1 where tenant_id = $1 and slug = 'demo'", tenant.tenant_id)
    ok = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).json()
    assert (
        assert_problem(
            stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)),
            429,
            "concurrency-limit",
        )["scope"]
        == "agent"
    )
    voice = stack.http.post("/v1/sessions", json={"agent": "voice"}, headers=auth(tenant.server_key))
    assert voice.status_code == 201  # another agent is not limited by demo's limit
    db.execute("update widget_keys set max_concurrent_sessions = 0 where tenant_id = $1", tenant.tenant_id)
    widget = stack.http.post(
        "/v1/widget/sessions",
        json={"agent": "voice"},
        headers={"Authorization": f"Bearer {tenant.widget_key}", "Origin": tenant.origin},
    )
    assert assert_problem(widget, 429, "concurrency-limit")["scope"] == "widget_key"
    assert widget.headers["access-control-allow-origin"] == tenant.origin  # the page can read why
    for sid in (ok["session_id"], voice.json()["session_id"]):
        stack.http.delete(f"/v1/sessions/{sid}", headers=auth(tenant.server_key))


@pytest.mark.slow  # 400 creates against two instances
def test_two_instances_200_simultaneous_creates_limit_5(stack, tenant, db: Db, sim: SimulatorControl) -> None:
    """The invariant: live sessions never exceed the limit, whichever instance the requests reach."""
    db.execute("update tenants set max_concurrent_sessions = 5 where id = $1", tenant.tenant_id)
    with ServerThread(create_app(stack.settings)) as second:
        urls = [stack.url, second.url]

        async def burst() -> list[int]:
            async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=200)) as client:
                calls = [
                    client.post(f"{urls[i % 2]}/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
                    for i in range(200)
                ]
                return [r.status_code for r in await asyncio.gather(*calls)]

        for round_no in range(2):
            codes = asyncio.run(burst())
            print(f"round {round_no + 1}: {codes.count(201)} created, {codes.count(429)} refused with 429")
            assert codes.count(201) == 5 and codes.count(429) == 195, sorted(set(codes))
            live = db.value(
                "select count(*) from sessions where tenant_id = $1 and state in ('starting','active')",
                tenant.tenant_id,
            )
            assert live == 5
            assert (
                len(
                    [
                        s
                        for s in sim.alive_sessions()
                        if s["id"]
                        in {
                            r["upstream_session_id"]
                            for r in db.fetch(
                                "select upstream_session_id from sessions where tenant_id = $1", tenant.tenant_id
                            )
                        }
                    ]
                )
                == 5
            )
            for s in stack.http.get("/v1/sessions", params={"state": "active"}, headers=auth(tenant.server_key)).json()[
                "items"
            ]:
                stack.http.delete(f"/v1/sessions/{s['id']}", headers=auth(tenant.server_key))
    # Started in a crowd (their Tx 2 queued behind 195 refusals for a connection), the ten are still metered from
    # the provider's answers: the ledger and the provider's record agree on every one.
    wait_for(
        lambda: (
            db.value("select count(*) from usage_events where tenant_id = $1 and event = 'ended'", tenant.tenant_id)
            == 10
        ),
        timeout=30,
        what="ten metered ends",
    )
    found = stack.http.get("/v1/reports/reconciliation", headers=auth(tenant.server_key)).json()["mismatches"]
    assert found == [], [m["detail"] for m in found]


def test_the_tenant_cap_bounds_the_length_sent_upstream(stack, tenant, db: Db, sim: SimulatorControl) -> None:
    db.execute("update tenants set max_session_s = 120 where id = $1", tenant.tenant_id)
    started = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).json()
    upstream_id = db.value("select upstream_session_id from sessions where id::text = $1", started["session_id"])
    assert sim.session(upstream_id)["max_duration"] == 120
    stack.http.delete(f"/v1/sessions/{started['session_id']}", headers=auth(tenant.server_key))


@pytest.mark.slow  # the CLI, eight times, each a fresh process
def test_operator_cli_sets_limits_and_suspends_a_tenant(
    stack, tenant, db: Db, sim: SimulatorControl, owner_database_url: str
) -> None:
    slug = db.value("select slug from tenants where id = $1", tenant.tenant_id)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")} | {
        "GREENROOM_OWNER_DATABASE_URL": owner_database_url
    }

    def cli(*args: str) -> str:
        r = subprocess.run(
            [sys.executable, "-m", "app.cli.main", "tenants", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
        return r.stdout

    def limits() -> dict:
        return db.fetch(
            "select max_concurrent_sessions, max_session_s, monthly_minutes, billing_rounding, status "
            "from tenants where slug = $1",
            slug,
        )[0]

    assert "max live sessions 3" in cli("limits", slug, "--max-concurrent", "3", "--max-session-s", "600")
    assert limits() == {
        "max_concurrent_sessions": 3,
        "max_session_s": 600,
        "monthly_minutes": None,
        "billing_rounding": "second",
        "status": "active",
    }
    said = cli("limits", slug, "--monthly-minutes", "500", "--rounding", "minute")
    assert "500 minutes a month" in said and "billed per minute" in said and "max live sessions 3" in said
    assert limits() == {
        "max_concurrent_sessions": 3,
        "max_session_s": 600,
        "monthly_minutes": 500,
        "billing_rounding": "minute",
        "status": "active",
    }  # the other limits kept
    assert "no minute budget" in cli("limits", slug, "--monthly-minutes", "none")
    assert limits()["monthly_minutes"] is None
    assert slug in cli("list")
    live = [stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)) for _ in range(2)]
    assert [r.status_code for r in live] == [201, 201], [r.text for r in live]
    assert "2 live session(s) ended" in cli("suspend", slug)
    assert limits()["status"] == "suspended"
    rows = db.fetch(
        "select id, state, end_reason, upstream_session_id from sessions where tenant_id = $1", tenant.tenant_id
    )
    assert sorted(str(r["id"]) for r in rows) == sorted(r.json()["session_id"] for r in live)
    assert {(r["state"], r["end_reason"]) for r in rows} == {("terminated", "tenant_suspended")}
    # Ended at the provider too, and metered with that reason.
    wait_for(
        lambda: not any(sim.session(r["upstream_session_id"])["alive"] for r in rows), what="the provider-side ends"
    )
    wait_for(
        lambda: (
            db.value(
                "select count(*) from usage_events where tenant_id = $1 and event = 'ended' "
                "and end_reason = 'tenant_suspended'",
                tenant.tenant_id,
            )
            == 2
        ),
        what="two metered ends",
    )
    assert_problem(
        stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)),
        403,
        "tenant-suspended",
    )
    cli("resume", slug)
    assert limits()["status"] == "active"
    again = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
    assert again.status_code == 201
    stack.http.delete(f"/v1/sessions/{again.json()['session_id']}", headers=auth(tenant.server_key))
