"""The job runner: leases due jobs with FOR UPDATE SKIP LOCKED, so any number of copies can run.

It wakes at once on NOTIFY (an admin's kill reaches the provider within milliseconds) and polls once a second as a
fallback. It knows no domain: the kinds of job it runs (`JobKind`: a handler and its retry rule) and the steps of
its periodic pass (`PassStep`: the reaper, quota checks, housekeeping) are handed to it by the worker's composition
root (app/worker.py); each domain defines its own in its `tasks.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.engine import transaction
from app.errors import Problem
from app.jobs.outbox import CHANNEL, JobFailed
from app.upstream.errors import UpstreamError

log = logging.getLogger("greenroom.worker")

# Backoff is capped at 15 s so that, once a provider is back, every pending kill reaches it within seconds;
# 60 attempts is about a quarter of an hour of outage before a job is parked for the operator.
MAX_ATTEMPTS = 60
BACKOFF_CAP_S = 15.0
LEASE_S = 60
BATCH = 50
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
class JobKind:
    """What the runner does with one kind of job. The handler may return a follow-up (`AfterJob`) that commits in
    the transaction recording the job as done; `retry` None means the policy's (provider DELETEs)."""

    handle: Callable[[Claimed], Awaitable[AfterJob]]
    retry: Retry | None = None


@dataclass(frozen=True)
class PassStep:
    """One step of the periodic pass; `every_s` 0 runs it on every pass, more runs it at most that often."""

    name: str
    run: Callable[[], Awaitable[object]]
    every_s: float = 0.0


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
        sessions: async_sessionmaker[AsyncSession],
        database_url: str,
        kinds: Mapping[str, JobKind],
        *,
        policy: JobPolicy | None = None,
        steps: Sequence[PassStep] = (),
        interval_s: float = 5.0,
    ) -> None:
        self.sessions, self.kinds, self.steps, self.interval_s = sessions, dict(kinds), tuple(steps), interval_s
        self.policy = policy or JobPolicy()
        self.dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
        self.wake = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        background = [asyncio.create_task(self._listen(stop))]
        if self.steps:
            background.append(asyncio.create_task(self.every_pass(stop)))
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
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)

    async def run_once(self) -> int:
        async with transaction(self.sessions) as db:
            rows = (await db.execute(CLAIM, {"batch": self.policy.batch, "lease": self.policy.lease_s})).all()
        jobs = [Claimed(*row) for row in rows]
        await asyncio.gather(*(self._execute(job) for job in jobs))
        return len(jobs)

    async def _execute(self, job: Claimed) -> None:
        kind = self.kinds[job.kind]
        try:
            after = await kind.handle(job)
        except Exception as exc:
            # Only our own errors' messages are logged and stored: they carry no secret by construction.
            reason = str(exc) if isinstance(exc, UpstreamError | Problem | JobFailed) else type(exc).__name__
            retry = kind.retry or Retry(self.policy.max_attempts, self.policy.backoff_s)
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
            error = f"{type(exc).__name__}: {reason}"[:500]
            await self._finish(job, "parked" if parked else "pending", error, delay, getattr(exc, "after", None))
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

    async def every_pass(self, stop: asyncio.Event) -> None:
        """The periodic pass (the reaper's, named after its first step): every `interval_s`; a failing pass is
        logged and retried, never fatal."""
        last_run: dict[str, float] = {}
        while not stop.is_set():
            try:
                for step in self.steps:
                    if step.every_s and time.monotonic() - last_run.get(step.name, -step.every_s) < step.every_s:
                        continue
                    await step.run()
                    last_run[step.name] = time.monotonic()
            except Exception:
                log.exception("reaper pass failed; retrying in %s s", self.interval_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval_s)

    async def _listen(self, stop: asyncio.Event) -> None:
        """LISTEN on its own connection; reconnect after a database restart."""
        while not stop.is_set():
            try:
                conn = await asyncpg.connect(self.dsn)
                try:
                    await conn.add_listener(CHANNEL, lambda *_: self.wake.set())
                    self.wake.set()  # catch up on anything missed while disconnected
                    while not stop.is_set() and not conn.is_closed():  # noqa: ASYNC110 - a closed connection signals nothing
                        await asyncio.sleep(1.0)
                finally:
                    await conn.close(timeout=2)
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                log.warning("job listener disconnected (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(1.0)
