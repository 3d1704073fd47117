"""The broker's background work, run by the worker: end sessions at the provider, the reaper's pass, and
forgetting old idempotency keys.

`delete_upstream_session` is the `avaturn.delete_session` job (queued in the transaction that ended the session,
docs/decisions/0004): it reads the tenant's Avaturn key, calls the provider outside any transaction, and returns
the metering that commits with the job's outcome. A rejected key is reported to the tenant (webhook) and retried.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.broker.ending import record_upstream_end
from app.broker.reaper import ReaperConfig, reap_once
from app.db.engine import transaction
from app.jobs.housekeeping import in_batches
from app.jobs.outbox import DELETE_UPSTREAM_SESSION, JobFailed
from app.jobs.runner import AfterJob, Claimed, JobKind, PassStep
from app.upstream import Upstreams
from app.upstream.errors import UpstreamError
from app.vault.crypto import Vault
from app.vault.service import load_credentials, reveal
from app.webhooks.events import report_invalid_credential
from app.webhooks.quota import check_quota_after_metering

log = logging.getLogger("greenroom.worker")

IDEMPOTENCY_KEY_TTL_S = 24 * 3600  # as Stripe keeps them
_EXPIRE_KEYS = text("select greenroom_expire_idempotency_keys(:ttl, 1000)")


@dataclass(frozen=True)
class UpstreamDeletes:
    sessions: async_sessionmaker[AsyncSession]
    vault: Vault
    upstreams: Upstreams

    async def __call__(self, job: Claimed) -> AfterJob:
        async with transaction(self.sessions, job.tenant_id) as db:
            creds = await load_credentials(db, job.tenant_id, ["avaturn"])
        if "avaturn" not in creds:
            # Deleting the key is refused while this job runs (vault/service.py), so this is a key deleted before that
            # rule, or straight in the database. Say so: the retries wait for a key, and the log must say why.
            raise JobFailed(
                f"session {job.payload['session_id']}: the tenant has no Avaturn key, so its Avaturn session cannot be "
                "ended (it runs on until Avaturn's own max_duration or user_absent_timeout); save an Avaturn key and "
                "the next attempt ends it"
            )
        try:
            confirmed = await self.upstreams.avaturn.delete_session(
                reveal(self.vault, creds["avaturn"]), job.payload["upstream_session_id"]
            )
        except UpstreamError as exc:
            if exc.kind == "auth":
                await report_invalid_credential(
                    self.sessions, job.tenant_id, creds["avaturn"].id, status=exc.status, during="session.delete"
                )
            raise
        log.info("ended upstream session for %s%s", job.payload["session_id"], "" if confirmed else " (already gone)")
        session_id = uuid.UUID(job.payload["session_id"])

        async def meter(db: AsyncSession) -> None:
            if await record_upstream_end(db, job.tenant_id, session_id, confirmed=confirmed):
                await check_quota_after_metering(db, job.tenant_id)

        return meter


def job_kinds(sessions: async_sessionmaker[AsyncSession], vault: Vault, upstreams: Upstreams) -> dict[str, JobKind]:
    """Provider DELETEs retry by the worker's policy (docs/decisions/0004)."""
    return {DELETE_UPSTREAM_SESSION: JobKind(UpstreamDeletes(sessions, vault, upstreams))}


def reaper_step(sessions: async_sessionmaker[AsyncSession], config: ReaperConfig) -> PassStep:
    async def reap() -> None:
        await reap_once(
            sessions,
            heartbeat_grace_s=config.heartbeat_grace_s,
            starting_timeout_s=config.starting_timeout_s,
            batch=config.batch,
        )

    return PassStep("reaper", reap)


async def expire_idempotency_keys(sessions: async_sessionmaker[AsyncSession]) -> int:
    return await in_batches(sessions, _EXPIRE_KEYS, IDEMPOTENCY_KEY_TTL_S)
