"""Housekeeping's one shared tool: a sweep run in batches of 1,000 rows, each its own short transaction.

Each domain's `tasks.py` names what it forgets and when (a SQL function that answers how many rows it removed); the
worker's composition root (app/worker.py) runs them now and then. Safe with any number of workers at once.
"""

from __future__ import annotations

from sqlalchemy import TextClause
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.engine import transaction

BATCH = 1000


async def in_batches(sessions: async_sessionmaker[AsyncSession], sweep: TextClause, ttl_s: int) -> int:
    """Run `sweep` (parameters :ttl; it removes at most BATCH rows) until a batch comes back short."""
    total = 0
    while True:
        async with transaction(sessions) as db:
            n = int(await db.scalar(sweep, {"ttl": ttl_s}) or 0)
        total += n
        if n < BATCH:
            return total
