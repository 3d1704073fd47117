"""Rebuilding the rollups of a month from the ledger: a repair tool, and how generated benchmark data gets its rollups.

The rollups are normally written row by row with the ledger (app/metering/service.py); they are only sums of
it, so they can always be recomputed. Run as the schema owner (`greenroom report rebuild-rollups`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

_DELETE_DAILY = text("delete from usage_daily where day >= :month and day < (:month + interval '1 month')::date")
_DELETE_MONTHLY = text("delete from usage_monthly where month = :month")
_DAILY = text("""
    insert into usage_daily (tenant_id, day, agent_slug, widget_key_id, origin, end_reason, sessions, upstream_seconds,
                             billed_seconds)
    select tenant_id, (started_at at time zone 'UTC')::date, agent_slug, widget_key_id, origin, end_reason, count(*),
           sum(upstream_seconds), sum(billed_seconds)
    from usage_events where month = :month and event = 'ended'
    group by 1, 2, 3, 4, 5, 6""")
_MONTHLY = text("""
    insert into usage_monthly (tenant_id, month, sessions, upstream_seconds, billed_seconds)
    select tenant_id, month, count(*), sum(upstream_seconds), sum(billed_seconds)
    from usage_events where month = :month and event = 'ended'
    group by 1, 2""")


async def rebuild(db: AsyncSession, month: date) -> tuple[int, int]:
    """Replace the month's rollups by sums of its ledger rows; returns (daily rows, monthly rows) written.

    Takes the month's rollup rows away and puts them back in one transaction: readers see old or new, never half.
    """
    await db.execute(text("lock table usage_daily, usage_monthly in share row exclusive mode"))
    await db.execute(_DELETE_DAILY, {"month": month})
    await db.execute(_DELETE_MONTHLY, {"month": month})
    return await _rows_written(db, _DAILY, month), await _rows_written(db, _MONTHLY, month)


async def _rows_written(db: AsyncSession, insert: TextClause, month: date) -> int:
    # An INSERT answers a CursorResult (which has the row count); the session's signature says only Result.
    return cast(CursorResult[Any], await db.execute(insert, {"month": month})).rowcount
