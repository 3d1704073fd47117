"""Usage reports from the ledger's rollups (docs/decisions/0013-metering.md).

Every figure is a sum of ledger rows: finished sessions, by the day (UTC) they started. Totals are the sums
of the rows shown, so a spreadsheet's SUM() agrees with them.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Problem

DIMENSIONS = ("agent", "widget_key", "origin", "end_reason")
_COLUMN = {"agent": "d.agent_slug", "widget_key": "d.widget_key_id", "origin": "d.origin", "end_reason": "d.end_reason"}
PERIODS = ("day", "month")
# What the OpenAPI promises for `by` and `month`. Year 1 to 9999; 9999-12 is out: every report reads up to the next
# month's first day.
BY_PATTERN = "^({0})(,({0}))*$".format("|".join(DIMENSIONS))
MONTH_PATTERN = r"^(?!0000-)(?!9999-12)[0-9]{4}-(0[1-9]|1[0-2])$"
MEASURES = ("sessions", "upstream_seconds", "billed_seconds")
MAX_DAYS = 366


@dataclass(frozen=True)
class UsageQuery:
    start: date
    end: date  # inclusive
    period: str = "day"
    by: tuple[str, ...] = ()

    def check(self) -> UsageQuery:
        if self.end < self.start:
            raise Problem("invalid-request", "`to` is before `from`.")
        if (self.end - self.start).days >= MAX_DAYS:
            raise Problem("invalid-request", f"A report covers at most {MAX_DAYS} days; ask for a shorter period.")
        if self.period not in PERIODS:
            raise Problem("invalid-request", f"period must be one of {', '.join(PERIODS)}.")
        unknown = [b for b in self.by if b not in DIMENSIONS]
        if unknown:
            raise Problem("invalid-request", f"Unknown breakdown {unknown}; choose from {', '.join(DIMENSIONS)}.")
        return self


@dataclass
class UsageReport:
    query: UsageQuery
    rows: list[dict[str, Any]]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return ["period", *self.query.by, *MEASURES]

    @property
    def csv_columns(self) -> list[str]:
        """The columns, with the widget key's label beside its id when broken down by key (CSV has no nesting)."""
        label = ["widget_key_label"] if "widget_key" in self.query.by else []
        return ["period", *self.query.by, *label, *MEASURES]


# The operator's report, one row per tenant, in the order a billing sheet reads.
OPERATOR_COLUMNS = ["tenant", "tenant_name", "tenant_id", "monthly_minutes", *MEASURES]


def parse_month(raw: str | None, today: date) -> date:
    """`YYYY-MM` as the month's first day; None is the month of `today`. ValueError if it is not a month."""
    if raw is None:
        return today.replace(day=1)
    if not re.fullmatch(MONTH_PATTERN, raw):
        raise ValueError(f"not a month: {raw!r}")
    return datetime.strptime(raw, "%Y-%m").date()


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def last_day(first: date) -> date:
    """The last day of the month that starts on `first`."""
    return date.fromordinal(next_month(first).toordinal() - 1)


def parse_by(raw: str | None) -> tuple[str, ...]:
    """`agent,origin` as ("agent", "origin"); an unknown name is refused by `UsageQuery.check`."""
    return tuple(dict.fromkeys(raw.split(","))) if raw else ()


async def tenant_usage(db: AsyncSession, tenant_id: uuid.UUID, q: UsageQuery) -> UsageReport:
    """Rows per period (and breakdown) for one tenant; the caller's transaction is scoped to that tenant."""
    q.check()
    period = "d.day" if q.period == "day" else "date_trunc('month', d.day)::date"
    dims = [_COLUMN[b] for b in q.by]
    select_dims = "".join(f", {_COLUMN[b]} as {b}" for b in q.by)
    group = ", ".join([period, *dims])
    rows = (
        (
            await db.execute(
                text(f"""
        select {period} as period{select_dims}, sum(d.sessions)::bigint as sessions,
               sum(d.upstream_seconds)::bigint as upstream_seconds, sum(d.billed_seconds)::bigint as billed_seconds
        from usage_daily d
        where d.tenant_id = :tenant and d.day between :start and :end
        group by {group} order by {group}"""),
                {"tenant": tenant_id, "start": q.start, "end": q.end},
            )
        )
        .mappings()
        .all()
    )
    out = [dict(r) for r in rows]
    if "widget_key" in q.by:
        await _label_widget_keys(db, tenant_id, out)
    return UsageReport(q, out, {m: sum(int(r[m]) for r in out) for m in MEASURES})


async def _label_widget_keys(db: AsyncSession, tenant_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    """Add the key's label next to its id, so a reader needs no second look-up."""
    labels: dict[uuid.UUID, str] = dict(
        (await db.execute(text("select id, label from widget_keys where tenant_id = :t"), {"t": tenant_id})).all()
    )
    for r in rows:
        r["widget_key_label"] = labels.get(r["widget_key"]) if r["widget_key"] else None


async def operator_usage(db: AsyncSession, start: date, end: date) -> UsageReport:
    """Totals per tenant across every tenant (a SECURITY DEFINER function: the app role sees one tenant at a time)."""
    q = UsageQuery(start, end).check()
    rows = (
        (
            await db.execute(
                text("""
        select t.id as tenant_id, t.slug as tenant, t.name as tenant_name, t.monthly_minutes,
               coalesce(u.sessions, 0) as sessions, coalesce(u.upstream_seconds, 0) as upstream_seconds,
               coalesce(u.billed_seconds, 0) as billed_seconds
        from tenants t left join greenroom_operator_usage(:start, :end) u on u.tenant_id = t.id
        order by billed_seconds desc, t.slug"""),
                {"start": start, "end": end},
            )
        )
        .mappings()
        .all()
    )
    out = [dict(r) for r in rows]
    return UsageReport(q, out, {m: sum(int(r[m]) for r in out) for m in MEASURES})
