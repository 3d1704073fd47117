"""The ledger's background work: its monthly partitions exist before the months that fill them."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.engine import transaction

USAGE_MONTHS_AHEAD = 3
_PARTITIONS = text("select greenroom_ensure_usage_partitions(current_date, :ahead)")


async def make_ledger_partitions(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with transaction(sessions) as db:
        return int(await db.scalar(_PARTITIONS, {"ahead": USAGE_MONTHS_AHEAD}) or 0)
