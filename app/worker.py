"""The worker's composition root (as app/main.py is the HTTP app's): the job kinds and periodic steps every domain
contributes, handed to the domain-free runner in app/jobs.

One pass every `reaper_interval_s`: the reaper, the quota check, the rate-limit sweep and the queue's metrics; every
ten minutes, housekeeping (old idempotency keys and delivery-log rows, the ledger's next partitions).
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.rate_limits import sweep as sweep_rate_limits
from app.broker import tasks as broker_tasks
from app.broker.reaper import ReaperConfig
from app.db import registry as _all_models  # noqa: F401  every model registered, so foreign keys between domains resolve
from app.db.engine import make_engine, make_sessionmaker, transaction
from app.jobs.runner import JobPolicy, PassStep, Worker
from app.metering.tasks import make_ledger_partitions
from app.metrics import refresh_from_database
from app.settings import Settings
from app.upstream import Upstreams
from app.vault.crypto import Vault
from app.webhooks import tasks as webhook_tasks
from app.webhooks.delivery import Deliverer, WebhookConfig

log = logging.getLogger("greenroom.worker")

HOUSEKEEPING_EVERY_S = 600


async def run_worker(
    settings: Settings, stop: asyncio.Event, policy: JobPolicy | None = None, *, webhooks: WebhookConfig | None = None
) -> None:
    """`policy` and `webhooks` replace the job and webhook policies (tests inject them to run production rules)."""
    engine = make_engine(settings.database_url or "", pool_size=5)
    sessions = make_sessionmaker(engine)
    upstreams = Upstreams.from_settings(settings)
    vault = Vault(settings.master_keyset)
    deliverer = Deliverer(sessions, vault, webhooks or WebhookConfig.from_settings(settings))
    try:
        reaper = ReaperConfig.from_settings(settings)
        kinds = {
            **broker_tasks.job_kinds(sessions, vault, upstreams),
            **webhook_tasks.job_kinds(deliverer),
        }
        steps = [
            broker_tasks.reaper_step(sessions, reaper),
            webhook_tasks.quota_step(sessions, reaper.batch),
            PassStep("rate limits and metrics", lambda: every_pass(sessions)),
            PassStep("housekeeping", lambda: housekeeping(sessions), every_s=HOUSEKEEPING_EVERY_S),
        ]
        worker = Worker(
            sessions, settings.database_url or "", kinds, policy=policy, steps=steps, interval_s=reaper.interval_s
        )
        await worker.run(stop)
    finally:
        await deliverer.close()
        await upstreams.close()
        await engine.dispose()


async def every_pass(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as db:
        await sweep_rate_limits(db)
    await refresh_from_database(sessions, force=True)  # the worker's metrics port shows current queue figures


async def housekeeping(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Expired idempotency keys and webhook attempts (in batches), and the ledger's partitions for the months ahead."""
    keys = await broker_tasks.expire_idempotency_keys(sessions)
    attempts = await webhook_tasks.expire_delivery_log(sessions)
    made = await make_ledger_partitions(sessions)
    if keys or attempts or made:
        log.info(
            "housekeeping: %s idempotency keys and %s webhook attempts expired, %s ledger partitions made",
            keys,
            attempts,
            made,
        )
