"""A product of its own for fault tests: simulator, PostgreSQL, a seeded tenant and a worker.

Fault tests stop servers and make providers misbehave; doing that to the shared fixtures would disturb
every other test, so each scenario gets its own.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.cli.serving import ServerThread, free_port
from app.db.migrate import upgrade
from app.db.rls import APP_ROLE
from app.settings import Settings
from devtools.embedded_postgres import EmbeddedPostgres
from devtools.simulator import SimulatorConfig, create_simulator_app
from devtools.simulator.control import SimulatorControl
from tests.support.database import Db, run
from tests.support.stack import TenantKeys, WorkerThread, make_tenant, settings_for


@dataclass
class Isolated:
    settings: Settings
    port: int  # where the test should run its app instance (settings.public_url points there)
    tenant: TenantKeys
    keys: dict[str, str]
    sim: SimulatorControl
    owner: Db
    pg: EmbeddedPostgres
    worker: WorkerThread  # stop it (idempotent) to be sure no further upstream call can come from it


@contextmanager
def isolated(**overrides: object) -> Iterator[Isolated]:
    keys = {"openai": "sk-fault-" + secrets.token_hex(8), "avaturn": "av-fault-" + secrets.token_hex(8)}
    config = SimulatorConfig(openai_keys={keys["openai"]}, avaturn_keys={keys["avaturn"]}, cartesia_keys=set())
    with (
        ServerThread(create_simulator_app(config)) as sim_server,
        SimulatorControl(sim_server.url) as sim,
        tempfile.TemporaryDirectory(prefix="greenroom-fault-pg-") as tmp,
    ):
        pg = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        pg.start()
        try:
            pg.create_database("faults")
            upgrade(pg.url("faults"))
            port = free_port()
            settings = settings_for(
                pg.url("faults", user=APP_ROLE), sim_server.url, f"http://127.0.0.1:{port}", **overrides
            )
            tenant = run(make_tenant(settings, keys))
            worker = WorkerThread(settings).start()
            try:
                yield Isolated(settings, port, tenant, keys, sim, Db(pg.url("faults")), pg, worker)
            finally:
                worker.stop()
        finally:
            pg.stop("immediate")
