"""Kill latency: from `DELETE /v1/sessions/{id}` to the provider's acknowledgement (target p99 <= 1 s).

One run starts an embedded PostgreSQL, `greenroom simulate`, `greenroom serve` and `greenroom worker`
(subprocesses), seeds a tenant and creates N sessions through the broker. It then terminates them at a
steady rate (open loop: each DELETE is sent at its slot whatever the previous ones do), noting the wall
clock just before each request. The provider's acknowledgement is the simulator's ground truth: the
upstream session's `ended_at` (epoch seconds, `time.time()` plus an offset that stays 0 here; checked).

Baseline, same run, same rate: the bare provider `DELETE /api/v1/sessions/{id}` sent with httpx straight
to the simulator. A second broker pass, clearly labelled, makes every provider DELETE attempt answer 503
with probability 0.5, to show what the worker's retries (backoff with jitter, 1 s poll) cost.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench.harness import KEYS, Stack, stack

SESSIONS = int(os.environ.get("BENCH_KILL_SESSIONS", 300))
FAULT_SESSIONS = int(os.environ.get("BENCH_KILL_FAULT_SESSIONS", 150))
RATE = float(os.environ.get("BENCH_KILL_RATE", 20))
CREATE_CONCURRENCY = 8


def pct(values: list[float], q: float) -> float | None:
    data = sorted(values)
    return data[min(len(data) - 1, int(q * len(data)))] if data else None


def summary_ms(values: list[float]) -> dict[str, Any]:
    """count, p50/p90/p99/max in milliseconds (values in seconds)."""
    def ms(v: float | None) -> float | None:
        return None if v is None else round(v * 1000, 1)
    return {"count": len(values), "p50_ms": ms(pct(values, 0.5)), "p90_ms": ms(pct(values, 0.9)),
            "p99_ms": ms(pct(values, 0.99)), "max_ms": ms(max(values) if values else None)}


async def gather_limited(n: int, coros: list[Any]) -> list[Any]:
    gate = asyncio.Semaphore(n)

    async def one(c: Any) -> Any:
        async with gate:
            return await c
    return await asyncio.gather(*(one(c) for c in coros))


async def paced(items: list[Any], rate: float, send: Any) -> list[Any]:
    """Open loop: item i is sent at t0 + i / rate, whatever earlier requests are doing."""
    t0 = time.monotonic() + 0.2

    async def at(i: int, item: Any) -> Any:
        await asyncio.sleep(max(0.0, t0 + i / rate - time.monotonic()))
        return await send(item)
    return await asyncio.gather(*(at(i, item) for i, item in enumerate(items)))


# ----------------------------------------------------------------------------------------------- the runs


async def bare_deletes(s: Stack, n: int) -> dict[str, Any]:
    """Baseline: create n sessions straight on the simulator, then DELETE them there at RATE with httpx."""
    auth_oa = {"Authorization": f"Bearer {KEYS['openai']}"}
    auth_av = {"Authorization": f"Bearer {KEYS['avaturn']}"}
    async with httpx.AsyncClient(base_url=s.sim_url, timeout=10) as http:
        async def create(_: int) -> str:
            r = await http.post("/v1/realtime/client_secrets", headers=auth_oa, json={
                "expires_after": {"anchor": "created_at", "seconds": 120},
                "session": {"type": "realtime", "model": "gpt-realtime", "audio": {"output": {"voice": "marin"}}}})
            r.raise_for_status()
            r = await http.post("/api/v1/sessions", headers=auth_av, json={
                "conversation_engine": {"type": "openai-realtime", "client_secret": r.json()["value"]}, "max_duration": 600})
            r.raise_for_status()
            return str(r.json()["session_id"])

        ids = await gather_limited(CREATE_CONCURRENCY, [create(i) for i in range(n)])

        async def delete(sid: str) -> tuple[float, int]:
            t = time.perf_counter()
            r = await http.delete(f"/api/v1/sessions/{sid}", headers=auth_av)
            return time.perf_counter() - t, r.status_code

        done = await paced(ids, RATE, delete)
    return {"latencies": [d for d, _ in done], "errors": sum(1 for _, st in done if st != 200)}


async def broker_kills(s: Stack, n: int) -> dict[str, Any]:
    """Create n sessions through the broker, then DELETE them at RATE; note each send time (epoch)."""
    auth = {"Authorization": f"Bearer {s.tenant.server_key}"}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=s.app_url, timeout=30, limits=limits) as http:
        async def create(_: int) -> str:
            r = await http.post("/v1/sessions", json={"agent": "demo"}, headers=auth)
            r.raise_for_status()
            return str(r.json()["session_id"])

        t = time.monotonic()
        ids = await gather_limited(CREATE_CONCURRENCY, [create(i) for i in range(n)])
        print(f"  created {len(ids)} sessions in {time.monotonic() - t:.1f} s; terminating at {RATE:.0f}/s …", flush=True)
        await asyncio.sleep(1.0)  # let the create burst settle

        async def kill(sid: str) -> tuple[str, float, float, int]:
            sent = time.time()
            t = time.perf_counter()
            r = await http.delete(f"/v1/sessions/{sid}", headers=auth)
            return sid, sent, time.perf_counter() - t, r.status_code

        done = await paced(ids, RATE, kill)
    return {"kills": done}


def wait_delivered(s: Stack, ids: list[str], timeout: float = 30) -> dict[str, dict[str, Any]]:
    """Wait until every session's job is done (or parked), then join with the simulator's ground truth."""
    uuids = [uuid.UUID(i) for i in ids]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        open_ = s.owner.value("select count(*) from jobs where (payload->>'session_id')::uuid = any($1) "
                              "and state not in ('done', 'parked')", uuids)
        if open_ == 0:
            break
        time.sleep(0.5)
    rows = s.owner.fetch(
        "select s.id::text as id, s.upstream_session_id, s.state, extract(epoch from s.ended_at)::float8 as db_ended, "
        "j.state as job_state, j.attempts from sessions s left join jobs j on (j.payload->>'session_id')::uuid = s.id "
        "where s.id = any($1)", uuids)
    truth = {t["id"]: t for t in s.sim.sessions()}
    return {r["id"]: {**r, "provider": truth.get(r["upstream_session_id"] or "")} for r in rows}


def kill_figures(kills: list[tuple[str, float, float, int]], joined: dict[str, dict[str, Any]]) -> dict[str, Any]:
    latencies, db_lat, undelivered, statuses, attempts, parked = [], [], [], {}, {}, 0
    for sid, sent, resp_s, status in kills:
        statuses[status] = statuses.get(status, 0) + 1
        j = joined.get(sid, {})
        p = j.get("provider") or {}
        attempts[j.get("attempts")] = attempts.get(j.get("attempts"), 0) + 1
        parked += j.get("job_state") == "parked"
        if p.get("ended_at") is not None and p.get("end_cause") == "deleted":
            latencies.append(p["ended_at"] - sent)
        else:
            undelivered.append(sid)
        if j.get("db_ended") is not None:
            db_lat.append(j["db_ended"] - sent)
    return {
        "kill_to_provider": summary_ms(latencies),
        "delete_response": summary_ms([k[2] for k in kills]),
        "send_to_db_ended": summary_ms(db_lat),
        "http_statuses": {str(k): v for k, v in statuses.items()},
        "job_attempts": {str(k): v for k, v in sorted(attempts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))},
        "jobs_parked": parked,
        "not_ended_by_delete": len(undelivered),
        "_latencies": latencies,
    }


def main() -> None:
    print(f"kill-latency: {SESSIONS} sessions (+{FAULT_SESSIONS} with provider 503s) terminated at {RATE:.0f}/s; "
          "app, worker and simulator one process each")
    with stack() as s:
        skew = s.sim.now() - time.time()
        print(f"  simulator clock − time.time() = {skew * 1000:.1f} ms", flush=True)
        print("  baseline: bare provider DELETE …", flush=True)
        bare = asyncio.run(bare_deletes(s, min(SESSIONS, 150)))
        print("  broker: DELETE /v1/sessions/{id} …", flush=True)
        clean = asyncio.run(broker_kills(s, SESSIONS))
        clean_joined = wait_delivered(s, [k[0] for k in clean["kills"]])
        print("  broker with provider DELETE 503 at p=0.5 per attempt …", flush=True)
        s.sim.fault("avaturn.delete", status=503, error_rate=0.5)
        faulty = asyncio.run(broker_kills(s, FAULT_SESSIONS))
        faulty_joined = wait_delivered(s, [k[0] for k in faulty["kills"]], timeout=60)
        fault_hits = [f.get("hits") for f in s.sim.faults()]
        s.sim.clear_faults()
    report(skew, bare, kill_figures(clean["kills"], clean_joined), kill_figures(faulty["kills"], faulty_joined), fault_hits)


def report(skew: float, bare: dict[str, Any], clean: dict[str, Any], faulty: dict[str, Any], fault_hits: list[Any]) -> None:
    b = summary_ms(bare["latencies"])
    k = clean["kill_to_provider"]

    def ratio(a: float | None, c: float | None) -> float | None:
        return round(a / c, 1) if a is not None and c else None

    for fig in (clean, faulty):
        fig.pop("_latencies")
    result = {
        "rate_per_s": RATE, "sim_clock_skew_ms": round(skew * 1000, 2),
        "bare_provider_delete": {**b, "errors": bare["errors"]},
        "broker": clean,
        "broker_with_provider_503_p0_5": {**faulty, "fault_hits": fault_hits},
        "ratio_kill_to_bare_delete": {"p50": ratio(k["p50_ms"], b["p50_ms"]), "p99": ratio(k["p99_ms"], b["p99_ms"])},
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "kill-latency.json").write_text(json.dumps(result, indent=2))
    f = faulty["kill_to_provider"]
    print(f"kill latency p50 {k['p50_ms']} ms, p99 {k['p99_ms']} ms (target p99 <= 1000 ms); bare provider DELETE "
          f"p50 {b['p50_ms']} ms, p99 {b['p99_ms']} ms; ratio p50 {result['ratio_kill_to_bare_delete']['p50']}×, "
          f"p99 {result['ratio_kill_to_bare_delete']['p99']}×. With 503s at p=0.5: p50 {f['p50_ms']} ms, "
          f"p99 {f['p99_ms']} ms, max {f['max_ms']} ms")
