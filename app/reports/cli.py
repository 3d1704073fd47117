"""`greenroom report ...`: a period's usage, session history, the operator's totals and reconciliation, as CSV.

Runs as the schema owner (like `greenroom tenants`), so it reads any tenant; writes to a file (or stdout with `-o -`).
"""

from __future__ import annotations

import sys
import uuid
from contextlib import nullcontext
from datetime import UTC, date, datetime
from typing import Any

import click
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.broker.history import COLUMNS, HistoryFilter, count_created
from app.broker.history import sessions_page as page_of
from app.cli.database import owner_sessions as _run
from app.cli.environment import operator_settings
from app.db.engine import transaction
from app.metering.rollups import rebuild
from app.operator.service import find_tenant
from app.reports import csv_out
from app.reports.reconciliation import Mismatch, fetch_ground_truth, month_bounds, reconcile
from app.reports.usage import (
    OPERATOR_COLUMNS,
    UsageQuery,
    UsageReport,
    last_day,
    operator_usage,
    parse_by,
    parse_month,
    tenant_usage,
)

Sessions = async_sessionmaker[AsyncSession]


def _month(value: str | None) -> date:
    try:
        return parse_month(value, datetime.now(UTC).date())
    except ValueError:
        raise click.BadParameter("use YYYY-MM, e.g. 2026-11") from None


def _open(path: str) -> Any:
    """A file to write (closed after), or stdout (left open)."""
    return nullcontext(sys.stdout) if path == "-" else open(path, "w", newline="", encoding="utf-8")


async def _tenant_id(db: AsyncSession, ref: str) -> uuid.UUID:
    return (await find_tenant(db, ref)).id


@click.group("report", help="Usage reports and reconciliation as CSV (runs as the schema owner).")
def report() -> None:
    pass


@report.command("usage", help="A tenant's usage for a month, per day or month, optionally broken down.")
@click.option("--tenant", required=True, help="Tenant slug or id.")
@click.option("--month", help="YYYY-MM (UTC); default: this month.")
@click.option("--period", type=click.Choice(["day", "month"]), default="day", show_default=True)
@click.option("--by", default="", help="Comma-separated: agent, widget_key, origin, end_reason.")
@click.option("-o", "--output", default="-", show_default=True, help="CSV file to write, or - for stdout.")
def usage_cmd(tenant: str, month: str | None, period: str, by: str, output: str) -> None:
    first = _month(month)

    async def work(sessions: Sessions) -> UsageReport:
        async with transaction(sessions) as db:
            tid = await _tenant_id(db, tenant)
            return await tenant_usage(db, tid, UsageQuery(first, last_day(first), period, parse_by(by)))

    result = _run(work)
    with _open(output) as out:
        out.write(csv_out.document(result.csv_columns, result.rows))
    t = result.totals
    click.echo(
        f"{len(result.rows)} rows; {t['sessions']} sessions, {t['billed_seconds']} billed seconds "
        f"({t['billed_seconds'] / 60:.1f} min)" + ("" if output == "-" else f" → {output}"),
        err=True,
    )


@report.command("sessions", help="A tenant's session history for a month, every session, with a progress bar.")
@click.option("--tenant", required=True, help="Tenant slug or id.")
@click.option("--month", help="YYYY-MM (UTC); default: this month.")
@click.option("-o", "--output", required=True, help="CSV file to write, or - for stdout.")
def sessions_cmd(tenant: str, month: str | None, output: str) -> None:
    start, end = month_bounds(_month(month))
    f = HistoryFilter(created_from=start, created_to=end)

    async def work(sessions: Sessions) -> int:
        async with transaction(sessions) as db:
            tid = await _tenant_id(db, tenant)
            total = await count_created(db, tid, start, end)
        cursor, header, written = None, True, 0
        with (
            _open(output) as out,
            click.progressbar(length=total, label="exporting sessions", file=sys.stderr, show_pos=True) as bar,
        ):
            while True:
                async with transaction(sessions) as db:
                    rows, cursor = await page_of(db, tid, f, limit=5000, cursor=cursor)
                out.writelines(csv_out.lines(COLUMNS, rows, header=header))
                header, written = False, written + len(rows)
                bar.update(len(rows))
                if cursor is None:
                    return written

    written = _run(work)
    click.echo(f"{written} sessions" + ("" if output == "-" else f" → {output}"), err=True)


@report.command("operator", help="Every tenant's totals for a month (the operator's billing run).")
@click.option("--month", help="YYYY-MM (UTC); default: this month.")
@click.option("-o", "--output", default="-", show_default=True, help="CSV file to write, or - for stdout.")
def operator_cmd(month: str | None, output: str) -> None:
    first = _month(month)

    async def work(sessions: Sessions) -> UsageReport:
        async with transaction(sessions) as db:
            return await operator_usage(db, first, last_day(first))

    result = _run(work)
    with _open(output) as out:
        out.write(csv_out.document(OPERATOR_COLUMNS, result.rows))
    click.echo(f"{len(result.rows)} tenants; {result.totals['billed_seconds']} billed seconds in all", err=True)


@report.command(
    "reconcile", help="Ledger against the provider's record (the simulator's, in dev); exit 1 on a mismatch."
)
@click.option("--month", help="YYYY-MM (UTC); default: this month.")
@click.option("--tenant", help="One tenant (slug or id); default: all, plus provider sessions nobody recorded.")
@click.option(
    "--ground-truth",
    "ground_truth",
    envvar="GREENROOM_GROUND_TRUTH_URL",
    help="Base URL of the provider's record (the simulator). Default: GREENROOM_GROUND_TRUTH_URL.",
)
def reconcile_cmd(month: str | None, tenant: str | None, ground_truth: str | None) -> None:
    first = _month(month)
    if not ground_truth:  # in dev, the running simulator's
        ground_truth = operator_settings(secrets=False).ground_truth_url

    async def work(sessions: Sessions) -> list[Mismatch]:
        truth = await fetch_ground_truth(ground_truth)
        async with transaction(sessions) as db:
            tid = await _tenant_id(db, tenant) if tenant else None
            return await reconcile(db, truth, first, tenant_id=tid)

    found = _run(work)
    if not found:
        click.echo(f"{first:%Y-%m}: the ledger and the provider agree")
        return
    for m in found:
        click.echo(f"{m.problem:<22} session {m.session_id or '-'}  upstream {m.upstream_session_id}  {m.detail}")
    raise SystemExit(1)


@report.command("rebuild-rollups", help="Recompute a month's rollups from the ledger (a repair; reports read rollups).")
@click.option("--month", help="YYYY-MM (UTC); default: this month.")
def rebuild_cmd(month: str | None) -> None:
    first = _month(month)

    async def work(sessions: Sessions) -> tuple[int, int]:
        async with transaction(sessions) as db:
            return await rebuild(db, first)

    daily, monthly = _run(work)
    click.echo(f"{first:%Y-%m}: {daily} daily and {monthly} monthly rollup rows rebuilt from the ledger")
