"""Session starts a tenant's callers were refused, counted per hour and problem type (`GET /v1/reports/failures`).

Most failed starts leave no session row (a used-up budget, too many live sessions, a missing provider key, a rate
limit); a provider's failure does leave one, but not the problem its caller got. So every start that ends in a
problem is counted here by its problem type (`quota-exhausted`, `upstream-timeout`, …) and channel (`api`,
`widget`), once the caller is known to be the tenant's: a server key or a signed-in admin with the scope to start,
or a widget key on one of its origins. An unknown key, a page on an origin the key does not allow, or a suspended
tenant are not counted: anyone can send those, and counting them would let anyone write to a tenant's record.

The count is written after the refusal, in a transaction of its own (the start's rolled back), by one statement that
also drops the tenant's rows older than RETENTION; it never changes the answer the caller gets, even if it fails.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.engine import transaction

log = logging.getLogger("greenroom.broker")

Channel = Literal["api", "widget"]
RETENTION_HOURS = 8 * 24
MAX_HOURS = 7 * 24  # what a report may ask for: inside the retention, whole hours

_RECORD = text(f"""
    with gone as (
      delete from start_refusals
      where tenant_id = :tenant and hour < date_trunc('hour', now()) - interval '{RETENTION_HOURS} hours'
    )
    insert into start_refusals as r (tenant_id, hour, problem, channel, refusals, last_at)
    values (:tenant, date_trunc('hour', now()), :problem, :channel, 1, clock_timestamp())
    on conflict (tenant_id, hour, problem, channel) do update
      set refusals = r.refusals + 1, last_at = greatest(r.last_at, excluded.last_at)""")

_READ = text("""
    select problem, sum(refusals)::int as refusals,
           coalesce(sum(refusals) filter (where channel = 'api'), 0)::int as api,
           coalesce(sum(refusals) filter (where channel = 'widget'), 0)::int as widget,
           max(last_at) as last_at
    from start_refusals
    where tenant_id = :tenant and hour >= date_trunc('hour', now()) - make_interval(hours => :hours - 1)
    group by problem
    order by refusals desc, problem""")
_WINDOW = text("select date_trunc('hour', now()) - make_interval(hours => :hours - 1) as since, now() as until")


async def note_refusal(
    sessions: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID, problem: str, channel: Channel
) -> None:
    """Count one refused start; a failure here is logged and swallowed (the caller's answer stands)."""
    try:
        async with transaction(sessions, tenant_id) as db:
            await db.execute(_RECORD, {"tenant": tenant_id, "problem": problem[:40], "channel": channel})
    except Exception:
        log.warning("could not count a refused session start (%s)", problem, exc_info=True)


@dataclass(frozen=True)
class Refusals:
    problem: str
    refusals: int
    api: int
    widget: int
    last_at: datetime


async def recent_refusals(
    db: AsyncSession, tenant_id: uuid.UUID, hours: int
) -> tuple[datetime, datetime, list[Refusals]]:
    """(since, until, counts per problem type, most first) for the last `hours` hours, the current one included."""
    window = (await db.execute(_WINDOW, {"hours": hours})).one()
    rows = (await db.execute(_READ, {"tenant": tenant_id, "hours": hours})).all()
    return window.since, window.until, [Refusals(*row) for row in rows]
