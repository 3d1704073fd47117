"""Ending a session: the state change and the provider-side DELETE job commit together; later, the provider's
acknowledgement of the end is stamped on it (the end of its metered time)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.broker import repository
from app.broker.models import LIVE_STATES, AvatarSession
from app.jobs.outbox import enqueue_upstream_delete
from app.webhooks.events import END_EVENTS, session_ended


async def end_session(
    db: AsyncSession, session: AvatarSession, state: str, reason: str, ended_at: datetime | None = None
) -> bool:
    """Move a live session to `state` with `reason`, in the caller's transaction (which holds the row lock).

    `ended_at` defaults to the database clock; the reaper passes `expires_at` for sessions that ran their full
    length, so metering is exact. An ended session is left as it is; returns whether anything changed.
    """
    if session.state not in LIVE_STATES:
        return False
    was_active = session.state == "active"
    session.state, session.end_reason = state, reason
    session.ended_at = ended_at or await db.scalar(select(func.clock_timestamp()))
    if session.upstream_session_id:
        await enqueue_upstream_delete(db, session.tenant_id, session.id, session.upstream_session_id)
    await db.flush()
    # session.ended / session.terminated, committed with the end. Only for sessions the caller received (`active`):
    # one that ends while still starting, or fails, never had its session.started either.
    if was_active and state in END_EVENTS:
        await session_ended(db, session)
    return True


async def mark_upstream_ended(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
    """The provider acknowledged the end (or had no such session): stamp `upstream_ended_at`, once, in the caller's
    transaction (the metering's, app/metering/service.py). Whether this stamped it: False for a session that never
    started upstream or was stamped before, which then has nothing (more) to meter."""
    return await repository.stamp_upstream_end(db, tenant_id, session_id)
