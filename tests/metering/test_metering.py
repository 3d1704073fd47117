"""The usage ledger and minute budgets, against real PostgreSQL and the simulator's ground truth.

A session's upstream time runs from the provider's create answer to the provider's end answer; the simulator
records both on its side, so every figure here is checked against what the "provider" saw.
"""

from __future__ import annotations

import math
import time
import uuid

import asyncpg
import pytest

from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db, run


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def start(stack, tenant, agent: str = "demo") -> dict:
    resp = stack.http.post("/v1/sessions", json={"agent": agent}, headers=auth(tenant.server_key))
    assert resp.status_code == 201, resp.text
    return resp.json()


def upstream_id(db: Db, session_id: str) -> str:
    return db.value("select upstream_session_id from sessions where id = $1", uuid.UUID(session_id))


def ended_event(db: Db, session_id: str) -> dict | None:
    rows = db.fetch("select * from usage_events where session_id = $1 and event = 'ended'", uuid.UUID(session_id))
    return rows[0] if rows else None


def wait_metered(db: Db, session_id: str) -> dict:
    return wait_for(lambda: ended_event(db, session_id), timeout=15, what=f"ledger entry for {session_id}")


SLOW_MS = 1000  # the provider's delay at both ends: our own clocks are this far from its record
TOLERANCE_S = 0.5  # our stamps trail the provider's by a round trip; well under SLOW_MS


def test_a_killed_session_is_metered_once_to_the_providers_seconds(
    stack, tenant, db: Db, sim: SimulatorControl
) -> None:
    """The provider is slow to create and slow to end: the row is written a second before the provider creates the
    session, and the kill is answered a second before the provider ends it. Only the provider's two moments
    (its create answer, its end answer) give the seconds the provider ran, which the simulator records."""
    sim.fault("avaturn.create", latency_ms=SLOW_MS, times=1)
    body = start(stack, tenant)
    sim.fault("avaturn.delete", latency_ms=SLOW_MS, times=1)
    assert stack.http.delete(f"/v1/sessions/{body['session_id']}", headers=auth(tenant.server_key)).status_code == 202
    entry = wait_metered(db, body["session_id"])

    truth = sim.session(upstream_id(db, body["session_id"]))
    provider_s = truth["ended_at"] - truth["created_at"]
    assert provider_s >= SLOW_MS / 1000, truth  # it ran at least as long as the DELETE took
    assert abs(entry["upstream_ms"] / 1000 - provider_s) < TOLERANCE_S, (entry["upstream_ms"], provider_s)
    # Billed per started second of the provider's time, rounded to the second for `upstream_seconds`.
    assert math.ceil(provider_s - TOLERANCE_S) <= entry["billed_seconds"] <= math.ceil(provider_s + TOLERANCE_S), (
        entry,
        provider_s,
    )
    assert round(provider_s - TOLERANCE_S) <= entry["upstream_seconds"] <= round(provider_s + TOLERANCE_S), (
        entry,
        provider_s,
    )
    assert (entry["state"], entry["end_reason"], entry["end_confirmed"]) == ("terminated", "api_terminated", True)
    events = db.fetch(
        "select event from usage_events where session_id = $1 order by event desc", uuid.UUID(body["session_id"])
    )
    assert [e["event"] for e in events] == ["started", "ended"]

    # The rollups carry exactly this session.
    daily = db.fetch("select * from usage_daily where tenant_id = $1", tenant.tenant_id)
    monthly = db.fetch("select * from usage_monthly where tenant_id = $1", tenant.tenant_id)
    assert [(d["sessions"], d["billed_seconds"], d["end_reason"], d["agent_slug"]) for d in daily] == [
        (1, entry["billed_seconds"], "api_terminated", "demo")
    ]
    assert [(m["sessions"], m["billed_seconds"], m["upstream_seconds"]) for m in monthly] == [
        (1, entry["billed_seconds"], entry["upstream_seconds"])
    ]


def test_metering_a_session_again_changes_nothing(stack, tenant, db: Db, database_url: str) -> None:
    from app.broker.ending import record_upstream_end
    from app.db.engine import make_engine, make_sessionmaker, transaction

    body = start(stack, tenant)
    stack.http.delete(f"/v1/sessions/{body['session_id']}", headers=auth(tenant.server_key))
    first = wait_metered(db, body["session_id"])

    async def replay():
        engine = make_engine(database_url, null_pool=True)
        try:
            async with transaction(make_sessionmaker(engine), tenant.tenant_id) as s:
                return await record_upstream_end(s, tenant.tenant_id, uuid.UUID(body["session_id"]), confirmed=True)
        finally:
            await engine.dispose()

    assert run(replay()) is None
    assert ended_event(db, body["session_id"]) == first
    assert db.value("select sessions from usage_monthly where tenant_id = $1", tenant.tenant_id) == 1


def test_the_ledger_is_append_only_for_the_app(stack, tenant, db: Db, database_url: str) -> None:
    body = start(stack, tenant)
    stack.http.delete(f"/v1/sessions/{body['session_id']}", headers=auth(tenant.server_key))
    wait_metered(db, body["session_id"])

    async def tamper(statement: str) -> None:
        conn = await asyncpg.connect(database_url)
        try:
            async with conn.transaction():
                await conn.execute("select set_config('app.tenant_id', $1, true)", str(tenant.tenant_id))
                await conn.execute(statement)
        finally:
            await conn.close()

    for statement in (
        "update usage_events set billed_seconds = 0",
        "delete from usage_events",
        f"update usage_events_{time.strftime('%Y_%m', time.gmtime())} set billed_seconds = 0",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            run(tamper(statement))


def test_a_session_that_never_reached_the_caller_is_not_billed(stack, tenant, db: Db, sim: SimulatorControl) -> None:
    """Upstream answered, then our Tx 2 failed (simulated by the provider answering after the session was killed)."""
    sim.fault("avaturn.create", latency_ms=1500, times=1)
    import threading

    result: dict = {}
    creating = threading.Thread(
        target=lambda: result.update(
            resp=stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
        )
    )
    creating.start()
    session_id = wait_for(
        lambda: db.value("select id from sessions where tenant_id = $1 and state = 'starting'", tenant.tenant_id),
        what="the starting session",
    )
    assert stack.http.delete(f"/v1/sessions/{session_id}", headers=auth(tenant.server_key)).status_code == 202
    creating.join(10)
    entry = wait_metered(db, str(session_id))
    assert entry["billed_seconds"] == 0 and entry["end_reason"] == "api_terminated"
    # It did run upstream, briefly, and that is on record for the operator: the provider's seconds.
    truth = sim.session(upstream_id(db, str(session_id)))
    assert abs(entry["upstream_ms"] / 1000 - (truth["ended_at"] - truth["created_at"])) < TOLERANCE_S, (entry, truth)


def test_minute_budget_caps_length_refuses_new_sessions_and_ends_live_ones(
    stack, tenant, db: Db, sim: SimulatorControl
) -> None:
    db.execute("update tenants set monthly_minutes = 2, billing_rounding = 'minute' where id = $1", tenant.tenant_id)
    first = start(stack, tenant)
    assert sim.session(upstream_id(db, first["session_id"]))["max_duration"] == 120  # the whole budget, no more
    stack.http.delete(f"/v1/sessions/{first['session_id']}", headers=auth(tenant.server_key))
    assert wait_metered(db, first["session_id"])["billed_seconds"] == 60  # one started minute

    second = start(stack, tenant)
    assert sim.session(upstream_id(db, second["session_id"]))["max_duration"] == 60  # what is left
    # With `second` running, the month's two minutes are spoken for: the reaper ends it.
    ended = wait_for(
        lambda: (
            (r := db.fetch("select state, end_reason from sessions where id = $1", uuid.UUID(second["session_id"]))[0])[
                "state"
            ]
            != "active"
            and r
        ),
        timeout=20,
        what="the quota end",
    )
    assert ended == {"state": "terminated", "end_reason": "quota_exhausted"}
    wait_for(lambda: not sim.session(upstream_id(db, second["session_id"]))["alive"], what="the provider-side end")

    refused = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
    problem = assert_problem(refused, 429, "quota-exhausted")
    assert problem["monthly_minutes"] == 2 and problem["used_seconds"] >= 120
    assert 0 < int(refused.headers["retry-after"]) <= 31 * 86400
    wait_metered(db, second["session_id"])
    assert db.value("select billed_seconds from usage_monthly where tenant_id = $1", tenant.tenant_id) == 120

    db.execute("update tenants set monthly_minutes = 10 where id = $1", tenant.tenant_id)  # the operator raises it
    again = start(stack, tenant)
    stack.http.delete(f"/v1/sessions/{again['session_id']}", headers=auth(tenant.server_key))
