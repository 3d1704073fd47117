"""The worker: leases due jobs with FOR UPDATE SKIP LOCKED, so any number of copies can run.

It wakes at once on NOTIFY (an admin's kill reaches the provider within
milliseconds) and polls once a second as a fallback. Next to the job loop runs
the reaper (app/broker/reaper.py), every `reaper_interval_s`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.broker.reaper import ReaperConfig, reap_once
from app.db import registry as _all_models  # noqa: F401  every model registered, so foreign keys between domains resolve
from app.db.engine import transaction
from app.errors import Problem
from app.jobs import housekeeping
from app.jobs.outbox import CHANNEL, DELETE_UPSTREAM_SESSION, DELIVER_WEBHOOK, JobFailed
from app.metering.service import record_upstream_end
from app.upstream import Upstreams
from app.upstream.errors import UpstreamError
from app.vault.crypto import Vault
from app.vault.service import load_credentials, reveal
from app.webhooks.delivery import Deliverer, WebhookConfig
from app.webhooks.events import report_invalid_credential
from app.webhooks.quota import check_quota_after_metering, quota_pass

log = logging.getLogger("greenroom.worker")

# Backoff is capped at 15 s so that, once a provider is back, every pending kill reaches it within seconds;
# 60 attempts is about a quarter of an hour of outage before a job is parked for the operator.
MAX_ATTEMPTS = 60
BACKOFF_CAP_S = 15.0
LEASE_S = 60
BATCH = 50
HOUSEKEEPING_EVERY_S = 600
FINISH_RETRY_S = 30.0

# Leasing crosses tenants, so it is a SECURITY DEFINER function (see migration 0003); each job then runs in its tenant.
CLAIM = text("select * from greenroom_claim_jobs(:batch, :lease)")


AfterJob = Callable[[AsyncSession], Awaitable[None]] | None


@dataclass(frozen=True)
class Claimed:
    id: int
    tenant_id: Any
    kind: str
    payload: dict[str, Any]
    attempts: int


def backoff_s(attempts: int) -> float:
    """Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … capped at BACKOFF_CAP_S."""
    return random.uniform(0, min(BACKOFF_CAP_S, 0.5 * 2 ** min(attempts - 1, 16)))


@dataclass(frozen=True)
class Retry:
    """How a kind of job is retried: attempts before it is parked, and the wait after the n-th failed attempt."""

    max_attempts: int
    backoff_s: Callable[[int], float]


@dataclass(frozen=True)
class JobPolicy:
    """How the worker leases jobs and retries provider DELETEs (every kind without a Retry of its own).

    The defaults are production's; tests inject a small `max_attempts`, a fast backoff or a short lease to watch
    parking and re-leasing happen in the real worker rather than by hand.
    """

    max_attempts: int = MAX_ATTEMPTS
    backoff_s: Callable[[int], float] = field(default=backoff_s)
    lease_s: int = LEASE_S  # a job whose worker died is leased again this long after it was taken
    batch: int = BATCH


class Worker:
    def __init__(
        self,
        sessions: Any,
        vault: Vault,
        upstreams: Upstreams,
        database_url: str,
        reaper: ReaperConfig | None = None,
        webhooks: WebhookConfig | None = None,
        policy: JobPolicy | None = None,
    ) -> None:
        self.sessions, self.vault, self.upstreams, self.reaper = sessions, vault, upstreams, reaper
        self.policy = policy or JobPolicy()
        self.dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
        self.wake = asyncio.Event()
        self.webhooks = Deliverer(sessions, vault, webhooks or WebhookConfig())
        self.handlers: dict[str, Callable[[Claimed], Awaitable[AfterJob]]] = {
            DELETE_UPSTREAM_SESSION: self._delete_upstream_session,
            DELIVER_WEBHOOK: self.webhooks.deliver,
        }
        # Kinds with their own schedule; every other kind (provider DELETEs) uses the policy's.
        self.retry: dict[str, Retry] = {
            DELIVER_WEBHOOK: Retry(self.webhooks.config.max_attempts, self.webhooks.config.backoff_s)
        }

    async def run(self, stop: asyncio.Event) -> None:
        listener = asyncio.create_task(self._listen(stop))
        reaper = asyncio.create_task(self._reap(stop, self.reaper)) if self.reaper else None
        try:
            while not stop.is_set():
                try:
                    done = await self.run_once()
                except Exception:
                    log.exception("job loop failed; retrying in 1 s")
                    done = 0
                if done:
                    continue
                self.wake.clear()
                waits = [asyncio.create_task(self.wake.wait()), asyncio.create_task(stop.wait())]
                await asyncio.wait(waits, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
                for w in waits:
                    w.cancel()
        finally:
            background = [t for t in (listener, reaper) if t]
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await self.webhooks.close()

    async def run_once(self) -> int:
        async with transaction(self.sessions) as db:
            rows = (await db.execute(CLAIM, {"batch": self.policy.batch, "lease": self.policy.lease_s})).all()
        jobs = [Claimed(*row) for row in rows]
        await asyncio.gather(*(self._execute(job) for job in jobs))
        return len(jobs)

    async def _execute(self, job: Claimed) -> None:
        try:
            after = await self.handlers[job.kind](job)
        except Exception as exc:
            reason = str(exc) if isinstance(exc, UpstreamError | Problem | JobFailed) else type(exc).__name__
            retry = self.retry.get(job.kind) or Retry(self.policy.max_attempts, self.policy.backoff_s)
            parked = job.attempts >= retry.max_attempts
            delay = retry.backoff_s(job.attempts)
            log.warning(
                "job %s (%s) attempt %s failed: %s%s",
                job.id,
                job.kind,
                job.attempts,
                reason,
                "; parked" if parked else "",
            )
            await self._finish(
                job,
                "parked" if parked else "pending",
                f"{type(exc).__name__}: {reason}"[:500],
                delay,
                getattr(exc, "after", None),
            )
        else:
            await self._finish(job, "done", None, 0, after)

    async def _finish(
        self, job: Claimed, state: str, error: str | None, delay_s: float, after: AfterJob = None
    ) -> None:
        """Record the outcome, retrying while the database is away (a restart): a job the provider already answered
        must not sit `running` until its lease runs out. After FINISH_RETRY_S the lease takes over."""
        deadline = time.monotonic() + FINISH_RETRY_S
        pause = 0.25
        while True:
            try:
                return await self._record(job, state, error, delay_s, after)
            except Exception as exc:
                if time.monotonic() + pause > deadline:
                    raise
                log.warning(
                    "job %s: could not record its outcome (%s); retrying in %.2f s", job.id, type(exc).__name__, pause
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, 2.0)

    async def _record(self, job: Claimed, state: str, error: str | None, delay_s: float, after: AfterJob) -> None:
        """A done job's follow-up (metering) commits in the same transaction as its outcome."""
        async with transaction(self.sessions, job.tenant_id) as db:
            if after is not None:
                await after(db)
            await db.execute(
                text("""update jobs set state = :state, last_error = :error, locked_until = null,
                        run_after = clock_timestamp() + make_interval(secs => :delay),
                        done_at = case when :is_done then clock_timestamp() end
                        where id = :id"""),
                {"state": state, "error": error, "delay": delay_s, "id": job.id, "is_done": state == "done"},
            )

    async def _delete_upstream_session(self, job: Claimed) -> AfterJob:
        async with transaction(self.sessions, job.tenant_id) as db:
            creds = await load_credentials(db, job.tenant_id, ["avaturn"])
        if "avaturn" not in creds:
            raise RuntimeError("tenant has no Avaturn key to end the session with")
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

    async def _reap(self, stop: asyncio.Event, config: ReaperConfig) -> None:
        """The reaper loop: one pass every `interval_s`; a failing pass is logged and retried, never fatal."""
        last_housekeeping = -HOUSEKEEPING_EVERY_S
        while not stop.is_set():
            try:
                await reap_once(
                    self.sessions,
                    heartbeat_grace_s=config.heartbeat_grace_s,
                    starting_timeout_s=config.starting_timeout_s,
                    batch=config.batch,
                )
                await quota_pass(self.sessions, batch=config.batch)  # quota.threshold for minutes still burning
                await housekeeping.every_pass(self.sessions)
                if time.monotonic() - last_housekeeping >= HOUSEKEEPING_EVERY_S:
                    await housekeeping.now_and_then(self.sessions)
                    last_housekeeping = time.monotonic()
            except Exception:
                log.exception("reaper pass failed; retrying in %s s", config.interval_s)
            try:
                await asyncio.wait_for(stop.wait(), timeout=config.interval_s)
            except TimeoutError:
                pass

    async def _listen(self, stop: asyncio.Event) -> None:
        """LISTEN on its own connection; reconnect after a database restart."""
        while not stop.is_set():
            try:
                conn = await asyncpg.connect(self.dsn)
                try:
                    await conn.add_listener(CHANNEL, lambda *_: self.wake.set())
                    self.wake.set()  # catch up on anything missed while disconnected
                    while not stop.is_set() and not conn.is_closed():
                        await asyncio.sleep(1.0)
                finally:
                    await conn.close(timeout=2)
            except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
                log.warning("job listener disconnected (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(1.0)


async def run_worker(
    settings: Any, stop: asyncio.Event, policy: JobPolicy | None = None, *, webhooks: WebhookConfig | None = None
) -> None:
    """`policy` and `webhooks` replace the job and webhook policies (tests inject them to run production rules)."""
    from app.db.engine import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url, pool_size=5)
    upstreams = Upstreams.from_settings(settings)
    try:
        worker = Worker(
            make_sessionmaker(engine),
            Vault(settings.master_keyset),
            upstreams,
            settings.database_url,
            reaper=ReaperConfig.from_settings(settings),
            webhooks=webhooks or WebhookConfig.from_settings(settings),
            policy=policy,
        )
        await worker.run(stop)
    finally:
        await upstreams.close()
        await engine.dispose()
