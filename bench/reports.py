"""Report speed over a large ledger: one tenant's month over 10 million sessions (target < 1 s), and the
operator's month over 1,000 tenants (target < 2 s).

What generated the data: one embedded PostgreSQL with the real migrations. As the schema owner, SQL
`generate_series` writes, into the month's ledger partition, a `started` and an `ended` row per session
(20 million rows for the big tenant): 5 agents, 5 widget keys, 20 page origins, 6 end reasons, starts spread
over the month, upstream lengths 1 s to 10 min, billed per second. 999 more tenants get 1,000 sessions each
(the same shapes). Then `app.metering.rollups.rebuild` builds the month's rollups from the ledger, the way
`greenroom report rebuild-rollups` does. Generation and rebuild times are printed.

What is timed: the functions the API endpoints run (`tenant_usage` for `GET /v1/reports/usage`,
`operator_usage` for `GET /v1/operator/reports/usage`), as the app's row-level-security-bound role inside a
transaction scoped like the request's; plus the tenant report end to end over HTTP. The baseline, in the
same run: the same month's report computed straight from the ledger (no rollups).

Knobs: BENCH_REPORT_SESSIONS (10,000,000; --quick 100,000), BENCH_REPORT_TENANTS (1,000; 20),
BENCH_REPORT_PER_TENANT (1,000; 100).
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx

from app.db.engine import make_engine, make_sessionmaker, transaction
from app.metering.rollups import rebuild
from app.reports.usage import UsageQuery, last_day, operator_usage, tenant_usage
from bench.harness import stack
from bench.support import knob, write_result

BIG = knob("REPORT_SESSIONS", 10_000_000, 100_000)
TENANTS = knob("REPORT_TENANTS", 1000, 20)
PER_TENANT = knob("REPORT_PER_TENANT", 1000, 100)
CHUNK = 1_000_000
RUNS = 7
BY = ("agent", "widget_key", "origin", "end_reason")

_GENERATE = """
    insert into usage_events (month, session_id, event, tenant_id, occurred_at, agent_slug, widget_key_id, origin,
                              started_at, ended_at, state, end_reason, end_confirmed, upstream_ms, upstream_seconds,
                              billed_seconds, rounding)
    select $1::date, g.sid, e.event, $2::uuid,
           case e.event when 'started' then g.ts else g.ts + g.ms * interval '1 ms' end,
           'agent-' || (g.i % 5), ('00000000-0000-4000-8000-00000000000' || (g.i % 5))::uuid,
           'https://site' || (g.i % 20) || '.example', g.ts,
           case e.event when 'ended' then g.ts + g.ms * interval '1 ms' end,
           case e.event when 'ended' then 'ended' end,
           case e.event when 'ended' then (array['client_ended','heartbeat_lost','api_terminated','admin_terminated',
                                                  'max_duration','quota_exhausted'])[g.i % 6 + 1] end,
           case e.event when 'ended' then true end,
           case e.event when 'ended' then g.ms end, case e.event when 'ended' then round(g.ms / 1000.0)::int end,
           case e.event when 'ended' then ceil(g.ms / 1000.0)::int end, case e.event when 'ended' then 'second' end
    from (select i, gen_random_uuid() as sid,
                 $1::timestamptz + (i::float8 / $5) * interval '29 days' as ts,
                 ((i * 7919) % 599000 + 1000)::bigint as ms
          from generate_series($3::bigint, $4::bigint) i) g
    cross join (values ('started'), ('ended')) e(event)"""


def month_now() -> date:
    return datetime.now(UTC).date().replace(day=1)


def generate(s: Any, month: date) -> dict[str, float]:
    figures: dict[str, float] = {}
    began = time.monotonic()
    for lo in range(1, BIG + 1, CHUNK):
        hi = min(BIG, lo + CHUNK - 1)
        s.owner.execute(_GENERATE, month, s.tenant.tenant_id, lo, hi, BIG)
        print(f"  big tenant: {hi:,}/{BIG:,} sessions ({time.monotonic() - began:.0f} s)", flush=True)
    figures["big_tenant_s"] = time.monotonic() - began
    began = time.monotonic()
    others = [uuid.uuid4() for _ in range(TENANTS - 1)]
    s.owner.execute(
        "insert into tenants (id, name, slug, status, billing_rounding) "
        "select t, 'Bench ' || n, 'bench-' || n, 'active', 'second' from unnest($1::uuid[]) with ordinality u(t, n)",
        others,
    )
    for n, tid in enumerate(others, 1):
        s.owner.execute(_GENERATE, month, tid, 1, PER_TENANT, PER_TENANT)
        if n % 100 == 0:
            print(f"  other tenants: {n:,}/{len(others):,} ({time.monotonic() - began:.0f} s)", flush=True)
    figures["other_tenants_s"] = time.monotonic() - began
    began = time.monotonic()
    s.owner.execute("analyze usage_events")

    async def rebuild_month() -> tuple[int, int]:
        engine = make_engine(s.owner.url, null_pool=True)
        try:
            async with transaction(make_sessionmaker(engine)) as db:
                return await rebuild(db, month)
        finally:
            await engine.dispose()

    figures["daily_rows"], figures["monthly_rows"] = asyncio.run(rebuild_month())
    s.owner.execute("analyze usage_daily")
    figures["rebuild_s"] = time.monotonic() - began
    figures["ledger_rows"] = s.owner.value("select count(*) from usage_events")
    figures["ledger_mb"] = float(
        s.owner.value(
            "select pg_total_relation_size(inhrelid) / 1e6 from pg_inherits where inhrelid = $1::regclass",
            f"usage_events_{month:%Y_%m}",
        )
    )
    return figures


async def timed(fn: Any, runs: int = RUNS) -> dict[str, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(times), "max_s": max(times), "runs": runs}


async def measure(s: Any, month: date) -> dict[str, Any]:
    engine = make_engine(s.settings.database_url, pool_size=2)
    sessions = make_sessionmaker(engine)
    q = UsageQuery(month, last_day(month), "day", BY)
    tid = s.tenant.tenant_id
    try:

        async def tenant_report() -> Any:
            async with transaction(sessions, tid) as db:
                return await tenant_usage(db, tid, q)

        async def tenant_from_ledger() -> Any:  # the baseline: no rollups
            from sqlalchemy import text

            async with transaction(sessions, tid) as db:
                return (
                    await db.execute(
                        text("""
                    select (started_at at time zone 'UTC')::date, agent_slug, widget_key_id, origin, end_reason,
                           count(*), sum(upstream_seconds), sum(billed_seconds)
                    from usage_events where tenant_id = :t and month = :m and event = 'ended'
                    group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5"""),
                        {"t": tid, "m": month},
                    )
                ).all()

        async def operator_report() -> Any:
            async with transaction(sessions) as db:
                return await operator_usage(db, month, last_day(month))

        report = await tenant_report()
        baseline_rows = await tenant_from_ledger()
        assert len(report.rows) == len(baseline_rows) and report.totals["sessions"] == BIG, (
            "rollups disagree with the ledger"
        )
        assert report.totals["billed_seconds"] == sum(r[7] for r in baseline_rows)
        op = await operator_report()
        assert len(op.rows) >= TENANTS and op.totals["sessions"] == BIG + (TENANTS - 1) * PER_TENANT
        result = {
            "tenant_report": await timed(tenant_report),
            "tenant_from_ledger": await timed(tenant_from_ledger, 3),
            "operator_report": await timed(operator_report),
            "tenant_rows": len(report.rows),
            "operator_rows": len(op.rows),
        }
    finally:
        await engine.dispose()
    async with httpx.AsyncClient(
        base_url=s.app_url, timeout=60, headers={"Authorization": f"Bearer {s.tenant.server_key}"}
    ) as http:

        async def over_http() -> None:
            r = await http.get(
                "/v1/reports/usage", params={"from": q.start.isoformat(), "to": q.end.isoformat(), "by": ",".join(BY)}
            )
            r.raise_for_status()

        result["tenant_report_http"] = await timed(over_http)
    return result


def main() -> None:
    month = month_now()
    print(f"reports: {BIG:,} sessions for one tenant and {TENANTS - 1:,} tenants × {PER_TENANT:,} in {month:%Y-%m}")
    with stack("reports", worker=False) as s:
        gen = generate(s, month)
        print(
            f"  generated in {gen['big_tenant_s'] + gen['other_tenants_s']:.0f} s ({gen['ledger_rows']:,} ledger rows, "
            f"{gen['ledger_mb']:.0f} MB); rollups rebuilt in {gen['rebuild_s']:.0f} s "
            f"({gen['daily_rows']:,} daily rows)"
        )
        res = asyncio.run(measure(s, month))
        res["generation"] = gen
        res["month"] = month.isoformat()
        write_result("reports", res, s.record, s.log_counts())
    t, b, o, h = (
        res[k]["median_s"] for k in ("tenant_report", "tenant_from_ledger", "operator_report", "tenant_report_http")
    )
    print(
        f"  tenant month report ({res['tenant_rows']:,} rows): median {t * 1000:.0f} ms (max "
        f"{res['tenant_report']['max_s'] * 1000:.0f} ms), over HTTP {h * 1000:.0f} ms; target < 1 s"
    )
    print(f"  baseline, the same report from the ledger: {b:.2f} s; rollup / ledger = {t / b:.3f}")
    print(
        f"  operator month report ({res['operator_rows']:,} tenants): median {o * 1000:.0f} ms (max "
        f"{res['operator_report']['max_s'] * 1000:.0f} ms); target < 2 s"
    )
