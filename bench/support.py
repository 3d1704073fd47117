"""What every benchmark needs, and nothing from tests/: knobs (full or `--quick` length), the product's settings as a
benchmark runs them, a seeded tenant, database ground truth, CPU accounting, percentiles, and the JSON result with
the commit, the machine and the settings it ran with."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import platform
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import psutil

from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"  # committed: each run's JSON next to the figure it backs
QUICK_RESULTS = RESULTS / "quick"  # --quick runs prove the code works; never figures (ignored by git)
LOGS = RESULTS / "logs"  # the processes' own log lines (ignored by git)


def quick() -> bool:
    return os.environ.get("BENCH_QUICK") == "1"


_KNOBS: dict[str, dict[str, Any]] = {}  # per benchmark module: the knobs it read


def _caller_module() -> str:
    return str(sys._getframe(2).f_globals.get("__name__"))


def knob(name: str, full: Any, short: Any) -> Any:
    """`BENCH_<NAME>` from the environment if set, else the full-length value (or the short one under --quick).
    Every knob a benchmark module reads is recorded in its result."""
    raw = os.environ.get(f"BENCH_{name}")
    if raw is None:
        value = short if quick() else full
    elif isinstance(full, bool):
        value = raw.lower() not in ("0", "false", "no", "")
    else:
        value = type(full)(raw)
    _KNOBS.setdefault(_caller_module(), {})[f"BENCH_{name}"] = value
    return value


# ------------------------------------------------------------------------------------------------ settings


class _Explicit(Settings):
    """Settings from the arguments alone: a GREENROOM_* variable in the shell that starts a benchmark must not change
    what is measured (the harness also leaves those variables out of the processes' environment)."""

    @classmethod
    def settings_customise_sources(  # type: ignore[no-untyped-def,override]
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ):
        return (init_settings,)


def bench_settings(database_url: str, sim_url: str, public_url: str, **must: Any) -> Settings:
    """The product's default settings (log level INFO, JSON logs, default rate limits, timeouts and retry schedules),
    plus only what a deployment must set anyway: where the database and the providers are, and fresh secrets.
    `must` is what a benchmark has to change to measure at all; it is recorded in the result."""
    return _Explicit(  # type: ignore[call-arg]
        database_url=database_url,
        signing_key=secrets.token_urlsafe(48),
        master_keys="1:" + base64.b64encode(os.urandom(32)).decode(),
        public_url=public_url,
        openai_base_url=f"{sim_url}/v1",
        avaturn_base_url=sim_url,
        cartesia_base_url=sim_url,
        ground_truth_url=sim_url,
        **must,
    )


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings given explicitly, as GREENROOM_* variables for a `greenroom` subprocess; the rest stay the
    product's defaults there too."""
    env = {}
    for name in settings.model_fields_set:
        value = getattr(settings, name)
        if value is None:
            continue
        env[f"GREENROOM_{name.upper()}"] = (
            value.get_secret_value()
            if hasattr(value, "get_secret_value")
            else json.dumps(value)
            if isinstance(value, (list, dict))
            else str(value)
        )
    return env


def settings_record(settings: Settings, must: dict[str, Any]) -> dict[str, Any]:
    """What the result says the processes ran with: every setting that differs from the product default (secrets and
    URLs only named), and which of those the benchmark itself chose."""
    default = Settings.model_construct()  # field defaults, without reading the environment
    changed: dict[str, Any] = {}
    for name in Settings.model_fields:
        value, base = getattr(settings, name), getattr(default, name, None)
        if value == base:
            continue
        if hasattr(value, "get_secret_value"):
            value = "(generated for the run)"
        elif name.endswith("_url") and value:
            value = "(local)"
        changed[name] = value
    return {
        "differs_from_default": changed,
        "set_by_benchmark": must,
        "log_level": settings.log_level,
        "log_format": settings.log_format,
    }


# ------------------------------------------------------------------------------------------------ database


def run(coro: Awaitable[Any]) -> Any:
    """Run a coroutine to completion from sync code, also where an event loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


class Db:
    """Synchronous reads and writes as one role (the schema owner, for ground truth and back-dating)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        async def go() -> list[dict[str, Any]]:
            conn = await asyncpg.connect(self.url)
            try:
                return [dict(r) for r in await conn.fetch(sql, *args)]
            finally:
                await conn.close()

        return run(go())

    def value(self, sql: str, *args: Any) -> Any:
        rows = self.fetch(sql, *args)
        return next(iter(rows[0].values())) if rows else None

    def execute(self, sql: str, *args: Any) -> None:
        self.fetch(sql, *args)


def wait_until(check: Callable[[], Any], timeout: float, what: str, every: float = 0.1) -> tuple[Any, float, int]:
    """Poll `check` until it returns something truthy; (that value, seconds it took, checks made: 1 if it already
    held). Past the deadline: an error naming what was awaited, never a figure taken early."""
    began, checks = time.monotonic(), 0
    while True:
        value = check()
        checks += 1
        if value:
            return value, time.monotonic() - began, checks
        if time.monotonic() - began > timeout:
            raise TimeoutError(f"benchmark: timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


@dataclass
class TenantKeys:
    tenant_id: uuid.UUID
    server_key: str
    widget_key: str
    origin: str
    provider_keys: dict[str, str]


async def make_tenant(
    settings: Settings, provider_keys: dict[str, str], origin: str = "https://shop.example"
) -> TenantKeys:
    """A tenant with the provider keys in its vault, an OpenAI agent `demo`, a server key and a widget key for `origin`,
    made through the product's own services (as the app's role)."""
    from app.agents.schemas import AgentSpec, AvatarSettings, OpenAIRealtimeEngine
    from app.agents.service import create_agent
    from app.db.engine import make_engine, make_sessionmaker, transaction
    from app.keys.service import issue_server_key, issue_widget_key
    from app.tenants.models import Tenant
    from app.vault.crypto import Vault
    from app.vault.service import store_credential

    engine = make_engine(settings.database_url or "", null_pool=True)
    sessions = make_sessionmaker(engine)
    try:
        async with transaction(sessions) as db:
            suffix = uuid.uuid4().hex[:8]
            tenant = Tenant(name=f"Bench {suffix}", slug=f"bench-{suffix}")
            db.add(tenant)
            await db.flush()
        async with transaction(sessions, tenant.id) as db:
            vault = Vault(settings.master_keyset)
            for provider, key in provider_keys.items():
                await store_credential(db, vault, tenant_id=tenant.id, provider=provider, secret=key)
            await create_agent(
                db,
                tenant.id,
                AgentSpec(
                    slug="demo",
                    name="Demo",
                    engine=OpenAIRealtimeEngine(instructions="Be brief."),
                    avatar=AvatarSettings(max_duration=600, user_absent_timeout=60),
                ),
            )
            _, server_key = await issue_server_key(db, tenant.id)
            widget = await issue_widget_key(db, tenant.id, [origin])
            return TenantKeys(tenant.id, server_key, widget.key, origin, dict(provider_keys))
    finally:
        await engine.dispose()


# ------------------------------------------------------------------------------------------------ CPU time


def cpu_s(pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each group of processes."""
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


def process_groups(procs: dict[str, subprocess.Popen[bytes]], pgdata: Path) -> dict[str, list[int]]:
    """Pids per role: each `greenroom` process with its children, PostgreSQL (postmaster and backends, which come and
    go with the pools: call again before each measured window), and this client."""
    postgres = [
        p.pid
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and str(pgdata) in " ".join(p.info["cmdline"] or [])
    ]
    postmaster = psutil.Process(postgres[0]) if postgres else None
    groups = {
        "postgres": [postmaster.pid, *(c.pid for c in postmaster.children(recursive=True))] if postmaster else [],
        "client": [os.getpid()],
    }
    for name, proc in procs.items():
        p = psutil.Process(proc.pid)
        groups[name] = [p.pid, *(c.pid for c in p.children(recursive=True))]
    return groups


# ------------------------------------------------------------------------------------------------ statistics


def pct(values: list[float], q: float) -> float | None:
    data = sorted(values)
    return data[min(len(data) - 1, int(q * len(data)))] if data else None


def summary_ms(values: list[float]) -> dict[str, Any]:
    """count, p50/p90/p99/max in milliseconds (values in seconds)."""

    def ms(v: float | None) -> float | None:
        return None if v is None else round(v * 1000, 1)

    return {
        "count": len(values),
        "p50_ms": ms(pct(values, 0.5)),
        "p90_ms": ms(pct(values, 0.9)),
        "p99_ms": ms(pct(values, 0.99)),
        "max_ms": ms(max(values) if values else None),
    }


async def gather_limited(n: int, coros: list[Awaitable[Any]]) -> list[Any]:
    gate = asyncio.Semaphore(n)

    async def one(c: Awaitable[Any]) -> Any:
        async with gate:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


# ------------------------------------------------------------------------------------------------ the result


def _git(*args: str) -> str:
    r = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return r.stdout.rstrip("\n") if r.returncode == 0 else ""  # keep leading blanks: porcelain status columns


def commit_record() -> dict[str, Any]:
    """The commit measured; dirty if tracked files differ from it or untracked files exist outside bench/results/."""
    changed = [
        line[3:] for line in _git("status", "--porcelain").splitlines() if not line[3:].startswith("bench/results/")
    ]
    return {
        "commit": _git("rev-parse", "HEAD").strip() or None,
        "branch": _git("rev-parse", "--abbrev-ref", "HEAD").strip() or None,
        "dirty": bool(changed),
        "dirty_paths": changed[:20],
    }


def machine_record(owner: Db | None = None) -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):  # no /proc/cpuinfo (macOS): fall back to platform.processor()
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    record: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": model or platform.processor() or None,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if owner is not None:
        record["postgresql"] = owner.value("select version()")
        record["postgresql_settings"] = {
            r["name"]: r["setting"]
            for r in owner.fetch(
                "select name, setting from pg_settings where name = any($1)",
                ["shared_buffers", "fsync", "synchronous_commit", "max_connections", "work_mem"],
            )
        }
    return record


def write_result(stem: str, result: dict[str, Any], record: dict[str, Any], logs: dict[str, Any] | None = None) -> Path:
    """bench/results/<stem>-<date>.json (-2, -3 … for another run the same day); --quick runs go to results/quick/.
    `record` is the stack's: the settings the processes ran with and the machine."""
    machine = {**record.get("machine", {}), "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}
    doc = {
        "benchmark": stem,
        "quick": quick(),
        **commit_record(),
        "machine": machine,
        "knobs": _KNOBS.get(_caller_module(), {}),
        "settings": record.get("settings"),
        "processes": record.get("processes"),
        "log_lines": logs,
        "result": result,
    }
    out = QUICK_RESULTS if quick() else RESULTS
    out.mkdir(parents=True, exist_ok=True)
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    path, n = out / f"{stem}-{day}.json", 1
    while path.exists():
        n += 1
        path = out / f"{stem}-{day}-{n}.json"
    path.write_text(json.dumps(doc, indent=2, default=str) + "\n")
    print(f"  result: {path.relative_to(ROOT)}" + ("  (--quick: not a figure)" if quick() else ""), flush=True)
    return path
