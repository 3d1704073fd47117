"""Job workers a test controls itself, on a database of their own.

The session-wide `stack` runs a worker on the shared database that leases every tenant's jobs, so a test that
counts attempts, parks jobs or races workers gets a fresh database (a sibling on the same server, made by the
migrations) where only its own workers run, with the job policy it injects.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from app.cli.serving import ServerThread, free_port
from app.jobs.runner import JobPolicy
from app.main import create_app
from app.settings import Settings
from app.worker import run_worker
from devtools.simulator import SimulatorConfig, create_simulator_app
from devtools.simulator.control import SimulatorControl
from tests.support.database import Db, TestDatabase, migrated_copy, run
from tests.support.stack import TenantKeys, WorkerThread, make_tenant, settings_for


class PolicyWorker(WorkerThread):
    """`run_worker` on its own thread and loop with an injected JobPolicy; `kill()` makes it die mid-job."""

    def __init__(self, settings: Settings, policy: JobPolicy | None = None, name: str = "worker") -> None:
        super().__init__(settings)
        self.policy = policy
        self.thread.name = name
        self.task: asyncio.Task[None] | None = None
        self.killed = False

    def _run(self) -> None:
        async def main() -> None:
            self.loop = asyncio.get_running_loop()
            self.stop_event = asyncio.Event()
            self.task = asyncio.current_task()
            self.ready.set()
            await run_worker(self.settings, self.stop_event, policy=self.policy)

        try:
            asyncio.run(main())
        except asyncio.CancelledError:
            if not self.killed:
                raise

    def kill(self) -> None:
        """Cancel the worker where it stands: a job in flight records no outcome and keeps its lease, and its
        connections close (the provider sees the client hang up), as when a worker process dies."""
        assert self.loop and self.task
        self.killed = True
        self.loop.call_soon_threadsafe(self.task.cancel)
        self.thread.join(10)
        assert not self.thread.is_alive(), "the worker did not die"

    def stop(self) -> None:
        """Stop gracefully: jobs in flight finish first, so once this returns the worker sends nothing more."""
        super().stop()
        assert not self.thread.is_alive(), "the worker did not stop within 10 s"


@dataclass
class WorkerlessStack:
    """An app instance on a database of its own, with its own simulator and one tenant; no worker (the test
    starts the workers it wants). Unlike `tests.support.stack.own_stack`, which runs a worker of its own."""

    settings: Settings
    url: str
    http: httpx.Client
    sim: SimulatorControl
    db: Db  # ground truth, read as the schema owner
    owner_url: str
    tenant: TenantKeys

    def start_session(self) -> dict[str, Any]:
        resp = self.http.post("/v1/sessions", json={"agent": "demo"}, headers=self.auth)
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def terminate(self, session_id: str) -> None:
        resp = self.http.delete(f"/v1/sessions/{session_id}", headers=self.auth)
        assert resp.status_code in (200, 202), resp.text

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tenant.server_key}"}

    def upstream_id(self, session_id: str) -> str:
        return str(self.db.value("select upstream_session_id from sessions where id = $1", uuid.UUID(session_id)))

    def deletes(self, upstream_id: str) -> list[dict[str, Any]]:
        """Every DELETE the simulator saw for this upstream session, in order, with its status."""
        return [r for r in self.sim.requests("avaturn.delete") if r["path"].endswith("/" + upstream_id)]

    def assert_no_unknown_upstream_sessions(self) -> None:
        """As the suite's autouse check: nothing alive upstream that Greenroom does not know as live."""
        alive = {s["id"] for s in self.sim.alive_sessions()}
        live = {
            r["upstream_session_id"]
            for r in self.db.fetch(
                "select upstream_session_id from sessions"
                " where state in ('starting','active') and upstream_session_id is not null"
            )
        }
        assert not alive - live, f"upstream sessions alive that Greenroom does not know as live: {sorted(alive - live)}"


@contextmanager
def workerless_stack(test_db: TestDatabase, **overrides: object) -> Iterator[WorkerlessStack]:
    keys = {"openai": "sk-own-" + secrets.token_hex(8), "avaturn": "av-own-" + secrets.token_hex(8)}
    config = SimulatorConfig(openai_keys={keys["openai"]}, avaturn_keys={keys["avaturn"]}, cartesia_keys=set())
    with (
        migrated_copy(test_db) as database,
        ServerThread(create_simulator_app(config)) as sim_server,
        SimulatorControl(sim_server.url) as sim,
    ):
        port = free_port()
        settings = settings_for(database.app_url, sim_server.url, f"http://127.0.0.1:{port}", **overrides)
        tenant = run(make_tenant(settings, keys))
        with ServerThread(create_app(settings), port=port) as app, httpx.Client(base_url=app.url, timeout=30) as http:
            try:
                yield WorkerlessStack(settings, app.url, http, sim, Db(database.owner_url), database.owner_url, tenant)
            finally:
                sim.clear_faults()  # nothing stays parked behind a hold
