"""`quota.threshold`: 80 % and 100 % of a tenant's monthly minutes, each at most once per tenant and month (UTC).

Checked where used minutes can grow: when the worker meters a session's end (in that same transaction), and on
every reaper pass for tenants with minutes still burning (live sessions bill as if they ended now). The unique
row in `quota_notices` makes it once, however many workers look at the same moment.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.engine import transaction
from app.metering.service import budget
from app.webhooks.events import QUOTA_THRESHOLD, emit, iso

log = logging.getLogger("greenroom.webhooks")

THRESHOLDS = (80, 100)

_NOTICE = text("""
    insert into quota_notices (tenant_id, month, threshold, used_seconds, monthly_minutes)
    values (:tenant_id, date_trunc('month', clock_timestamp() at time zone 'UTC')::date, :threshold, :used, :minutes)
    on conflict do nothing
    returning month""")
_CANDIDATES = text("select tenant_id from greenroom_quota_threshold_candidates(cast(:thresholds as int[]), :batch)")


async def check_quota(db: AsyncSession, tenant_id: uuid.UUID) -> list[int]:
    """Send the thresholds the tenant's month has crossed and not been told about yet; the ones sent, in order."""
    b = await budget(db, tenant_id)
    if not b.monthly_minutes:
        return []
    sent = []
    for threshold in THRESHOLDS:
        if b.used_s * 100 < b.monthly_minutes * 60 * threshold:
            break
        month = await db.scalar(
            _NOTICE, {"tenant_id": tenant_id, "threshold": threshold, "used": b.used_s, "minutes": b.monthly_minutes}
        )
        if month is None:  # told before
            continue
        await emit(
            db,
            tenant_id,
            QUOTA_THRESHOLD,
            {
                "threshold_percent": threshold,
                "month": month.strftime("%Y-%m"),
                "monthly_minutes": b.monthly_minutes,
                "used_seconds": b.used_s,
                "remaining_seconds": b.remaining_s,
                "resets_at": iso(b.resets_at),
            },
        )
        sent.append(threshold)
    if sent:
        log.info("tenant %s crossed %s of its monthly minutes", tenant_id, " and ".join(f"{t} %" for t in sent))
    return sent


async def check_quota_after_metering(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    """In the transaction that meters a session's end; in a savepoint, so a failure here never undoes the metering."""
    try:
        async with db.begin_nested():
            await check_quota(db, tenant_id)
    except Exception:
        log.exception("quota threshold check failed for tenant %s; the reaper's next pass looks again", tenant_id)


async def quota_pass(sessions: async_sessionmaker[AsyncSession], batch: int = 100) -> int:
    """One pass over tenants with minutes burning (the worker's reaper loop); how many events were queued."""
    async with transaction(sessions) as db:
        tenants = list(await db.scalars(_CANDIDATES, {"thresholds": list(THRESHOLDS), "batch": batch}))
    sent = 0
    for tenant_id in tenants:
        try:
            async with transaction(sessions, tenant_id) as db:
                sent += len(await check_quota(db, tenant_id))
        except Exception:
            log.exception("quota threshold check failed for tenant %s", tenant_id)
    return sent
