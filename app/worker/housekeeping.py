"""Housekeeping the worker does between reaper passes: forget what has expired, make the ledger's next months.

Each step is one short statement, safe with any number of workers running it at once.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.access.rate_limits import sweep as sweep_rate_limits
from app.db.engine import transaction
from app.metrics import refresh_from_database

log = logging.getLogger("greenroom.worker")

IDEMPOTENCY_KEY_TTL_S = 24 * 3600  # as Stripe keeps them
USAGE_MONTHS_AHEAD = 3

_EXPIRE_KEYS = text("select greenroom_expire_idempotency_keys(:ttl, 1000)")
_PARTITIONS = text("select greenroom_ensure_usage_partitions(current_date, :ahead)")


async def every_pass(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as db:
        await sweep_rate_limits(db)
    await refresh_from_database(sessions, force=True)  # the worker's metrics port shows current queue figures


async def now_and_then(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Every few minutes: expired idempotency keys (in batches), and the ledger's partitions for the months ahead."""
    expired = 0
    while True:
        async with transaction(sessions) as db:
            n = int(await db.scalar(_EXPIRE_KEYS, {"ttl": IDEMPOTENCY_KEY_TTL_S}) or 0)
        expired += n
        if n < 1000:
            break
    async with transaction(sessions) as db:
        made = int(await db.scalar(_PARTITIONS, {"ahead": USAGE_MONTHS_AHEAD}) or 0)
    if expired or made:
        log.info("housekeeping: %s idempotency keys expired, %s ledger partitions made", expired, made)
