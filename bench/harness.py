"""The product as benchmarks run it: embedded PostgreSQL, `greenroom simulate`, `greenroom serve` and
(optionally) `greenroom worker` as subprocesses with the product's default settings, the app as the
row-level-security-bound role, and a seeded tenant. Every benchmark measures against this one setup.

Each process logs as it would in production (JSON lines at INFO) into bench/results/logs/<run>/<process>.log;
the result counts those lines by level."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.cli.serving import free_port, wait_http
from app.db.migrate import upgrade
from app.db.rls import APP_ROLE
from app.settings import Settings
from bench.support import (
    LOGS,
    ROOT,
    Db,
    TenantKeys,
    bench_settings,
    cpu_s,
    machine_record,
    make_tenant,
    process_groups,
    run,
    settings_env,
    settings_record,
)
from devtools.embedded_postgres import EmbeddedPostgres
from devtools.simulator.control import SimulatorControl

KEYS = {"openai": "sk-bench-0123456789", "avaturn": "av-bench-0123456789"}


@dataclass
class Stack:
    settings: Settings
    sim_url: str
    app_url: str
    owner: Db  # the schema owner (postgres): ground truth, and back-dating rows
    sim: SimulatorControl
    tenant: TenantKeys
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)  # for CPU accounting
    pg: EmbeddedPostgres | None = None
    record: dict[str, Any] = field(default_factory=dict)  # settings, machine: for the result
    logs: Path | None = None

    def groups(self) -> dict[str, list[int]]:
        assert self.pg is not None
        return process_groups(self.procs, self.pg.pgdata)

    def cpu(self) -> dict[str, float]:
        return cpu_s(self.groups())

    def sim_clock_offset_s(self) -> float:
        """The simulator's clock is time.time() plus an offset that only tests move; benchmarks need it at 0."""
        return float(self.sim.http.get("/clock").json()["offset_s"])

    def log_counts(self) -> dict[str, dict[str, int]]:
        """Log lines per process and level so far (non-JSON lines, e.g. a traceback, count as `other`)."""
        out: dict[str, dict[str, int]] = {}
        for path in sorted(self.logs.glob("*.log")) if self.logs else []:
            counts: dict[str, int] = {}
            for line in path.read_text(errors="replace").splitlines():
                try:
                    level = str(json.loads(line).get("level", "other"))
                except (ValueError, AttributeError):
                    level = "other"
                counts[level] = counts.get(level, 0) + 1
            out[path.stem] = counts
        return out


@contextmanager
def stack(name: str, worker: bool = True, app_workers: int = 1, **must: Any) -> Iterator[Stack]:
    """PostgreSQL (embedded), simulator, app and (optionally) worker as subprocesses, a seeded tenant.
    `must`: the only settings the benchmark changes from the product's defaults (recorded in the result)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    logs = LOGS / f"{name}-{stamp}"
    logs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="greenroom-bench-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        pg.start()
        procs: dict[str, subprocess.Popen[bytes]] = {}
        files = []
        try:
            pg.create_database("bench")
            owner_url, url = pg.url("bench"), pg.url("bench", user=APP_ROLE)  # the app runs under row-level security
            upgrade(owner_url)
            sim_port, app_port = free_port(), free_port()
            sim_url, app_url = f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{app_port}"
            settings = bench_settings(url, sim_url, app_url, **must)
            # No GREENROOM_* from the shell: the processes see the product's defaults plus what is set here.
            base = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")}
            sim_env = {
                **base,
                "GREENROOM_SIM_OPENAI_KEYS": KEYS["openai"],
                "GREENROOM_SIM_AVATURN_KEYS": KEYS["avaturn"],
            }
            env = {**base, **settings_env(settings)}

            def start(role: str, args: list[str], env: dict[str, str]) -> None:
                out = open(logs / f"{role}.log", "wb")  # noqa: SIM115 - closed in finally
                files.append(out)
                procs[role] = subprocess.Popen(
                    [sys.executable, "-m", "app.cli.main", *args],
                    env=env,
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )

            start("simulator", ["simulate", "--port", str(sim_port)], sim_env)
            start("app", ["serve", "--port", str(app_port), "--workers", str(app_workers)], env)
            if worker:
                start("worker", ["worker"], env)
            wait_http(f"{sim_url}/__sim/health", timeout=120, proc=procs["simulator"], what="simulator")
            wait_http(f"{app_url}/healthz", timeout=120, proc=procs["app"], what="app")
            tenant = run(make_tenant(settings, KEYS))
            owner = Db(owner_url)
            record = {
                "settings": settings_record(settings, must),
                "machine": machine_record(owner),
                "processes": {"app_workers": app_workers, "worker": worker},
            }
            with SimulatorControl(sim_url) as sim:
                yield Stack(settings, sim_url, app_url, owner, sim, tenant, procs, pg, record, logs)
        finally:
            for p in procs.values():
                p.terminate()
            for p in procs.values():
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
            for f in files:
                f.close()
            pg.stop("immediate")
