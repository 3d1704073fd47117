"""`/v1/usage`, `/v1/reports/...` (a tenant's) and `/v1/operator/reports/...` (across tenants), in JSON or CSV."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.dependencies import ADMIN_PROBLEMS, OPERATOR_PROBLEMS, Caller, TenantTx
from app.broker.history import HistoryFilter
from app.errors import Problem, problem_responses
from app.kit import api_docs
from app.kit.instants import in_range
from app.kit.pagination import check_limit
from app.reports import csv_out, service
from app.reports.schemas import MonthUsage, Reconciliation, UsageReportOut
from app.reports.service import day_of
from app.reports.usage import OPERATOR_COLUMNS, UsageQuery, operator_usage, parse_by, tenant_usage
from app.settings import Settings

Format = Annotated[str | None, QueryParameter(name="format", required=False, description="`json` (default) or `csv`.")]
FORMAT_DOC = (
    " Add `format=csv` (or `Accept: text/csv`) for a CSV file: header row, ISO dates, whole seconds; a text cell that "
    "a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or CR) gets a `'` in front."
)


def wants_csv(request: Request[Any, Any, Any], fmt: str | None) -> bool:
    if fmt not in (None, "json", "csv"):
        raise Problem("invalid-request", "format must be `json` or `csv`.")
    return fmt == "csv" or (fmt is None and "text/csv" in request.headers.get("accept", ""))


def csv_response(name: str, body: str | AsyncIterator[str]) -> Response[Any]:
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    if isinstance(body, str):
        return Response(body, media_type=csv_out.MEDIA_TYPE, headers=headers)
    # A Stream takes the handler's media type (JSON here) over its own: set the header itself.
    return Stream(body, media_type=csv_out.MEDIA_TYPE, headers={**headers, "Content-Type": csv_out.MEDIA_TYPE})


class UsageController(Controller):
    path = "/v1/usage"
    security = api_docs.TENANT
    tags = ["Usage and reports"]

    @get(
        "/",
        summary="This month's usage and budget",
        description="Finished sessions from the ledger, what live sessions have used so far, the minute budget and "
        "what is left, and billed seconds per day (for a chart). Months are calendar months in UTC; a session "
        "counts in the month it started.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def month(
        self,
        tx_usage_read: TenantTx,
        month: Annotated[
            str | None, QueryParameter(required=False, description="YYYY-MM; default: this month.")
        ] = None,
    ) -> MonthUsage:
        db, caller = tx_usage_read
        return await service.month_usage(db, caller.tenant, month)


class ReportsController(Controller):
    path = "/v1/reports"
    security = api_docs.TENANT
    tags = ["Usage and reports"]

    @get(
        "/usage",
        summary="Usage by day or month, broken down",
        description="Sessions, upstream seconds and billed seconds per period, optionally by agent, widget key, page "
        "origin and end reason. Totals are the sums of the rows." + FORMAT_DOC,
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def usage(
        self,
        tx_usage_read: TenantTx,
        request: Request[Any, Any, Any],
        start: Annotated[str, QueryParameter(name="from", description="First day (UTC), e.g. 2026-11-01.")],
        end: Annotated[str, QueryParameter(name="to", description="Last day, inclusive.")],
        period: Annotated[str, QueryParameter(required=False, description="`day` or `month`.")] = "day",
        by: Annotated[
            str | None,
            QueryParameter(required=False, description="Comma-separated: agent, widget_key, origin, end_reason."),
        ] = None,
        fmt: Format = None,
    ) -> Any:
        as_csv = wants_csv(request, fmt)
        q = UsageQuery(day_of(start, "from"), day_of(end, "to"), period, parse_by(by)).check()
        db, caller = tx_usage_read
        report = await tenant_usage(db, caller.tenant, q)
        if as_csv:
            return csv_response(f"usage-{q.start}-{q.end}", csv_out.document(report.csv_columns, report.rows))
        return UsageReportOut.of(report)

    @get(
        "/sessions",
        summary="Session history",
        description="Every session with its upstream and billed seconds and why it ended; newest first, filtered, "
        "paged with `cursor` (JSON). The CSV export holds every matching session." + FORMAT_DOC,
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def sessions(
        self,
        caller_usage_read: Caller,
        request: Request[Any, Any, Any],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
        agent: Annotated[str | None, QueryParameter(required=False)] = None,
        widget_key_id: Annotated[uuid.UUID | None, QueryParameter(required=False)] = None,
        api_key_id: Annotated[uuid.UUID | None, QueryParameter(required=False)] = None,
        state_filter: Annotated[str | None, QueryParameter(name="state", required=False)] = None,
        end_reason: Annotated[str | None, QueryParameter(required=False)] = None,
        created_from: Annotated[datetime | None, QueryParameter(required=False)] = None,
        created_to: Annotated[datetime | None, QueryParameter(required=False)] = None,
        limit: FromQuery[int] = 50,
        cursor: Annotated[str | None, QueryParameter(required=False)] = None,
        fmt: Format = None,
    ) -> Any:
        created_from, created_to = in_range(created_from, "created_from"), in_range(created_to, "created_to")
        f = HistoryFilter(agent, widget_key_id, api_key_id, state_filter, end_reason, created_from, created_to).check()
        tenant_id = caller_usage_read.tenant  # a report: the CSV's scope too
        if wants_csv(request, fmt):
            return csv_response("sessions", service.history_csv(db_sessions, tenant_id, f))
        check_limit(limit)
        return await service.session_history(db_sessions, tenant_id, f, limit=limit, cursor=cursor)

    @get(
        "/reconciliation",
        summary="Ledger against the provider's record",
        description="Sessions whose metered upstream time differs from the provider's by more than 1 s, that the "
        "provider still runs though they ended here, or that ended without a ledger row. Needs a ground-truth source "
        "(the simulator in dev and tests; Avaturn has none).",
        responses=problem_responses(*ADMIN_PROBLEMS, "reconciliation-unavailable"),
    )
    async def reconciliation(
        self,
        caller_usage_read: Caller,
        settings: NamedDependency[Settings],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
        month: Annotated[
            str | None, QueryParameter(required=False, description="YYYY-MM; default: this month.")
        ] = None,
    ) -> Reconciliation:
        # Who may ask comes first (the dependency): no fetch (and no "unavailable") for a caller the matrix refuses.
        # The fetch itself runs between the two transactions, never inside one.
        return await service.reconciliation(db_sessions, settings.ground_truth_url, caller_usage_read.tenant, month)


class OperatorReportsController(Controller):
    path = "/v1/operator/reports"
    security = api_docs.OPERATOR
    tags = ["Operator"]

    @get(
        "/usage",
        summary="Usage of every tenant for a period",
        description="Sessions, upstream and billed seconds per tenant (tenants without usage too), with totals."
        + FORMAT_DOC,
        responses=problem_responses(*OPERATOR_PROBLEMS),
    )
    async def usage(
        self,
        tx_operator: TenantTx,
        request: Request[Any, Any, Any],
        start: Annotated[str, QueryParameter(name="from", description="First day (UTC).")],
        end: Annotated[str, QueryParameter(name="to", description="Last day, inclusive.")],
        fmt: Format = None,
    ) -> Any:
        as_csv = wants_csv(request, fmt)
        first, last = day_of(start, "from"), day_of(end, "to")
        db = tx_operator.db
        report = await operator_usage(db, first, last)
        if as_csv:
            return csv_response(f"operator-usage-{first}-{last}", csv_out.document(OPERATOR_COLUMNS, report.rows))
        return UsageReportOut.of(report)
