"""The product as benchmarks run it: embedded PostgreSQL, `greenroom simulate`, `greenroom serve` and
(optionally) `greenroom worker` as subprocesses, the app as the row-level-security-bound role, and a
seeded tenant. Every benchmark measures against this one setup."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from app.db.embedded import EmbeddedPostgres
from app.db.migrate import upgrade
from app.db.rls import APP_ROLE
from app.serving import free_port, wait_http
from app.settings import Settings
from app.simulator.control import SimulatorControl
from tests.support.database import Db, run
from tests.support.stack import TenantKeys, make_tenant, settings_env, settings_for

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


@contextmanager
def stack(worker: bool = True, app_workers: int = 1, **overrides: Any) -> Iterator[Stack]:
    """PostgreSQL (embedded), simulator, app and (optionally) worker as subprocesses, a seeded tenant."""
    with tempfile.TemporaryDirectory(prefix="greenroom-bench-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        pg.start()
        procs: dict[str, subprocess.Popen[bytes]] = {}
        try:
            pg.create_database("bench")
            owner_url, url = pg.url("bench"), pg.url("bench", user=APP_ROLE)  # the app runs under row-level security
            upgrade(owner_url)
            sim_port, app_port = free_port(), free_port()
            sim_url, app_url = f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{app_port}"
            settings = settings_for(url, sim_url, app_url, log_level="WARNING", **overrides)
            env = {**os.environ, "GREENROOM_SIM_OPENAI_KEYS": KEYS["openai"], "GREENROOM_SIM_AVATURN_KEYS": KEYS["avaturn"]}
            procs["simulator"] = subprocess.Popen([sys.executable, "-m", "app.cli", "simulate", "--port", str(sim_port)], env=env)
            env |= settings_env(settings)
            procs["app"] = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(app_port),
                                             "--workers", str(app_workers)], env=env)
            if worker:
                procs["worker"] = subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], env=env)
            wait_http(f"{sim_url}/__sim/health"), wait_http(f"{app_url}/healthz")
            tenant = run(make_tenant(settings, KEYS))
            with SimulatorControl(sim_url) as sim:
                yield Stack(settings, sim_url, app_url, Db(owner_url), sim, tenant, procs, pg)
        finally:
            for p in procs.values():
                p.terminate()
            for p in procs.values():
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
            pg.stop("immediate")




