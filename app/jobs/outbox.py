"""The durable job table (outbox), and its only writer: enqueue in the caller's transaction, wake workers on
commit; the operator's list and retry of parked jobs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.engine import set_tenant
from app.jobs.models import Job

CHANNEL = "greenroom_jobs"
DELETE_UPSTREAM_SESSION = "avaturn.delete_session"
DELIVER_WEBHOOK = "webhook.deliver"  # queued by app/webhooks/events.py, one per event and endpoint


class JobFailed(Exception):
    """A handler's failure with a follow-up (`after`, given the transaction) that commits with the failed job.

    Its message is what the job's `last_error` and the worker's log say, so it must carry no secret.
    """

    def __init__(self, message: str, after: Any = None) -> None:
        super().__init__(message)
        self.after = after


async def enqueue(db: AsyncSession, tenant_id: uuid.UUID, kind: str, payload: dict[str, Any]) -> None:
    db.add(Job(tenant_id=tenant_id, kind=kind, payload=payload))
    await db.flush()
    # NOTIFY is transactional: workers hear it only if this transaction commits.
    await db.execute(text("select pg_notify(:c, :k)"), {"c": CHANNEL, "k": kind})


async def enqueue_upstream_delete(
    db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID, upstream_id: str
) -> None:
    await enqueue(
        db, tenant_id, DELETE_UPSTREAM_SESSION, {"session_id": str(session_id), "upstream_session_id": upstream_id}
    )


async def jobs_in_state(db: AsyncSession, state: str, limit: int) -> list[Job]:
    """Newest first: what the operator's `greenroom jobs list` shows."""
    return list(await db.scalars(select(Job).where(Job.state == state).order_by(Job.id.desc()).limit(limit)))


async def requeue_parked(db: AsyncSession, job_ids: Sequence[int] | None) -> list[int]:
    """Parked jobs (all of them with None) back in the queue now, their attempts counted afresh; workers wake on
    commit."""
    query = update(Job).where(Job.state == "parked")
    if job_ids is not None:
        query = query.where(Job.id.in_(job_ids))
    done = await db.execute(query.values(state="pending", attempts=0, run_after=func.now()).returning(Job.id))
    ids = [r[0] for r in done]
    await db.execute(text("select pg_notify(:c, 'retry')"), {"c": CHANNEL})
    return ids


async def fan_out(db: AsyncSession, kind: str, rows_sql: str, params: dict[str, Any]) -> int:
    """One job of `kind` per row of `rows_sql` (a SELECT of `tenant_id, payload`), in one statement, with the NOTIFY
    only if something was queued: the webhook fan-out on the broker's hot path costs one round trip, however many
    endpoints want the event. Returns how many jobs were queued."""
    statement = text(f"""
        with queued as (
          insert into jobs (tenant_id, kind, payload, state, attempts)
          select r.tenant_id, cast(:fan_out_kind as text), r.payload, 'pending', 0 from ({rows_sql}) r
          returning 1
        ), woken as (
          select pg_notify(cast(:fan_out_channel as text), cast(:fan_out_kind as text))
          from (select 1 from queued limit 1) q
        )
        select (select count(*) from queued) as queued, (select count(*) from woken) as woken""")
    row = (await db.execute(statement, {**params, "fan_out_kind": kind, "fan_out_channel": CHANNEL})).one()
    return int(row.queued)


async def parked_of_every_tenant(db: AsyncSession, limit: int) -> list[Job]:
    """The operator's console: parked jobs of every tenant, newest first. Their ids come from a look-up past
    row-level security (`greenroom_parked_jobs`, ids and tenants only); each tenant's are then read inside it."""
    found = (await db.execute(text("select id, tenant_id from greenroom_parked_jobs(:n)"), {"n": limit})).all()
    jobs: list[Job] = []
    for tenant_id, ids in _by_tenant(found).items():
        await set_tenant(db, tenant_id)
        jobs += await db.scalars(select(Job).where(Job.id.in_(ids), Job.state == "parked"))
    return sorted(jobs, key=lambda j: j.id, reverse=True)


async def retry_parked_of_every_tenant(db: AsyncSession, job_ids: Sequence[int]) -> list[int]:
    """`requeue_parked` for the operator's console, tenant by tenant; ids that are not parked are left out."""
    query = text("select id, tenant_id from greenroom_parked_jobs(:n, cast(:ids as bigint[]))")
    found = (await db.execute(query, {"n": len(job_ids), "ids": list(job_ids)})).all()
    retried: list[int] = []
    for tenant_id, ids in _by_tenant(found).items():
        await set_tenant(db, tenant_id)
        retried += await requeue_parked(db, ids)
    return sorted(retried)


def _by_tenant(rows: Sequence[Any]) -> dict[uuid.UUID, list[int]]:
    grouped: dict[uuid.UUID, list[int]] = {}
    for job_id, tenant_id in rows:
        grouped.setdefault(tenant_id, []).append(job_id)
    return grouped
