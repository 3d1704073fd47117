"""The product over real sockets: the app and the simulator on uvicorn, the worker on its own loop."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from app.agents.schemas import (
    AgentSpec,
    AvatarSettings,
    CartesiaEngine,
    OpenAIRealtimeEngine,
)
from app.agents.service import create_agent
from app.db.engine import make_engine, make_sessionmaker, transaction
from app.jobs.outbox import DELETE_UPSTREAM_SESSION
from app.keys.service import issue_server_key, issue_widget_key
from app.settings import Settings
from app.tenants.models import Tenant
from app.vault.crypto import Vault
from app.vault.service import store_credential
from app.worker import run_worker
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import wait_for
from tests.support.database import Db, TestDatabase, migrated_copy, run

# One vault keyset for every app and worker of a test run: any worker can then end any tenant's sessions.
TEST_MASTER_KEYS = "1:" + base64.b64encode(os.urandom(32)).decode()
# Outside dev mode `/metrics` answers only its token (tests/test_metrics.py): the stacks' scrapes send this one.
TEST_METRICS_TOKEN = secrets.token_urlsafe(24)
METRICS_AUTH = {"Authorization": f"Bearer {TEST_METRICS_TOKEN}"}


def settings_for(database_url: str, sim_url: str, public_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "dev_mode": False,
        "database_url": database_url,
        "signing_key": secrets.token_urlsafe(48),
        "master_keys": TEST_MASTER_KEYS,
        "metrics_token": TEST_METRICS_TOKEN,
        "public_url": public_url,
        "openai_base_url": f"{sim_url}/v1",
        "avaturn_base_url": sim_url,
        "cartesia_base_url": sim_url,
        "ground_truth_url": sim_url,
        "upstream_timeout_s": 2.0,
        # Every test visitor is 127.0.0.1: the rate limit tests set their own, lower limits per key.
        "visitor_rate_per_minute": 10_000,
        "widget_rate_per_minute": 10_000,
        "log_format": "text",
        # Webhook receivers in tests are local HTTP servers; retries come at once, and a few failures disable.
        "webhook_allow_private_urls": True,
        "webhook_retry_schedule_s": [0.1] * 7,
        "webhook_timeout_s": 2.0,
        "webhook_disable_after_failures": 5,
        "webhook_disable_after_s": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def settings_env(settings: Settings) -> dict[str, str]:
    """The same settings as GREENROOM_* variables, for a `greenroom` subprocess."""
    return {
        f"GREENROOM_{name.upper()}": value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
        for name, value in settings.model_dump().items()
        if value is not None
    }


class WorkerThread:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_event: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._run, name="worker", daemon=True)
        self.ready = threading.Event()

    def _run(self) -> None:
        async def main() -> None:
            self.loop = asyncio.get_running_loop()
            self.stop_event = asyncio.Event()
            self.ready.set()
            await run_worker(self.settings, self.stop_event)

        asyncio.run(main())

    def start(self) -> WorkerThread:
        self.thread.start()
        self.ready.wait(10)
        return self

    def stop(self) -> None:
        """Stop and join: the worker finishes the jobs in hand first. Stopping twice is harmless."""
        if self.loop and self.stop_event and self.thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: it has stopped
                self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(10)


@dataclass
class TenantKeys:
    tenant_id: uuid.UUID
    server_key: str
    widget_key: str
    origin: str
    provider_keys: dict[str, str]


async def make_tenant(
    settings: Settings,
    provider_keys: dict[str, str],
    origin: str = "https://shop.example",
    *,
    agents: tuple[str, ...] = ("demo",),
) -> TenantKeys:
    """A tenant with the given provider keys, an OpenAI agent per slug, a Cartesia agent `voice`, and both kinds of
    key."""
    engine = make_engine(settings.database_url or "", null_pool=True)
    sessions = make_sessionmaker(engine)
    vault = Vault(settings.master_keyset)
    try:
        async with transaction(sessions) as db:
            suffix = uuid.uuid4().hex[:8]
            tenant = Tenant(name=f"Tenant {suffix}", slug=f"t-{suffix}")
            db.add(tenant)
            await db.flush()
        async with transaction(sessions, tenant.id) as db:
            for provider, key in provider_keys.items():
                await store_credential(db, vault, tenant_id=tenant.id, provider=provider, secret=key)
            for slug in agents:
                await create_agent(
                    db,
                    tenant.id,
                    AgentSpec(
                        slug=slug,
                        name=slug.title(),
                        engine=OpenAIRealtimeEngine(instructions="Be brief."),
                        avatar=AvatarSettings(max_duration=600, user_absent_timeout=60),
                    ),
                )
            await create_agent(
                db, tenant.id, AgentSpec(slug="voice", name="Voice", engine=CartesiaEngine(agent_id="agent_demo"))
            )
            _, server_key = await issue_server_key(db, tenant.id)
            widget = await issue_widget_key(db, tenant.id, [origin])
            return TenantKeys(tenant.id, server_key, widget.key, origin, dict(provider_keys))
    finally:
        await engine.dispose()


# --- Every test ends what it started, and a world of its own for tests that move time -------------------------------


@dataclass(frozen=True)
class Mark:
    """Where a test began, on both clocks: sessions created after it are the test's own."""

    db_at: object  # the database's clock_timestamp()
    sim_at: float  # the simulator's clock


def mark(db: Db, sim: SimulatorControl) -> Mark:
    return Mark(db.value("select clock_timestamp()"), sim.now())


async def _cleanup_key(settings: Settings, tenant_id: uuid.UUID) -> str:
    """A fresh server key: the test may have revoked, rolled or narrowed its own."""
    engine = make_engine(settings.database_url or "", null_pool=True)
    try:
        async with transaction(make_sessionmaker(engine), tenant_id) as db:
            return (await issue_server_key(db, tenant_id, label="test cleanup"))[1]
    finally:
        await engine.dispose()


def end_what_the_test_left(
    http: httpx.Client, settings: Settings, db: Db, sim: SimulatorControl, since: Mark, timeout: float = 20
) -> None:
    """End through the API every session started since `since` that is still live, then wait until the provider has
    ended every session Greenroom started since (and the worker holds no unfinished DELETE for them, so each end
    is metered). A session a test leaves running would otherwise outlive it on the shared simulator, where the
    provider's absent timeout ends it behind our back and the ledger and the provider stop agreeing."""
    sim.clear_faults()  # a fault left behind must not stop the ends from reaching the provider
    left = db.fetch(
        "select id, tenant_id from sessions where created_at >= $1 and state in ('starting', 'active')", since.db_at
    )
    keys: dict[uuid.UUID, str] = {}
    for row in left:
        if row["tenant_id"] not in keys:
            keys[row["tenant_id"]] = run(_cleanup_key(settings, row["tenant_id"]))
        resp = http.delete(f"/v1/sessions/{row['id']}", headers={"Authorization": f"Bearer {keys[row['tenant_id']]}"})
        assert resp.status_code == 202, f"the test left session {row['id']} live and it could not be ended: {resp.text}"

    def settled() -> bool:
        known = {
            r["upstream_session_id"]
            for r in db.fetch(
                "select upstream_session_id from sessions where created_at >= $1 and upstream_session_id is not null",
                since.db_at,
            )
        }
        alive = [s["id"] for s in sim.alive_sessions() if s["created_at"] >= since.sim_at and s["id"] in known]
        unfinished = db.value(
            "select count(*) from jobs where kind = $1 and state in ('pending', 'running') and created_at >= $2",
            DELETE_UPSTREAM_SESSION,
            since.db_at,
        )
        return not alive and not unfinished

    wait_for(settled, timeout=timeout, what="every session the test started to be ended at the provider and metered")


@dataclass
class OwnStack:
    """The product with a simulator and a database of its own: what `stack`, `sim` and `db` are for the shared one."""

    url: str
    settings: Settings
    worker: WorkerThread
    http: httpx.Client
    sim: SimulatorControl
    sim_url: str
    db: Db  # the schema owner: ground truth
    database_url: str  # the app role
    owner_database_url: str

    def tenant(self, **kw: object) -> TenantKeys:
        """A fresh tenant whose provider keys this simulator accepts."""
        keys = {
            "openai": "sk-own-" + secrets.token_urlsafe(20),
            "avaturn": "av-own-" + secrets.token_urlsafe(20),
            "cartesia": "sk_car_own" + secrets.token_urlsafe(16),
        }
        for provider, key in keys.items():
            self.sim.add_key(provider, key)
        return run(make_tenant(self.settings, keys, **kw))  # type: ignore[arg-type]


@contextmanager
def own_stack(test_db: TestDatabase, **overrides: object) -> Iterator[OwnStack]:
    """For tests that move the simulator's clock, push rows into the past or seed a mismatch on purpose: done to the
    shared stack, that would end or distort other tests' sessions and make the all-tenant reconciliation meaningless."""
    from app.cli.serving import ServerThread, free_port
    from app.main import create_app
    from devtools.simulator import SimulatorConfig, create_simulator_app

    with (
        migrated_copy(test_db) as database,
        ServerThread(create_simulator_app(SimulatorConfig(set(), set(), set()))) as sim_server,
        SimulatorControl(sim_server.url) as sim,
    ):
        port = free_port()
        settings = settings_for(database.app_url, sim_server.url, f"http://127.0.0.1:{port}", **overrides)
        worker = WorkerThread(settings).start()
        try:
            with (
                ServerThread(create_app(settings), port=port) as app,
                httpx.Client(base_url=app.url, timeout=30) as http,
            ):
                yield OwnStack(
                    app.url,
                    settings,
                    worker,
                    http,
                    sim,
                    sim_server.url,
                    Db(database.owner_url),
                    database.app_url,
                    database.owner_url,
                )
        finally:
            worker.stop()
