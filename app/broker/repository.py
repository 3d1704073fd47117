"""The broker's queries: every read and write of `sessions` (its table) goes through here or app/broker/history.py.

Plain SQLAlchemy statements, each one round trip; the functions never commit (the caller's transaction holds the
unit of work) and never decide anything (the rules are in service.py, ending.py and reaper.py).
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The provider's side ended (our DELETE acknowledged, or it was gone already): the end of metered time, stamped once,
# never later than `expires_at` (when the provider ends a session itself). Sessions that never started upstream are
# left alone: there is nothing to meter.
_STAMP_UPSTREAM_END = text("""
    update sessions set upstream_ended_at = least(clock_timestamp(), coalesce(expires_at, clock_timestamp()))
    where id = :session_id and tenant_id = :tenant_id and upstream_ended_at is null and started_at is not null
    returning id""")


async def stamp_upstream_end(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
    """Whether this stamped the session's upstream end (False: never started upstream, or stamped before)."""
    return (
        await db.execute(_STAMP_UPSTREAM_END, {"tenant_id": tenant_id, "session_id": session_id})
    ).first() is not None
