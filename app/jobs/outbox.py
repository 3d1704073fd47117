"""The durable job table (outbox): enqueue in the caller's transaction, wake workers on commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

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
