"""Writing the usage ledger, and the month's minute budget (docs/decisions/0013-metering.md).

Upstream time runs from the provider's create acknowledgement (`started_at`, written in the broker's Tx 2)
to the provider's end acknowledgement (`upstream_ended_at`, stamped by the broker when the worker's DELETE is
answered; never later than `expires_at`, when the provider ends the session itself). Both on the database clock.
The ledger row and the rollups are written by one statement, in the transaction that stamps the session's end:
the session row, the ledger row and the rollups move together or not at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.metrics import SESSIONS_ENDED

MONTH_OF = "date_trunc('month', {col} at time zone 'UTC')::date"

_RECORD_STARTED = text(f"""
    insert into usage_events (month, session_id, event, tenant_id, occurred_at, agent_slug, agent_id, widget_key_id,
                              api_key_id, origin, started_at)
    select {MONTH_OF.format(col="s.started_at")}, s.id, 'started', s.tenant_id, s.started_at, s.agent_slug, s.agent_id,
           s.widget_key_id, s.api_key_id, s.origin, s.started_at
    from sessions s where s.id = :session_id and s.tenant_id = :tenant_id and s.started_at is not null
    on conflict do nothing""")

# The end of a session whose upstream end was just stamped, in one statement: append the ledger row (only once), add
# it to the rollups. Billed seconds are zero for a session the caller never received (no `started` event): failed or
# ended while starting.
_RECORD_ENDED = text(f"""
    with s as (
      select * from sessions where id = :session_id and tenant_id = :tenant_id and upstream_ended_at is not null
    ), e as (
      select s.*, {MONTH_OF.format(col="s.started_at")} as month, t.billing_rounding,
             greatest(0, (extract(epoch from s.upstream_ended_at - s.started_at) * 1000)::bigint) as ms,
             exists (select 1 from usage_events u where u.month = {MONTH_OF.format(col="s.started_at")}
                     and u.session_id = s.id and u.event = 'started') as delivered
      from s join tenants t on t.id = s.tenant_id
    ), ins as (
      insert into usage_events (month, session_id, event, tenant_id, occurred_at, agent_slug, agent_id, widget_key_id,
                                api_key_id, origin, started_at, ended_at, state, end_reason, end_confirmed,
                                upstream_ms, upstream_seconds, billed_seconds, rounding)
      select e.month, e.id, 'ended', e.tenant_id, e.upstream_ended_at, e.agent_slug, e.agent_id, e.widget_key_id,
             e.api_key_id, e.origin, e.started_at, e.upstream_ended_at, e.state, coalesce(e.end_reason, 'unknown'),
             :confirmed, e.ms, round(e.ms / 1000.0)::int,
             case when e.delivered and e.state <> 'failed' then greenroom_billed_seconds(e.ms, e.billing_rounding)
                  else 0 end,
             e.billing_rounding
      from e
      on conflict do nothing
      returning tenant_id, month, started_at, agent_slug, widget_key_id, origin, end_reason, upstream_seconds,
                billed_seconds
    ), daily as (
      insert into usage_daily as d (tenant_id, day, agent_slug, widget_key_id, origin, end_reason, sessions,
                                    upstream_seconds, billed_seconds)
      select tenant_id, (started_at at time zone 'UTC')::date, agent_slug, widget_key_id, origin, end_reason, 1,
             upstream_seconds, billed_seconds
      from ins
      on conflict on constraint uq_usage_daily_key do update
        set sessions = d.sessions + 1, upstream_seconds = d.upstream_seconds + excluded.upstream_seconds,
            billed_seconds = d.billed_seconds + excluded.billed_seconds
    ), monthly as (
      insert into usage_monthly as m (tenant_id, month, sessions, upstream_seconds, billed_seconds)
      select tenant_id, month, 1, upstream_seconds, billed_seconds from ins
      on conflict (tenant_id, month) do update
        set sessions = m.sessions + 1, upstream_seconds = m.upstream_seconds + excluded.upstream_seconds,
            billed_seconds = m.billed_seconds + excluded.billed_seconds
    )
    select upstream_seconds, billed_seconds, end_reason from ins""")

_BUDGET = text("""
    select t.monthly_minutes, t.billing_rounding, t.status,
           greenroom_month_billed_seconds(t.id, clock_timestamp()) as used,
           (date_trunc('month', clock_timestamp() at time zone 'UTC') + interval '1 month') at time zone 'UTC'
             as resets_at,
           clock_timestamp() as now
    from tenants t where t.id = :tenant_id""")


@dataclass(frozen=True)
class Metered:
    upstream_seconds: int
    billed_seconds: int
    end_reason: str


@dataclass(frozen=True)
class Budget:
    monthly_minutes: int | None
    rounding: str
    used_s: int
    resets_at: datetime
    now: datetime
    tenant_status: str = "active"

    @property
    def remaining_s(self) -> int | None:
        return None if self.monthly_minutes is None else max(0, self.monthly_minutes * 60 - self.used_s)


async def record_started(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> None:
    """In the broker's Tx 2, after the session became `active` (the caller receives it)."""
    await db.execute(_RECORD_STARTED, {"tenant_id": tenant_id, "session_id": session_id})


async def meter_end(
    db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID, *, confirmed: bool
) -> Metered | None:
    """The ledger row and rollups of a session whose upstream end was stamped in this transaction; None if metered
    before."""
    row = (
        await db.execute(_RECORD_ENDED, {"tenant_id": tenant_id, "session_id": session_id, "confirmed": confirmed})
    ).first()
    if row is None:
        return None
    SESSIONS_ENDED.labels(row.end_reason).inc()
    return Metered(*row)


async def budget(db: AsyncSession, tenant_id: uuid.UUID) -> Budget:
    """The month's minute budget and what is used of it, live sessions included (billed as if they ended now), and
    whether the tenant is active."""
    row = (await db.execute(_BUDGET, {"tenant_id": tenant_id})).one()
    return Budget(row.monthly_minutes, row.billing_rounding, int(row.used), row.resets_at, row.now, row.status)
