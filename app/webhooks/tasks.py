"""The webhooks' background work, run by the worker: deliveries (`webhook.deliver` jobs, on the tenant-chosen retry
schedule, not the provider backoff), the quota pass for minutes still burning, and trimming the delivery log."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.jobs.housekeeping import in_batches
from app.jobs.outbox import DELIVER_WEBHOOK
from app.jobs.runner import JobKind, PassStep, Retry
from app.webhooks.delivery import Deliverer
from app.webhooks.quota import quota_pass

DELIVERY_LOG_TTL_S = 90 * 86400  # the delivery log a tenant can read back
_EXPIRE_ATTEMPTS = text("select greenroom_expire_webhook_attempts(:ttl, 1000)")


def job_kinds(deliverer: Deliverer) -> dict[str, JobKind]:
    retry = Retry(deliverer.config.max_attempts, deliverer.config.backoff_s)
    return {DELIVER_WEBHOOK: JobKind(deliverer.deliver, retry)}


def quota_step(sessions: async_sessionmaker[AsyncSession], batch: int) -> PassStep:
    async def check() -> None:
        await quota_pass(sessions, batch=batch)  # quota.threshold for minutes still burning

    return PassStep("quota", check)


async def expire_delivery_log(sessions: async_sessionmaker[AsyncSession]) -> int:
    return await in_batches(sessions, _EXPIRE_ATTEMPTS, DELIVERY_LOG_TTL_S)
