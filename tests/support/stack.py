"""The product over real sockets: the app and the simulator on uvicorn, the worker on its own loop."""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import threading
import uuid
from dataclasses import dataclass

from app.access.service import issue_server_key, issue_widget_key
from app.agents.schemas import AgentSpec, AvatarSettings, CartesiaEngine, OpenAIRealtimeEngine
from app.agents.service import create_agent
from app.db.engine import make_engine, make_sessionmaker, transaction
from app.settings import Settings
from app.tenants.models import Tenant
from app.vault.crypto import Vault
from app.vault.service import store_credential
from app.worker.runner import run_worker


# One vault keyset for every app and worker of a test run: any worker can then end any tenant's sessions.
TEST_MASTER_KEYS = "1:" + base64.b64encode(os.urandom(32)).decode()


def settings_for(database_url: str, sim_url: str, public_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "dev_mode": False,
        "database_url": database_url,
        "signing_key": secrets.token_urlsafe(48),
        "master_keys": TEST_MASTER_KEYS,
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
        for name, value in settings.model_dump().items() if value is not None
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
        if self.loop and self.stop_event:
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
    settings: Settings, provider_keys: dict[str, str], origin: str = "https://shop.example",
    *, agents: tuple[str, ...] = ("demo",),
) -> TenantKeys:
    """A tenant with the given provider keys, an OpenAI agent per slug, a Cartesia agent `voice`, and both kinds of key."""
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
                await create_agent(db, tenant.id, AgentSpec(
                    slug=slug, name=slug.title(), engine=OpenAIRealtimeEngine(instructions="Be brief."),
                    avatar=AvatarSettings(max_duration=600, user_absent_timeout=60),
                ))
            await create_agent(db, tenant.id, AgentSpec(slug="voice", name="Voice", engine=CartesiaEngine(agent_id="agent_demo")))
            _, server_key = await issue_server_key(db, tenant.id)
            widget = await issue_widget_key(db, tenant.id, [origin])
            return TenantKeys(tenant.id, server_key, widget.key, origin, dict(provider_keys))
    finally:
        await engine.dispose()
