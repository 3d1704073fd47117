"""The broker's queries on `sessions`, its table (the history pages are in app/broker/history.py).

Each function is one statement, one round trip; none commits (the caller's transaction is the unit of work) and none
decides anything (the rules are in service.py, limits.py, ending.py and reaper.py). The statements are the ones the
broker has always run: moving them here changed no SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, false, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents.models import Agent
from app.auth.models import WidgetKey
from app.broker.models import LIVE_STATES, AvatarSession
from app.tenants.models import Tenant

S = AvatarSession


async def clock(db: AsyncSession) -> datetime:
    """The database clock (`clock_timestamp()`): every instant the broker stamps is on it."""
    now: datetime = (await db.execute(select(func.clock_timestamp()))).scalar_one()
    return now


# Reads ------------------------------------------------------------------------------------------------------------


async def find(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID, *, lock: bool = False) -> S | None:
    query = select(S).where(S.tenant_id == tenant_id, S.id == session_id)
    return await db.scalar(query.with_for_update() if lock else query)


async def lock_unless_busy(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> S | None:
    """The session, locked; None if another transaction holds it (SKIP LOCKED: the reaper never waits)."""
    return await db.scalar(
        select(S).where(S.tenant_id == tenant_id, S.id == session_id).with_for_update(skip_locked=True)
    )


async def lock_live(db: AsyncSession, tenant_id: uuid.UUID) -> Sequence[S]:
    """Every live session of the tenant, locked (to end them all)."""
    return (
        await db.scalars(select(S).where(S.tenant_id == tenant_id, S.state.in_(LIVE_STATES)).with_for_update())
    ).all()


async def tenant_of_token(db: AsyncSession, session_id: uuid.UUID, token_hash: str) -> uuid.UUID | None:
    """Whose session this token opens, before any tenant is set (a SECURITY DEFINER look-up, migration 0005)."""
    tenant_id: uuid.UUID | None = await db.scalar(
        text("select greenroom_session_tenant(:id, :h)"), {"id": session_id, "h": token_hash}
    )
    return tenant_id


async def find_by_token(db: AsyncSession, session_id: uuid.UUID, token_hash: str, *, lock: bool = False) -> S | None:
    query = select(S).where(S.id == session_id, S.heartbeat_token_hash == token_hash)
    return await db.scalar(query.with_for_update() if lock else query)


_HEARTBEAT_BATCH = text(
    "select id, token_hash, state, ended_at, expires_at, origin from greenroom_heartbeat_batch(:ids, :hashes)"
)


async def heartbeat_batch(db: AsyncSession, ids: list[uuid.UUID], hashes: list[str]) -> Sequence[Row[Any]]:
    """Check every (session, token) pair, stamp the live ones' heartbeat, answer each one's state (migration 0016)."""
    return (await db.execute(_HEARTBEAT_BATCH, {"ids": ids, "hashes": hashes})).all()


# Starting (the broker's Tx 1) ---------------------------------------------------------------------------------------


async def agent_to_start(db: AsyncSession, tenant_id: uuid.UUID, agent_slug: str) -> Row[Any] | None:
    """The agent by slug with what a start needs of it and of its tenant's limits."""
    return (
        await db.execute(
            select(
                Agent.id,
                Agent.slug,
                Agent.engine,
                Agent.engine_config,
                Agent.avatar,
                Agent.max_concurrent_sessions,
                Tenant.max_concurrent_sessions.label("tenant_max_concurrent"),
                Tenant.max_session_s,
                Tenant.monthly_minutes,
            )
            .join(Tenant, Tenant.id == Agent.tenant_id)
            .where(Agent.tenant_id == tenant_id, Agent.slug == agent_slug)
        )
    ).first()


async def widget_key_limit(db: AsyncSession, widget_key_id: uuid.UUID) -> int | None:
    limit: int | None = await db.scalar(select(WidgetKey.max_concurrent_sessions).where(WidgetKey.id == widget_key_id))
    return limit


async def lock_tenant(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Every create of this tenant, on every instance, waits here for the ones before it (SELECT … FOR UPDATE)."""
    await db.execute(select(Tenant.id).where(Tenant.id == tenant_id).with_for_update())


async def live_counts(
    db: AsyncSession, tenant_id: uuid.UUID, agent_id: uuid.UUID, widget_key_id: uuid.UUID | None
) -> Row[int, int, int]:
    """(the tenant's, the agent's, the widget key's) live sessions, in one statement."""
    return (
        await db.execute(
            select(
                func.count(),
                func.count().filter(S.agent_id == agent_id),
                func.count().filter(S.widget_key_id == widget_key_id)
                if widget_key_id
                else func.count().filter(false()),
            ).where(S.tenant_id == tenant_id, S.state.in_(LIVE_STATES))
        )
    ).one()


async def insert_starting(db: AsyncSession, **values: Any) -> None:
    """The new session, `starting`: recorded before any provider is called."""
    await db.execute(insert(S).values(state="starting", **values))


# After the provider answered (Tx 2, or the compensation) --------------------------------------------------------------


async def activate(
    db: AsyncSession, session_id: uuid.UUID, upstream_id: str, started_at: ColumnElement[Any], max_duration_s: int
) -> Row[datetime | None, datetime | None] | None:
    """`starting` → `active` with the upstream id and start; (started_at, expires_at), or None if it was ended."""
    return (
        await db.execute(
            update(S)
            .where(S.id == session_id, S.state == "starting")
            .values(
                state="active",
                upstream_session_id=upstream_id,
                started_at=started_at,
                expires_at=started_at + func.make_interval(0, 0, 0, 0, 0, 0, max_duration_s),
            )
            .returning(S.started_at, S.expires_at)
            .execution_options(synchronize_session=False)
        )
    ).first()


async def record_upstream(
    db: AsyncSession, session_id: uuid.UUID, upstream_id: str, started_at: ColumnElement[Any]
) -> None:
    """A session ended while it was starting still ran upstream: keep the upstream id and start, to end and meter it."""
    await db.execute(update(S).where(S.id == session_id).values(upstream_session_id=upstream_id, started_at=started_at))


async def mark_failed(db: AsyncSession, session_id: uuid.UUID, error: str) -> None:
    """A start that failed before the provider created anything."""
    await db.execute(
        update(S)
        .where(S.id == session_id, S.state == "starting")
        .values(state="failed", end_reason="upstream_error", error=error[:500], ended_at=func.clock_timestamp())
    )


async def mark_activation_failed(
    db: AsyncSession, session_id: uuid.UUID, upstream_id: str, started_at: ColumnElement[Any]
) -> None:
    """Tx 2 failed after the provider created the session: failed, with what ending and metering it needs."""
    await db.execute(
        update(S)
        .where(S.id == session_id)
        .values(
            state="failed",
            end_reason="upstream_error",
            error="activation failed",
            upstream_session_id=upstream_id,
            started_at=func.coalesce(S.started_at, started_at),
            ended_at=func.clock_timestamp(),
        )
    )


# The provider's end ------------------------------------------------------------------------------------------------

# The provider's side ended (our DELETE acknowledged, or it was gone already): the end of metered time, stamped once,
# never later than `expires_at` (when the provider ends a session itself). Sessions that never started upstream are
# left alone: there is nothing to meter.
_STAMP_UPSTREAM_END = text("""
    update sessions set upstream_ended_at = least(clock_timestamp(), coalesce(expires_at, clock_timestamp()))
    where id = :session_id and tenant_id = :tenant_id and upstream_ended_at is null and started_at is not null
    returning id""")


async def stamp_upstream_end(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
    """Whether this stamped the session's upstream end (False: never started upstream, or stamped before)."""
    stamped = await db.execute(_STAMP_UPSTREAM_END, {"tenant_id": tenant_id, "session_id": session_id})
    return stamped.first() is not None
