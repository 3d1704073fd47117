"""What the broker adds on top of the bare two-call flow.

Baseline: mint an OpenAI client secret (openai SDK) + create the Avaturn session (httpx), clients
pooled, straight against the simulator. Broker: `POST /v1/sessions` to a `greenroom serve` process
that does the same two calls plus its two transactions. Same simulator latency, same concurrency,
rounds interleaved (A B A B …) in one run so machine drift hits both alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import openai
import psutil

from app.db.embedded import EmbeddedPostgres
from bench.harness import stack

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 16))
ROUND_S = float(os.environ.get("BENCH_ROUND_S", 8))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
LATENCY_MS = int(os.environ.get("BENCH_UPSTREAM_LATENCY_MS", 20))
APP_WORKERS = int(os.environ.get("BENCH_APP_WORKERS", 1))
# Quotas on (default): a concurrency limit (the tenant row lock) and a minute budget (the month's usage read) on
# every create, set high enough never to refuse one. BENCH_QUOTAS=0 measures the path without them.
QUOTAS = os.environ.get("BENCH_QUOTAS", "1") != "0"


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


def _cpu_s(pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each group of processes (app, simulator, PostgreSQL, this client)."""
    out: dict[str, float] = {}
    for name, group in pids.items():
        total = 0.0
        for pid in group:
            try:
                t = psutil.Process(pid).cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        out[name] = total
    return out


def _pids(procs: dict[str, subprocess.Popen[bytes]], pg: EmbeddedPostgres) -> dict[str, list[int]]:
    postgres = [p.pid for p in psutil.process_iter(["name", "cmdline"])
                if p.info["name"] == "postgres" and str(pg.pgdata) in " ".join(p.info["cmdline"] or [])]
    postmaster = psutil.Process(postgres[0]) if postgres else None
    pg_all = [postmaster.pid, *(c.pid for c in postmaster.children(recursive=True))] if postmaster else []
    app = psutil.Process(procs["app"].pid)
    return {"app": [app.pid, *(c.pid for c in app.children(recursive=True))], "simulator": [procs["simulator"].pid], "postgres": pg_all, "client": [os.getpid()]}


async def _measure(sim_url: str, app_url: str, tenant, pids_of) -> tuple[Sample, Sample, Sample, Sample]:
    oa = openai.AsyncOpenAI(api_key=tenant.provider_keys["openai"], base_url=f"{sim_url}/v1", max_retries=1)
    av = httpx.AsyncClient(base_url=sim_url, timeout=10, limits=httpx.Limits(max_connections=CONCURRENCY * 2))
    gr = httpx.AsyncClient(base_url=app_url, timeout=10, limits=httpx.Limits(max_connections=CONCURRENCY * 2))
    av_auth = {"Authorization": f"Bearer {tenant.provider_keys['avaturn']}"}

    async def bare() -> None:
        secret = await oa.realtime.client_secrets.create(
            expires_after={"anchor": "created_at", "seconds": 120},
            session={"type": "realtime", "model": "gpt-realtime", "audio": {"output": {"voice": "marin"}}},
        )
        r = await av.post("/api/v1/sessions", headers=av_auth, json={
            "conversation_engine": {"type": "openai-realtime", "client_secret": secret.value}, "max_duration": 600})
        r.raise_for_status()

    async def broker() -> None:
        r = await gr.post("/v1/sessions", json={"agent": "demo"}, headers={"Authorization": f"Bearer {tenant.server_key}"})
        r.raise_for_status()

    await _drive(bare, 1.0)  # warm both paths
    await _drive(broker, 1.0)
    base, brok = Sample(), Sample()
    for i in range(ROUNDS):
        for name, call, total in (("bare flow", bare, base), ("broker", broker, brok)):
            print(f"  round {i + 1}/{ROUNDS}: {name} …", flush=True)
            pids = pids_of()  # PostgreSQL backends come and go with the pool
            before = _cpu_s(pids)
            sample = await _drive(call, ROUND_S)
            after = _cpu_s(pids)
            for proc, used in after.items():
                sample.cpu_s[proc] = sample.cpu_s.get(proc, 0.0) + used - before[proc]
            total.add(sample)
    # Unloaded: one request at a time, so the added latency is the broker's own, not queueing.
    print("  unloaded (concurrency 1) …", flush=True)
    base1, brok1 = await _drive(bare, ROUND_S / 2, 1), await _drive(broker, ROUND_S / 2, 1)
    await oa.close(), await av.aclose(), await gr.aclose()
    return base, brok, base1, brok1


def main() -> None:
    print(f"broker-overhead: quotas {'on' if QUOTAS else 'off'}, concurrency {CONCURRENCY}, {ROUNDS}×{ROUND_S:.0f} s per side, upstream latency {LATENCY_MS} ms, "
          f"{APP_WORKERS} app worker(s)")
    with stack(worker=False, app_workers=APP_WORKERS) as s:
        if QUOTAS:
            s.owner.execute("update tenants set max_concurrent_sessions = 100000, monthly_minutes = 100000000 where id = $1",
                            s.tenant.tenant_id)
        for route in ("openai.client_secrets", "avaturn.create"):
            s.sim.fault(route, latency_ms=LATENCY_MS)
        samples = asyncio.run(_measure(s.sim_url, s.app_url, s.tenant, lambda: _pids(s.procs, s.pg)))
    report(*samples)


def report(base: Sample, brok: Sample, base1: Sample, brok1: Sample) -> None:
    result = {
        "concurrency": CONCURRENCY, "quotas": QUOTAS, "upstream_latency_ms": LATENCY_MS, "app_workers": APP_WORKERS, "seconds_per_side": ROUNDS * ROUND_S,
        "bare_per_s": round(base.rate, 1), "broker_per_s": round(brok.rate, 1),
        "throughput_ratio": round(brok.rate / base.rate, 3) if base.rate else None,
        "bare_p50_ms": round(base.pct(0.5), 1), "bare_p99_ms": round(base.pct(0.99), 1),
        "broker_p50_ms": round(brok.pct(0.5), 1), "broker_p99_ms": round(brok.pct(0.99), 1),
        "added_p50_ms": round(brok.pct(0.5) - base.pct(0.5), 1), "added_p99_ms": round(brok.pct(0.99) - base.pct(0.99), 1),
        "unloaded_bare_p50_ms": round(base1.pct(0.5), 1), "unloaded_broker_p50_ms": round(brok1.pct(0.5), 1),
        "unloaded_added_p50_ms": round(brok1.pct(0.5) - base1.pct(0.5), 1),
        "unloaded_added_p99_ms": round(brok1.pct(0.99) - base1.pct(0.99), 1),
        "errors": {"bare": base.errors + base1.errors, "broker": brok.errors + brok1.errors},
        "cpu_ms_per_session": {"bare": base.cpu_ms_per_call(), "broker": brok.cpu_ms_per_call()},
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "broker-overhead.json").write_text(json.dumps(result, indent=2))
    print(f"ratio {result['throughput_ratio']} (target >= 0.8); added p50 {result['added_p50_ms']} ms (<= 2), "
          f"p99 {result['added_p99_ms']} ms (<= 10); unloaded added p50 {result['unloaded_added_p50_ms']} ms, "
          f"p99 {result['unloaded_added_p99_ms']} ms")
