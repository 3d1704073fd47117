"""How many widget heartbeats one app instance sustains, against the framework's own floor.

20,000 live widget sessions (rows made directly, as if started earlier) beat in round robin from
closed loops; the baseline, measured in the same run at the same concurrency, is `GET /healthz` on
the same instance: what uvicorn + Litestar cost with no work at all. Target: 20,000 sessions at a
20 s interval = 1,000 beats/s on one instance.

A beat answered 200 must be recorded: after the run, the benchmark waits (with a deadline) until every session
that was answered has `last_heartbeat_at` at or after the moment its last answered beat was sent (the same
machine clock), and reports how long that took (0 if every answer already implied the write, as it should).

Knobs: BENCH_HEARTBEAT_SESSIONS (20,000; --quick 2,000), BENCH_CONCURRENCY (32; 8), BENCH_ROUND_S (8 s; 2 s).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

from app.kit.tokens import hash_token
from bench.harness import Stack, stack
from bench.support import cpu_s, knob, wait_until, write_result

SESSIONS = knob("HEARTBEAT_SESSIONS", 20000, 2000)
CONCURRENCY = knob("CONCURRENCY", 32, 8)
SECONDS = knob("ROUND_S", 8.0, 2.0)
TARGET_PER_S = 20000 / 20  # 20,000 sessions at the default 20 s interval
RECORD_DEADLINE_S = 30.0


def _seed(s: Stack, n: int) -> list[tuple[str, str]]:
    """n live widget sessions of the bench tenant, each with its own session token."""
    tid = s.tenant.tenant_id
    key_id = s.owner.value("select id from widget_keys where tenant_id = $1", tid)
    agent_id = s.owner.value("select id from agents where tenant_id = $1 and slug = 'demo'", tid)
    rows = [(uuid.uuid4(), f"gr_st_bench{i:06d}{uuid.uuid4().hex[:8]}") for i in range(n)]
    s.owner.execute(
        """insert into sessions (id, tenant_id, agent_id, agent_slug, engine, widget_key_id, state, max_duration_s,
                                 heartbeat_token_hash, started_at, expires_at, upstream_session_id)
           select id, $1, $2, 'demo', 'openai-realtime', $3, 'active', 3600, h, now(), now() + interval '1 hour', null
           from unnest($4::uuid[], $5::text[]) as t(id, h)""",
        tid,
        agent_id,
        key_id,
        [r[0] for r in rows],
        [hash_token(t) for _, t in rows],
    )
    return [(str(i), t) for i, t in rows]


class RawConnection:
    """A minimal HTTP/1.1 keep-alive client: pre-built request bytes, Content-Length bodies. It costs a fraction
    of httpx's CPU, so on a shared machine the figure measures the server, not the load generator."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, url: str) -> RawConnection:
        host, port = url.removeprefix("http://").split(":")
        return cls(*await asyncio.open_connection(host, int(port)))

    async def send(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return int(head[9:12])

    def close(self) -> None:
        self.writer.close()


def _request(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: bench",
        "Content-Length: 0",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _drive(
    app_url: str, request_of: Callable[[int], bytes], seconds: float, answered: dict[int, float] | None = None
) -> tuple[int, list[float], int]:
    """Closed loops for `seconds`; `answered` (if given) gets, per request index, the epoch its last 200 was sent."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds

    async def loop(n: int) -> None:
        nonlocal errors
        conn = await RawConnection.open(app_url)
        i = n
        try:
            while time.monotonic() < stop_at:
                sent = time.time()
                t = time.perf_counter()
                if await conn.send(request_of(i)) == 200:
                    latencies.append(time.perf_counter() - t)
                    if answered is not None:
                        answered[i] = sent
                else:
                    errors += 1
                i += CONCURRENCY
        finally:
            conn.close()

    await asyncio.gather(*(loop(n) for n in range(CONCURRENCY)))
    return len(latencies), latencies, errors


def _pct(data: list[float], q: float) -> float:
    data = sorted(data)
    return round(data[min(len(data) - 1, int(q * len(data)))] * 1000, 1) if data else float("nan")


async def _measure(
    app_url: str, sessions: list[tuple[str, str]], s: Stack, answered: dict[int, float]
) -> dict[str, Any]:
    beats = [
        _request("POST", f"/v1/widget/sessions/{sid}/heartbeat", {"Authorization": f"Bearer {token}"})
        for sid, token in sessions
    ]
    health = _request("GET", "/healthz", {})

    def beat(i: int) -> bytes:
        return beats[i % len(beats)]

    await _drive(app_url, lambda i: health, 1), await _drive(app_url, beat, 1, answered)  # warm up
    pids = s.groups()
    cpu0 = cpu_s(pids)
    n_h, lat_h, _ = await _drive(app_url, lambda i: health, SECONDS)
    cpu1 = cpu_s(pids)
    n_b, lat_b, err_b = await _drive(app_url, beat, SECONDS, answered)
    cpu2 = cpu_s(pids)
    app_ms = {
        "healthz": 1000 * (cpu1["app"] - cpu0["app"]) / max(1, n_h),
        "heartbeat": 1000 * (cpu2["app"] - cpu1["app"]) / max(1, n_b),
    }
    pg_ms = 1000 * (cpu2["postgres"] - cpu1["postgres"]) / max(1, n_b)
    return {
        "healthz_per_s": round(n_h / SECONDS, 1),
        "heartbeats_per_s": round(n_b / SECONDS, 1),
        "ratio_to_healthz": round(n_b / n_h, 3) if n_h else None,
        "heartbeat_errors": err_b,
        "heartbeat_p50_ms": _pct(lat_b, 0.5),
        "heartbeat_p99_ms": _pct(lat_b, 0.99),
        "healthz_p50_ms": _pct(lat_h, 0.5),
        "healthz_p99_ms": _pct(lat_h, 0.99),
        "beats_sent": n_b,
        "app_cpu_ms_per_healthz": round(app_ms["healthz"], 3),
        "app_cpu_ms_per_beat": round(app_ms["heartbeat"], 3),
        "postgres_cpu_ms_per_beat": round(pg_ms, 3),
        "beats_per_app_core_s": round(1000 / app_ms["heartbeat"]) if app_ms["heartbeat"] else None,
    }


def wait_recorded(s: Stack, sessions: list[tuple[str, str]], answered: dict[int, float]) -> dict[str, Any]:
    """Wait on the effect: every answered session's `last_heartbeat_at` at or after its last answered beat's send."""
    last: dict[str, float] = {}
    for i, sent in answered.items():
        sid = sessions[i % len(sessions)][0]
        last[sid] = max(last.get(sid, 0.0), sent)
    ids, sent = [uuid.UUID(k) for k in last], list(last.values())

    def all_recorded() -> int | None:
        n = int(
            s.owner.value(
                "select count(*) from sessions s join unnest($1::uuid[], $2::float8[]) v(id, sent) on s.id = v.id "
                "where s.last_heartbeat_at >= to_timestamp(v.sent)",
                ids,
                sent,
            )
        )
        return n if n == len(ids) else None

    count, waited, checks = wait_until(
        all_recorded, RECORD_DEADLINE_S, f"{len(ids)} answered sessions to show their last beat"
    )
    beaten_without_answer = s.owner.value(
        "select count(*) from sessions where tenant_id = $1 and last_heartbeat_at is not null and not (id = any($2))",
        s.tenant.tenant_id,
        ids,
    )
    return {
        "sessions_answered": len(ids),
        "sessions_recorded": count,
        "seconds_until_all_recorded": round(waited, 3),
        "recorded_at_first_check": checks == 1,
        "recorded_without_an_answer": beaten_without_answer,
    }


def main() -> None:
    print(f"heartbeats: {SESSIONS} live sessions, concurrency {CONCURRENCY}, {SECONDS:.0f} s per side")
    with stack("heartbeats", worker=False) as s:
        print("  seeding sessions …", flush=True)
        sessions = _seed(s, SESSIONS)
        print("  driving /healthz, then heartbeats …", flush=True)
        answered: dict[int, float] = {}
        result = asyncio.run(_measure(s.app_url, sessions, s, answered))
        result["recorded"] = wait_recorded(s, sessions, answered)
        result |= {
            "sessions": SESSIONS,
            "concurrency": CONCURRENCY,
            "seconds_per_side": SECONDS,
            "target_per_s": TARGET_PER_S,
        }
        write_result("heartbeats", result, s.record, s.log_counts())
    rec = result["recorded"]
    print(
        f"{result['heartbeats_per_s']} beats/s (target {TARGET_PER_S:.0f}/s = 20,000 sessions every 20 s); "
        f"{result['ratio_to_healthz']} of /healthz on the same instance; p99 {result['heartbeat_p99_ms']} ms; "
        f"app CPU {result['app_cpu_ms_per_beat']} ms per beat "
        f"({result['beats_per_app_core_s']} beats per core-second), "
        f"/healthz {result['app_cpu_ms_per_healthz']} ms; {rec['sessions_recorded']} of {rec['sessions_answered']} "
        f"answered sessions recorded {rec['seconds_until_all_recorded']} s after the last answer "
        f"({'at the first check' if rec['recorded_at_first_check'] else 'after polling'})"
    )
