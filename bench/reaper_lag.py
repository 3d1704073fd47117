"""Reaper lag: from the moment a widget session becomes reapable to its end (target p99 <= 30 s).

One run starts an embedded PostgreSQL, `greenroom simulate`, `greenroom serve` and `greenroom worker`
(subprocesses, the product's default settings: a reaper pass every `reaper_interval_s` = 5 s, `heartbeat_grace_s`
unset = 3 × 20 s = 60 s) and creates M widget sessions with a widget key and its Origin. All of them come from one
address, so the bench's widget key gets its own limits raised (`widget_keys.rate_per_minute` and
`visitor_rate_per_minute`, per-key values that win over the defaults; the check itself still runs on every create);
the settings keep their defaults. No heartbeats are sent. As the schema owner it then back-dates
`last_heartbeat_at` so that session i becomes due at a known moment (database clock):
`due_i = last_heartbeat_at_i + grace`.

- **spread**: M sessions due one after another over 20 s (not aligned with the reaper's passes);
- **burst**: M more sessions all due at the same moment: one pass must end them all (reaper throughput).

Lag = `sessions.ended_at` − `due_i` (both on the database clock); provider lag = the simulator's ground
truth `ended_at` for the upstream session − `due_i` (same machine clock). Baseline for the ratio: the
configured reaper interval, the lag's designed bound.

Knobs: BENCH_REAPER_SESSIONS (200; --quick 30), BENCH_REAPER_SPREAD_S (20; --quick 5).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from bench.harness import stack
from bench.support import gather_limited, knob, summary_ms, wait_until, write_result

SESSIONS = knob("REAPER_SESSIONS", 200, 30)
SPREAD_S = knob("REAPER_SPREAD_S", 20.0, 5.0)
CREATE_CONCURRENCY = 8
KEY_RATE_PER_MINUTE = 100_000  # the bench's widget key only: every create comes from this one machine


async def create_widget_sessions(app_url: str, widget_key: str, origin: str, n: int) -> list[str]:
    headers = {"Authorization": f"Bearer {widget_key}", "Origin": origin}
    async with httpx.AsyncClient(base_url=app_url, timeout=30) as http:

        async def one(_: int) -> str:
            r = await http.post("/v1/widget/sessions", json={"agent": "demo"}, headers=headers)
            r.raise_for_status()
            return str(r.json()["session_id"])

        return await gather_limited(CREATE_CONCURRENCY, [one(i) for i in range(n)])


def backdate(s: Any, ids: list[str], offsets: list[float], grace: int) -> None:
    """Session i becomes reapable `offsets[i]` seconds from now (database clock)."""
    s.owner.execute(
        """update sessions s
           set last_heartbeat_at = clock_timestamp() - make_interval(secs => $3) + make_interval(secs => v.off)
           from unnest($1::uuid[], $2::float8[]) as v(id, off) where s.id = v.id""",
        [uuid.UUID(i) for i in ids],
        offsets,
        float(grace),
    )


def wait_ended(s: Any, ids: list[str], grace: int, timeout: float) -> list[dict[str, Any]]:
    """Wait on the effect: every session ended and its upstream-DELETE job finished; rows joined with the ground
    truth. Past the deadline the run stops with an error rather than report a cut tail."""
    uuids = [uuid.UUID(i) for i in ids]

    def settled() -> bool:
        live = s.owner.value(
            "select count(*) from sessions where id = any($1) and state in ('starting', 'active')", uuids
        )
        open_jobs = s.owner.value(
            "select count(*) from jobs where (payload->>'session_id')::uuid = any($1) "
            "and state not in ('done', 'parked')",
            uuids,
        )
        return live == 0 and open_jobs == 0

    wait_until(settled, timeout, f"{len(ids)} sessions reaped and their provider DELETEs done", every=0.25)
    rows = s.owner.fetch(
        """select s.id::text as id, s.state, s.end_reason, s.upstream_session_id,
                  extract(epoch from s.last_heartbeat_at + make_interval(secs => $2))::float8 as due,
                  extract(epoch from s.ended_at)::float8 as ended, j.state as job_state, j.attempts
           from sessions s left join jobs j on (j.payload->>'session_id')::uuid = s.id where s.id = any($1)""",
        uuids,
        float(grace),
    )
    truth = {t["id"]: t for t in s.sim.sessions()}
    return [{**r, "provider": truth.get(r["upstream_session_id"] or "") or {}} for r in rows]


def passes(ended: list[float], gap_s: float = 1.0) -> list[list[float]]:
    """End times grouped into reaper passes (a pass ends its sessions back to back; passes are ~5 s apart)."""
    groups: list[list[float]] = []
    for t in sorted(ended):
        if groups and t - groups[-1][-1] <= gap_s:
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


def _count(keys: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for k in keys:
        out[k] = out.get(k, 0) + 1
    return out


def figures(rows: list[dict[str, Any]], interval: float) -> dict[str, Any]:
    reaped = [r for r in rows if r["end_reason"] == "heartbeat_lost" and r["ended"] is not None]
    lag = [r["ended"] - r["due"] for r in reaped]
    prov = [
        r["provider"]["ended_at"] - r["due"]
        for r in reaped
        if r["provider"].get("ended_at") is not None and r["provider"].get("end_cause") == "deleted"
    ]
    after_end = [
        r["provider"]["ended_at"] - r["ended"]
        for r in reaped
        if r["provider"].get("ended_at") is not None and r["provider"].get("end_cause") == "deleted"
    ]
    groups = passes([r["ended"] for r in reaped])
    busiest = max(groups, key=len) if groups else []
    span = busiest[-1] - busiest[0] if len(busiest) > 1 else 0.0
    lag_s = summary_ms(lag)
    return {
        "sessions": len(rows),
        "reaped_heartbeat_lost": len(reaped),
        "other_ends": _count(f"{r['state']}/{r['end_reason']}" for r in rows if r not in reaped),
        "early": sum(1 for v in lag if v < 0),
        "lag": lag_s,
        "lag_over_interval": {
            k: round(lag_s[k] / 1000 / interval, 2) for k in ("p50_ms", "p99_ms", "max_ms") if lag_s[k] is not None
        },
        "provider_end_lag": summary_ms(prov),
        "provider_after_db_end": summary_ms(after_end),
        "passes": len(groups),
        "sessions_per_pass": [len(g) for g in groups],
        "busiest_pass": {
            "sessions": len(busiest),
            "seconds": round(span, 3),
            "per_s": round((len(busiest) - 1) / span, 1) if span else None,
        },
        "jobs_parked": sum(1 for r in rows if r["job_state"] == "parked"),
        "jobs_retried": sum(1 for r in rows if (r["attempts"] or 0) > 1),
        "provider_not_deleted": len(reaped) - len(prov),
    }


def main() -> None:
    print(
        f"reaper-lag: {SESSIONS} widget sessions due over {SPREAD_S:.0f} s, then {SESSIONS} due at once; "
        "worker at default settings"
    )
    with stack("reaper-lag") as s:
        interval = s.settings.reaper_interval_s
        grace = s.settings.heartbeat_grace_s or 3 * s.settings.heartbeat_interval_s
        t = s.tenant
        s.owner.execute(
            "update widget_keys set rate_per_minute = $2, visitor_rate_per_minute = $2 where tenant_id = $1",
            t.tenant_id,
            KEY_RATE_PER_MINUTE,
        )
        s.record["settings"]["bench_widget_key"] = {
            "rate_per_minute": KEY_RATE_PER_MINUTE,
            "visitor_rate_per_minute": KEY_RATE_PER_MINUTE,
        }
        ids = asyncio.run(create_widget_sessions(s.app_url, t.widget_key, t.origin, SESSIONS))
        print(f"  created {len(ids)}; spread: due from +1 s to +{1 + SPREAD_S:.0f} s …", flush=True)
        backdate(s, ids, [1 + SPREAD_S * i / SESSIONS for i in range(SESSIONS)], grace)
        spread = figures(wait_ended(s, ids, grace, timeout=SPREAD_S + 3 * interval + 30), interval)
        burst_ids = asyncio.run(create_widget_sessions(s.app_url, t.widget_key, t.origin, SESSIONS))
        print(f"  burst: {len(burst_ids)} due at +1 s …", flush=True)
        backdate(s, burst_ids, [1.0] * SESSIONS, grace)
        burst = figures(wait_ended(s, burst_ids, grace, timeout=3 * interval + 60), interval)
        result = {
            "reaper_interval_s": interval,
            "heartbeat_grace_s": grace,
            "spread_s": SPREAD_S,
            "spread": spread,
            "burst": burst,
        }
        write_result("reaper-lag", result, s.record, s.log_counts())
    a, b = spread["lag"], burst["lag"]
    print(
        f"reaper lag (spread) p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms, max {a['max_ms']} ms "
        f"(target p99 <= 30000 ms; interval {interval} s, p99/interval {spread['lag_over_interval'].get('p99_ms')}); "
        f"burst p99 {b['p99_ms']} ms, busiest pass {burst['busiest_pass']['per_s']} sessions/s; "
        f"provider end p99 {spread['provider_end_lag']['p99_ms']} ms"
    )
