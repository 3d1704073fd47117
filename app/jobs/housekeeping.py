"""Housekeeping the worker does between reaper passes: forget what has expired, make the ledger's next months.

Each step is one short statement, safe with any number of workers running it at once.
"""

from __future__ import annotations

import logging

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.rate_limits import sweep as sweep_rate_limits
from app.db.engine import transaction
from app.metrics import refresh_from_database

log = logging.getLogger("greenroom.worker")

IDEMPOTENCY_KEY_TTL_S = 24 * 3600  # as Stripe keeps them
WEBHOOK_LOG_TTL_S = 90 * 86400  # the delivery log a tenant can read back
USAGE_MONTHS_AHEAD = 3

_EXPIRE_KEYS = text("select greenroom_expire_idempotency_keys(:ttl, 1000)")
_EXPIRE_ATTEMPTS = text("select greenroom_expire_webhook_attempts(:ttl, 1000)")
_PARTITIONS = text("select greenroom_ensure_usage_partitions(current_date, :ahead)")


async def every_pass(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as db:
        await sweep_rate_limits(db)
    await refresh_from_database(sessions, force=True)  # the worker's metrics port shows current queue figures


async def now_and_then(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Every few minutes: expired idempotency keys and webhook attempts (in batches), and the ledger's partitions
    for the months ahead."""
    keys = await _in_batches(sessions, _EXPIRE_KEYS, IDEMPOTENCY_KEY_TTL_S)
    attempts = await _in_batches(sessions, _EXPIRE_ATTEMPTS, WEBHOOK_LOG_TTL_S)
    async with transaction(sessions) as db:
        made = int(await db.scalar(_PARTITIONS, {"ahead": USAGE_MONTHS_AHEAD}) or 0)
    if keys or attempts or made:
        log.info(
            "housekeeping: %s idempotency keys and %s webhook attempts expired, %s ledger partitions made",
            keys,
            attempts,
            made,
        )


async def _in_batches(sessions: async_sessionmaker[AsyncSession], sweep: TextClause, ttl_s: int) -> int:
    """Run a sweep of 1,000 rows per short transaction until a batch comes back short."""
    total = 0
    while True:
        async with transaction(sessions) as db:
            n = int(await db.scalar(sweep, {"ttl": ttl_s}) or 0)
        total += n
        if n < 1000:
            return total
