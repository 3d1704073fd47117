"""Ending a session: the state change and the provider-side DELETE job commit together; later, the provider's
acknowledgement of the end is stamped on it (the end of its metered time).

Every way a session ends goes through `end_session`: the tenant's kill switch (`terminate`), the widget's goodbye
(`end_with_token`), a suspension (`end_live_sessions`), the reaper and the dev stack's clean stop.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.audit.service import record
from app.auth.keys import bearer
from app.auth.principal import Principal
from app.broker import repository
from app.broker.models import LIVE_STATES, AvatarSession
from app.broker.schemas import SessionOut
from app.db.engine import set_tenant, transaction
from app.errors import Problem
from app.jobs.outbox import enqueue_upstream_delete
from app.kit.tokens import hash_token
from app.metering.service import Metered, meter_end
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
    session.ended_at = ended_at or await repository.clock(db)
    if session.upstream_session_id:
        await enqueue_upstream_delete(db, session.tenant_id, session.id, session.upstream_session_id)
    await db.flush()
    # session.ended / session.terminated, committed with the end. Only for sessions the caller received (`active`):
    # one that ends while still starting, or fails, never had its session.started either.
    if was_active and state in END_EVENTS:
        await session_ended(db, session)
    return True


async def terminate(db: AsyncSession, caller: Principal, session_id: uuid.UUID) -> SessionOut:
    """The kill switch (`DELETE /v1/sessions/{id}`): `terminated` now, audited if it was live; an ended session is
    answered as it is."""
    session = await repository.find(db, caller.tenant, session_id, lock=True)
    if session is None:
        raise Problem("session-not-found")
    was_live = session.state in LIVE_STATES
    reason = "admin_terminated" if caller.kind == "admin" else "api_terminated"
    await end_session(db, session, "terminated", reason)
    out = SessionOut.of(session)
    if was_live:
        await record(db, caller, "session.terminated", "session", session.id, after=out)
    return out


async def end_with_token(
    sessions: async_sessionmaker[AsyncSession], session_id: uuid.UUID, authorization: str | None
) -> AvatarSession:
    """The widget's goodbye (the visitor left), authorised by the session's own token; idempotent."""
    async with transaction(sessions) as db:
        session = await by_session_token(db, session_id, authorization, lock=True)
        await end_session(db, session, "ended", "client_ended")
    return session


async def by_session_token(
    db: AsyncSession, session_id: uuid.UUID, authorization: str | None, *, lock: bool = False
) -> AvatarSession:
    """The session token names its tenant (through a SECURITY DEFINER look-up), then the usual tenant-scoped read."""
    token = bearer(authorization)
    token_hash = hash_token(token or "")
    tenant_id = await repository.tenant_of_token(db, session_id, token_hash)
    if tenant_id is None or not token:
        raise Problem("invalid-session-token", "Unknown session or wrong session token.")
    await set_tenant(db, tenant_id)
    session = await repository.find_by_token(db, session_id, token_hash, lock=lock)
    if session is None:  # the look-up above vouched for it: only a row gone in between lands here
        raise Problem("invalid-session-token", "Unknown session or wrong session token.")
    return session


async def end_live_sessions(db: AsyncSession, tenant_id: uuid.UUID, state: str, reason: str) -> int:
    """End every live session of the tenant now (each end reaches the provider); how many."""
    ended = 0
    for session in await repository.lock_live(db, tenant_id):
        await end_session(db, session, state, reason)
        ended += 1
    return ended


async def record_upstream_end(
    db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID, *, confirmed: bool
) -> Metered | None:
    """The provider acknowledged the end (`confirmed`), or said the session was already gone (404).

    Runs in the transaction that marks the upstream-DELETE job done: the broker stamps the session's upstream end,
    then metering writes the ledger row. Returns the ledger row written, or None when there was nothing to meter
    (never started upstream) or it was metered before (a replay).
    """
    if not await mark_upstream_ended(db, tenant_id, session_id):
        return None
    return await meter_end(db, tenant_id, session_id, confirmed=confirmed)


async def mark_upstream_ended(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
    """The provider acknowledged the end (or had no such session): stamp `upstream_ended_at`, once, in the caller's
    transaction (the metering's, app/metering/service.py). Whether this stamped it: False for a session that never
    started upstream or was stamped before, which then has nothing (more) to meter."""
    return await repository.stamp_upstream_end(db, tenant_id, session_id)
