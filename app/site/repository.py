"""What the public pages ask the database: only whether it answers (the readiness probe)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def database_answers(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """One `select 1` on a pooled connection, outside any transaction of ours; False on any failure."""
    try:
        async with sessions() as db:
            await db.execute(text("select 1"))
    except Exception:
        return False
    return True
