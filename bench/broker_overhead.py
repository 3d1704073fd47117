"""What the broker adds on top of the bare two-call flow.

Baseline: mint an OpenAI client secret (openai SDK) + create the Avaturn session (httpx), clients
pooled, straight against the simulator. Broker: `POST /v1/sessions` to a `greenroom serve` process
that does the same two calls plus its two transactions. Same simulator latency, same concurrency,
rounds interleaved (A B A B …) in one run so machine drift hits both alike.

Every measured window starts from the same state: after each window (outside its timing and its CPU
accounting) every session it created is ended — broker sessions with `DELETE /v1/sessions/{id}`, then a wait until
the worker has ended them upstream and metered them (no live and no unmetered session left, no open job), bare
sessions with the provider's DELETE. So the quota checks (live count, the month's billed seconds, which include
unmetered sessions) see 0 sessions at the start of every window and at most the window's own creates by its end.

Knobs: BENCH_CONCURRENCY (16), BENCH_ROUND_S (8 s; --quick 2), BENCH_ROUNDS (3; 1), BENCH_UPSTREAM_LATENCY_MS (20),
BENCH_APP_WORKERS (1), BENCH_QUOTAS (1: a concurrency limit and a minute budget on the tenant; 0: none).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import openai

from bench.harness import Stack, stack
from bench.support import cpu_s, gather_limited, knob, write_result

CONCURRENCY = knob("CONCURRENCY", 16, 16)
ROUND_S = knob("ROUND_S", 8.0, 2.0)
ROUNDS = knob("ROUNDS", 3, 1)
LATENCY_MS = knob("UPSTREAM_LATENCY_MS", 20, 20)
APP_WORKERS = knob("APP_WORKERS", 1, 1)
# Quotas on (default): a concurrency limit (the tenant row lock) and a minute budget (the month's usage read) on
# every create, set high enough never to refuse one. BENCH_QUOTAS=0 measures the path without them.
QUOTAS = knob("QUOTAS", True, True)
DRAIN_DEADLINE_S = 120.0


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cpu_s: dict[str, float] = field(default_factory=dict)

    def add(self, other: Sample) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.seconds += other.seconds
        for k, v in other.cpu_s.items():
            self.cpu_s[k] = self.cpu_s.get(k, 0.0) + v

    def cpu_ms_per_call(self) -> dict[str, float]:
        n = max(1, len(self.latencies))
        return {k: round(1000 * v / n, 2) for k, v in self.cpu_s.items() if v > 0.001}

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(q * len(data)))] * 1000 if data else float("nan")


async def _drive(call, seconds: float, concurrency: int = CONCURRENCY) -> Sample:
    sample = Sample()
    stop_at = time.monotonic() + seconds

    async def loop() -> None:
        while time.monotonic() < stop_at:
            t = time.perf_counter()
            try:
                await call()
                sample.latencies.append(time.perf_counter() - t)
            except Exception:
                sample.errors += 1

    start = time.monotonic()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    sample.seconds = time.monotonic() - start
    return sample


class Ender:
    """Ends what a window created, outside its timing and CPU accounting, and waits until the state is back to
    where every window starts: no live session, none unmetered, no open job for the tenant."""

    def __init__(self, s: Stack, gr: httpx.AsyncClient, av: httpx.AsyncClient, av_auth: dict[str, str]) -> None:
        self.s, self.gr, self.av, self.av_auth = s, gr, av, av_auth
        self.broker_ids: list[str] = []
        self.bare_ids: list[str] = []
        self.drains: list[dict[str, Any]] = []

    def _leftovers(self) -> dict[str, int]:
        return self.s.owner.fetch(
            """select (select count(*) from sessions where tenant_id = $1 and state in ('starting', 'active')) as live,
                      (select count(*) from sessions where tenant_id = $1 and upstream_session_id is not null
                                                          and upstream_ended_at is null) as unmetered,
                      (select count(*) from jobs where tenant_id = $1 and state not in ('done', 'parked'))
                        as open_jobs""",
            self.s.tenant.tenant_id,
        )[0]

    def _live(self) -> list[str]:
        return [
            r["id"]
            for r in self.s.owner.fetch(
                "select id::text as id from sessions where tenant_id = $1 and state in ('starting', 'active')",
                self.s.tenant.tenant_id,
            )
        ]

    async def drain(self, window: str) -> None:
        began = time.monotonic()
        bare, created, ended = self.bare_ids, len(self.broker_ids), 0
        self.broker_ids, self.bare_ids = [], []
        auth = {"Authorization": f"Bearer {self.s.tenant.server_key}"}

        async def end_broker(sid: str) -> None:
            await self.gr.delete(f"/v1/sessions/{sid}", headers=auth)  # 202; a session still starting: next turn

        async def end_bare(sid: str) -> None:
            (await self.av.delete(f"/api/v1/sessions/{sid}", headers=self.av_auth)).raise_for_status()

        await gather_limited(CONCURRENCY, [end_bare(i) for i in bare])
        while True:
            # Every live session of the tenant, not only those the client saw answered (a timed-out create may live on).
            live = await asyncio.to_thread(self._live)
            await gather_limited(CONCURRENCY, [end_broker(i) for i in live])
            ended += len(live)
            left = await asyncio.to_thread(self._leftovers)
            if not any(left.values()):
                break
            if time.monotonic() - began > DRAIN_DEADLINE_S:
                raise TimeoutError(
                    f"benchmark: after {window}, sessions not ended within {DRAIN_DEADLINE_S:.0f} s: {left}"
                )
            await asyncio.sleep(0.1)
        self.drains.append(
            {
                "after": window,
                "broker_sessions_created": created,
                "broker_delete_requests": ended,
                "bare_sessions_ended": len(bare),
                "seconds": round(time.monotonic() - began, 2),
            }
        )


async def _measure(s: Stack) -> tuple[tuple[Sample, Sample, Sample, Sample], list[dict[str, Any]]]:
    tenant = s.tenant
    oa = openai.AsyncOpenAI(api_key=tenant.provider_keys["openai"], base_url=f"{s.sim_url}/v1", max_retries=1)
    av = httpx.AsyncClient(base_url=s.sim_url, timeout=10, limits=httpx.Limits(max_connections=CONCURRENCY * 2))
    gr = httpx.AsyncClient(base_url=s.app_url, timeout=10, limits=httpx.Limits(max_connections=CONCURRENCY * 2))
    av_auth = {"Authorization": f"Bearer {tenant.provider_keys['avaturn']}"}
    ender = Ender(s, gr, av, av_auth)

    async def bare() -> None:
        secret = await oa.realtime.client_secrets.create(
            expires_after={"anchor": "created_at", "seconds": 120},
            session={"type": "realtime", "model": "gpt-realtime", "audio": {"output": {"voice": "marin"}}},
        )
        r = await av.post(
            "/api/v1/sessions",
            headers=av_auth,
            json={
                "conversation_engine": {"type": "openai-realtime", "client_secret": secret.value},
                "max_duration": 600,
            },
        )
        r.raise_for_status()
        ender.bare_ids.append(str(r.json()["session_id"]))

    async def broker() -> None:
        r = await gr.post(
            "/v1/sessions", json={"agent": "demo"}, headers={"Authorization": f"Bearer {tenant.server_key}"}
        )
        r.raise_for_status()
        ender.broker_ids.append(str(r.json()["session_id"]))

    async def window(name: str, call: Callable[[], Awaitable[None]], seconds: float, concurrency: int) -> Sample:
        pids = s.groups()  # PostgreSQL backends come and go with the pool
        before = cpu_s(pids)
        sample = await _drive(call, seconds, concurrency)
        after = cpu_s(pids)
        for proc, used in after.items():
            sample.cpu_s[proc] = sample.cpu_s.get(proc, 0.0) + used - before[proc]
        await ender.drain(name)
        return sample

    await window("warm-up bare flow", bare, 1.0, CONCURRENCY)  # warm both paths
    await window("warm-up broker", broker, 1.0, CONCURRENCY)
    base, brok = Sample(), Sample()
    for i in range(ROUNDS):
        for name, call, total in (("bare flow", bare, base), ("broker", broker, brok)):
            print(f"  round {i + 1}/{ROUNDS}: {name} …", flush=True)
            total.add(await window(f"round {i + 1} {name}", call, ROUND_S, CONCURRENCY))
    # Unloaded: one request at a time, so the added latency is the broker's own, not queueing.
    print("  unloaded (concurrency 1) …", flush=True)
    base1 = await window("unloaded bare flow", bare, ROUND_S / 2, 1)
    brok1 = await window("unloaded broker", broker, ROUND_S / 2, 1)
    await oa.close(), await av.aclose(), await gr.aclose()
    return (base, brok, base1, brok1), ender.drains


def main() -> None:
    print(
        f"broker-overhead: quotas {'on' if QUOTAS else 'off'}, concurrency {CONCURRENCY}, "
        f"{ROUNDS}×{ROUND_S:.0f} s per side, upstream latency {LATENCY_MS} ms, "
        f"{APP_WORKERS} app worker(s)"
    )
    with stack("broker-overhead", worker=True, app_workers=APP_WORKERS) as s:
        if QUOTAS:
            s.owner.execute(
                "update tenants set max_concurrent_sessions = 100000, monthly_minutes = 100000000 where id = $1",
                s.tenant.tenant_id,
            )
            s.record["settings"]["bench_tenant"] = {"max_concurrent_sessions": 100000, "monthly_minutes": 100000000}
        for route in ("openai.client_secrets", "avaturn.create"):
            s.sim.fault(route, latency_ms=LATENCY_MS)
        s.record["settings"]["simulator"] = {
            "latency_ms": {"openai.client_secrets": LATENCY_MS, "avaturn.create": LATENCY_MS}
        }
        samples, drains = asyncio.run(_measure(s))
        result = report(*samples)
        result["drains"] = drains
        write_result("broker-overhead" if QUOTAS else "broker-overhead-quotas-off", result, s.record, s.log_counts())
    print(
        f"ratio {result['throughput_ratio']} (target >= 0.8); added p50 {result['added_p50_ms']} ms (<= 2), "
        f"p99 {result['added_p99_ms']} ms (<= 10); unloaded added p50 {result['unloaded_added_p50_ms']} ms, "
        f"p99 {result['unloaded_added_p99_ms']} ms"
    )


def report(base: Sample, brok: Sample, base1: Sample, brok1: Sample) -> dict[str, Any]:
    result = {
        "concurrency": CONCURRENCY,
        "quotas": QUOTAS,
        "upstream_latency_ms": LATENCY_MS,
        "app_workers": APP_WORKERS,
        "seconds_per_side": ROUNDS * ROUND_S,
        "bare_sessions": len(base.latencies),
        "broker_sessions": len(brok.latencies),
        "bare_per_s": round(base.rate, 1),
        "broker_per_s": round(brok.rate, 1),
        "throughput_ratio": round(brok.rate / base.rate, 3) if base.rate else None,
        "bare_p50_ms": round(base.pct(0.5), 1),
        "bare_p99_ms": round(base.pct(0.99), 1),
        "broker_p50_ms": round(brok.pct(0.5), 1),
        "broker_p99_ms": round(brok.pct(0.99), 1),
        "added_p50_ms": round(brok.pct(0.5) - base.pct(0.5), 1),
        "added_p99_ms": round(brok.pct(0.99) - base.pct(0.99), 1),
        "unloaded_bare_p50_ms": round(base1.pct(0.5), 1),
        "unloaded_broker_p50_ms": round(brok1.pct(0.5), 1),
        "unloaded_added_p50_ms": round(brok1.pct(0.5) - base1.pct(0.5), 1),
        "unloaded_added_p99_ms": round(brok1.pct(0.99) - base1.pct(0.99), 1),
        "errors": {"bare": base.errors + base1.errors, "broker": brok.errors + brok1.errors},
        "cpu_ms_per_session": {"bare": base.cpu_ms_per_call(), "broker": brok.cpu_ms_per_call()},
    }
    return result
