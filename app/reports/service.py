"""The reports' answers, for the API and the usage page: a month at a glance, session history (a page, or every
page as CSV lines), reconciliation. Each opens the transactions it needs and never holds one over a provider call."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.broker.history import COLUMNS as HISTORY_COLUMNS
from app.broker.history import HistoryFilter, sessions_page
from app.broker.refusals import MAX_HOURS, recent_refusals
from app.db.engine import transaction
from app.errors import CATALOGUE, Problem, is_problem_slug
from app.metering.service import budget
from app.reports import csv_out
from app.reports.reconciliation import fetch_ground_truth, reconcile
from app.reports.schemas import FailureCount, FailureReport, MonthUsage, Reconciliation, SessionHistory
from app.reports.usage import UsageQuery, last_day, parse_month, tenant_usage

EXPORT_PAGE = 5000


def month_of(raw: str | None, today: date) -> date:
    try:
        return parse_month(raw, today)
    except ValueError:
        raise Problem(
            "invalid-request",
            "month must look like 2026-11 (up to 9999-11).",
            errors=[{"message": "a month like 2026-11", "key": "month", "source": "query"}],
        ) from None


async def month_usage(db: AsyncSession, tenant_id: uuid.UUID, month: str | None) -> MonthUsage:
    """A month's finished sessions and billed seconds per day; this month's also with the budget."""
    b = await budget(db, tenant_id)
    first = month_of(month, b.now.date())
    report = await tenant_usage(db, tenant_id, UsageQuery(first, last_day(first)))
    return MonthUsage.build(first, report, b)


async def session_history(
    sessions: async_sessionmaker[AsyncSession],
    tenant_id: uuid.UUID,
    f: HistoryFilter,
    *,
    limit: int,
    cursor: str | None,
) -> SessionHistory:
    async with transaction(sessions, tenant_id) as db:
        rows, next_cursor = await sessions_page(db, tenant_id, f, limit=limit, cursor=cursor)
    return SessionHistory(items=rows, next_cursor=next_cursor)


async def history_csv(
    sessions: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID, f: HistoryFilter
) -> AsyncIterator[str]:
    """Page by page, each page its own short transaction: an export of millions of rows holds nothing open."""
    cursor, header = None, True
    while True:
        async with transaction(sessions, tenant_id) as db:
            rows, cursor = await sessions_page(db, tenant_id, f, limit=EXPORT_PAGE, cursor=cursor)
        for line in csv_out.lines(HISTORY_COLUMNS, rows, header=header):
            yield line
        header = False
        if cursor is None:
            return


async def reconciliation(
    sessions: async_sessionmaker[AsyncSession], ground_truth_url: str | None, tenant_id: uuid.UUID, month: str | None
) -> Reconciliation:
    """The tenant's ledger against the provider's record. The fetch runs before the transaction, never inside one."""
    truth = await fetch_ground_truth(ground_truth_url)
    async with transaction(sessions, tenant_id) as db:
        first = month_of(month, (await budget(db, tenant_id)).now.date())
        found = await reconcile(db, truth, first, tenant_id=tenant_id)
    return Reconciliation(month=first.strftime("%Y-%m"), mismatches=[m.as_dict() for m in found])


async def failures(db: AsyncSession, tenant_id: uuid.UUID, hours: int) -> FailureReport:
    """The tenant's refused starts of the last `hours` whole hours, by problem type, with each type's title."""
    if not 1 <= hours <= MAX_HOURS:
        raise Problem(
            "invalid-request",
            f"hours must be between 1 and {MAX_HOURS}.",
            errors=[{"message": f"1 to {MAX_HOURS}", "key": "hours", "source": "query"}],
        )
    since, until, rows = await recent_refusals(db, tenant_id, hours)
    items = []
    for r in rows:
        status, title = CATALOGUE[r.problem] if is_problem_slug(r.problem) else (0, r.problem)
        items.append(
            FailureCount(
                problem=r.problem,
                title=title,
                status=status,
                count=r.refusals,
                api=r.api,
                widget=r.widget,
                last_at=r.last_at,
            )
        )
    return FailureReport(since=since, until=until, total=sum(i.count for i in items), items=items)
