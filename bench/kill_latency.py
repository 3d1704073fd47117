"""Kill latency: from `DELETE /v1/sessions/{id}` to the provider's acknowledgement (target p99 <= 1 s).

One run starts an embedded PostgreSQL, `greenroom simulate`, `greenroom serve` and `greenroom worker`
(subprocesses, the product's default settings), seeds a tenant and creates N sessions through the broker. It then
terminates them at a steady rate (open loop: each DELETE is sent at its slot whatever the previous ones do).

Both sides are measured between the same two points:
- start: `time.time()` in this client just before the request leaves (the same httpx client setup, the same pacing);
- stop: the simulator's own stamp of the provider DELETE it acknowledges, i.e. the upstream session's `ended_at`
  with `end_cause = deleted` (`time.time()` in the simulator plus an offset that must be 0: checked).

Baseline, same run, same N and rate: the bare provider `DELETE /api/v1/sessions/{id}` sent with httpx straight to
the simulator (what a backend's own kill costs without Greenroom). Subject: `DELETE /v1/sessions/{id}` on the
broker, after which the worker's job makes that provider call. A second broker pass, clearly labelled, makes every
provider DELETE attempt answer 503 with probability 0.5, to show what the worker's retries cost.

Knobs: BENCH_KILL_SESSIONS (300; --quick 30), BENCH_KILL_FAULT_SESSIONS (150; 20), BENCH_KILL_RATE (20 /s).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx

from bench.harness import KEYS, Stack, stack
from bench.support import gather_limited, knob, summary_ms, write_result

SESSIONS = knob("KILL_SESSIONS", 300, 30)
FAULT_SESSIONS = knob("KILL_FAULT_SESSIONS", 150, 20)
RATE = knob("KILL_RATE", 20.0, 20.0)
CREATE_CONCURRENCY = 8
SETTLE_S = 1.0  # after the create burst, before the first paced DELETE: the CPU is idle again (both sides alike)
DELIVERY_DEADLINE_S = 60.0
FAULT_DELIVERY_DEADLINE_S = 180.0  # 503 at p=0.5: a job may need 10+ attempts, backoff capped at 15 s each


async def paced(items: list[Any], rate: float, send: Any) -> list[Any]:
    """Open loop: item i is sent at t0 + i / rate, whatever earlier requests are doing."""
    t0 = time.monotonic() + 0.2

    async def at(i: int, item: Any) -> Any:
        await asyncio.sleep(max(0.0, t0 + i / rate - time.monotonic()))
        return await send(item)

    return await asyncio.gather(*(at(i, item) for i, item in enumerate(items)))


def _client(base_url: str) -> httpx.AsyncClient:
    # One client setup for both sides, so the send stamp is taken the same way.
    return httpx.AsyncClient(
        base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=64, max_keepalive_connections=64)
    )


async def _kill_all(
    http: httpx.AsyncClient, path: str, ids: list[str], headers: dict[str, str]
) -> list[tuple[str, float, float, int]]:
    """(id, epoch just before sending, client round trip s, status) per paced DELETE."""
    await asyncio.sleep(SETTLE_S)

    async def kill(sid: str) -> tuple[str, float, float, int]:
        sent = time.time()
        t = time.perf_counter()
        r = await http.delete(path.format(sid), headers=headers)
        return sid, sent, time.perf_counter() - t, r.status_code

    return await paced(ids, RATE, kill)


# ----------------------------------------------------------------------------------------------- the runs


async def bare_deletes(s: Stack, n: int) -> list[tuple[str, float, float, int]]:
    """Baseline: create n sessions straight on the simulator, then DELETE them there at RATE."""
    auth_oa = {"Authorization": f"Bearer {KEYS['openai']}"}
    auth_av = {"Authorization": f"Bearer {KEYS['avaturn']}"}
    async with _client(s.sim_url) as http:

        async def create(_: int) -> str:
            r = await http.post(
                "/v1/realtime/client_secrets",
                headers=auth_oa,
                json={
                    "expires_after": {"anchor": "created_at", "seconds": 120},
                    "session": {"type": "realtime", "model": "gpt-realtime", "audio": {"output": {"voice": "marin"}}},
                },
            )
            r.raise_for_status()
            r = await http.post(
                "/api/v1/sessions",
                headers=auth_av,
                json={
                    "conversation_engine": {"type": "openai-realtime", "client_secret": r.json()["value"]},
                    "max_duration": 600,
                },
            )
            r.raise_for_status()
            return str(r.json()["session_id"])

        ids = await gather_limited(CREATE_CONCURRENCY, [create(i) for i in range(n)])
        return await _kill_all(http, "/api/v1/sessions/{}", ids, auth_av)


async def broker_kills(s: Stack, n: int) -> list[tuple[str, float, float, int]]:
    """Create n sessions through the broker, then DELETE them there at RATE."""
    auth = {"Authorization": f"Bearer {s.tenant.server_key}"}
    async with _client(s.app_url) as http:

        async def create(_: int) -> str:
            r = await http.post("/v1/sessions", json={"agent": "demo"}, headers=auth)
            r.raise_for_status()
            return str(r.json()["session_id"])

        t = time.monotonic()
        ids = await gather_limited(CREATE_CONCURRENCY, [create(i) for i in range(n)])
        print(
            f"  created {len(ids)} sessions in {time.monotonic() - t:.1f} s; terminating at {RATE:.0f}/s …", flush=True
        )
        return await _kill_all(http, "/v1/sessions/{}", ids, auth)


def wait_delivered(s: Stack, ids: list[str], timeout: float) -> tuple[dict[str, dict[str, Any]], float, int]:
    """Wait on the effect: every session's job done (or parked). Then join with the simulator's ground truth.
    Returns (rows by session id, seconds waited, jobs still open at the deadline: 0 unless the deadline passed)."""
    uuids = [uuid.UUID(i) for i in ids]

    def open_jobs() -> int:
        return int(
            s.owner.value(
                "select count(*) from jobs where (payload->>'session_id')::uuid = any($1) "
                "and state not in ('done', 'parked')",
                uuids,
            )
        )

    began, still_open = time.monotonic(), open_jobs()
    while still_open and time.monotonic() - began < timeout:
        time.sleep(0.2)
        still_open = open_jobs()
    waited = time.monotonic() - began
    if still_open:
        print(f"  WARNING: {still_open} job(s) still open after {timeout:.0f} s: the tail below is cut", flush=True)
    rows = s.owner.fetch(
        "select s.id::text as id, s.upstream_session_id, s.state, extract(epoch from s.ended_at)::float8 as db_ended, "
        "j.state as job_state, j.attempts from sessions s left join jobs j on (j.payload->>'session_id')::uuid = s.id "
        "where s.id = any($1)",
        uuids,
    )
    truth = {t["id"]: t for t in s.sim.sessions()}
    return {r["id"]: {**r, "provider": truth.get(r["upstream_session_id"] or "")} for r in rows}, waited, still_open


def _provider_ack(provider: dict[str, Any] | None) -> float | None:
    p = provider or {}
    return p["ended_at"] if p.get("ended_at") is not None and p.get("end_cause") == "deleted" else None


def bare_figures(s: Stack, kills: list[tuple[str, float, float, int]]) -> dict[str, Any]:
    truth = {t["id"]: t for t in s.sim.sessions()}
    acked = [(_provider_ack(truth.get(sid)), sent) for sid, sent, _, _ in kills]
    latencies = [ack - sent for ack, sent in acked if ack is not None]
    return {
        "send_to_provider_ack": summary_ms(latencies),
        "client_round_trip": summary_ms([k[2] for k in kills]),
        "http_statuses": _count(str(k[3]) for k in kills),
        "not_acknowledged": len(kills) - len(latencies),
        "samples_ms": [round(v * 1000, 2) for v in latencies],
    }


def broker_figures(
    kills: list[tuple[str, float, float, int]], joined: dict[str, dict[str, Any]], waited: float, still_open: int
) -> dict[str, Any]:
    latencies, db_lat = [], []
    for sid, sent, _, _ in kills:
        j = joined.get(sid, {})
        ack = _provider_ack(j.get("provider"))
        if ack is not None:
            latencies.append(ack - sent)
        if j.get("db_ended") is not None:
            db_lat.append(j["db_ended"] - sent)
    attempts = _count(j.get("attempts") for j in joined.values())
    return {
        "send_to_provider_ack": summary_ms(latencies),
        "client_round_trip": summary_ms([k[2] for k in kills]),
        "send_to_db_ended": summary_ms(db_lat),
        "http_statuses": _count(str(k[3]) for k in kills),
        "job_attempts": dict(sorted(attempts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))),
        "jobs_parked": sum(1 for j in joined.values() if j.get("job_state") == "parked"),
        "not_acknowledged": len(kills) - len(latencies),
        "jobs_open_at_deadline": still_open,
        "seconds_until_every_job_finished": round(waited, 2),
        "samples_ms": [round(v * 1000, 2) for v in latencies],
    }


def _count(keys: Any) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for k in keys:
        out[k] = out.get(k, 0) + 1
    return out


def main() -> None:
    print(
        f"kill-latency: {SESSIONS} sessions each side (+{FAULT_SESSIONS} with provider 503s) terminated at "
        f"{RATE:.0f}/s; app, worker and simulator one process each"
    )
    with stack("kill-latency") as s:
        offset = s.sim_clock_offset_s()
        assert offset == 0.0, f"the simulator's clock is offset by {offset} s: its stamps are not time.time()"
        print("  baseline: bare provider DELETE …", flush=True)
        bare = bare_figures(s, asyncio.run(bare_deletes(s, SESSIONS)))
        print("  broker: DELETE /v1/sessions/{id} …", flush=True)
        kills = asyncio.run(broker_kills(s, SESSIONS))
        clean = broker_figures(kills, *wait_delivered(s, [k[0] for k in kills], DELIVERY_DEADLINE_S))
        print("  broker with provider DELETE 503 at p=0.5 per attempt …", flush=True)
        s.sim.fault("avaturn.delete", status=503, error_rate=0.5)
        s.record["settings"]["simulator"] = {"fault_pass_only": {"avaturn.delete": {"status": 503, "error_rate": 0.5}}}
        kills = asyncio.run(broker_kills(s, FAULT_SESSIONS))
        faulty = broker_figures(kills, *wait_delivered(s, [k[0] for k in kills], FAULT_DELIVERY_DEADLINE_S))
        faulty["fault_hits"] = [f.get("hits") for f in s.sim.faults()]
        s.sim.clear_faults()
        b, k = bare["send_to_provider_ack"], clean["send_to_provider_ack"]

        def ratio(a: float | None, c: float | None) -> float | None:
            return round(a / c, 1) if a is not None and c else None

        result = {
            "rate_per_s": RATE,
            "sessions_per_side": SESSIONS,
            "sim_clock_offset_s": offset,
            "measured": "time.time() just before the DELETE leaves the client -> the simulator's ended_at "
            "(end_cause deleted) for that session, on both sides",
            "bare_provider_delete": bare,
            "broker": clean,
            "broker_with_provider_503_p0_5": faulty,
            "ratio_broker_to_bare": {"p50": ratio(k["p50_ms"], b["p50_ms"]), "p99": ratio(k["p99_ms"], b["p99_ms"])},
        }
        write_result("kill-latency", result, s.record, s.log_counts())
    f = faulty["send_to_provider_ack"]
    print(
        f"kill latency (send -> provider's stamp) p50 {k['p50_ms']} ms, p99 {k['p99_ms']} ms (target p99 <= 1000 ms); "
        f"bare provider DELETE, same points: p50 {b['p50_ms']} ms, p99 {b['p99_ms']} ms; ratio p50 "
        f"{result['ratio_broker_to_bare']['p50']}×, p99 {result['ratio_broker_to_bare']['p99']}×. "
        f"With 503s at p=0.5: p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms, max {f['max_ms']} ms"
    )
