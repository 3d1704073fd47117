"""`/v1/usage`, `/v1/reports/...` (a tenant's) and `/v1/operator/reports/...` (across tenants), in JSON or CSV."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.dependencies import ADMIN_PROBLEMS, OPERATOR_PROBLEMS, Caller, TenantTx
from app.broker.history import HistoryFilter
from app.broker.models import STATES
from app.broker.refusals import MAX_HOURS
from app.errors import Problem, problem_responses
from app.kit import api_docs
from app.kit.instants import day_query, instant_query, parse_day, parse_instant
from app.kit.pagination import check_limit, limit_query, optional_query
from app.reports import csv_out, service
from app.reports.schemas import FailureReport, MonthUsage, Reconciliation, UsageReportOut
from app.reports.usage import (
    BY_PATTERN,
    MONTH_PATTERN,
    OPERATOR_COLUMNS,
    PERIODS,
    UsageQuery,
    operator_usage,
    parse_by,
    tenant_usage,
)
from app.settings import Settings

Format = Annotated[str | None, optional_query("format", "`json` (default) or `csv`.", enum=["json", "csv"])]
Month = Annotated[str | None, optional_query("month", "YYYY-MM; default: this month.", pattern=MONTH_PATTERN)]
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
    content_type = f"{csv_out.MEDIA_TYPE}; charset=utf-8"
    return Stream(body, media_type=csv_out.MEDIA_TYPE, headers={**headers, "Content-Type": content_type})


@dataclass
class JsonOrCsv(Operation):
    """A report's OpenAPI operation: its 200 is JSON, or CSV with `format=csv` or `Accept: text/csv`."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            csv = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, description="CSV with a header row."))
            ok.content[csv_out.MEDIA_TYPE] = csv


class UsageController(Controller):
    path = "/v1/usage"
    security = api_docs.TENANT
    tags = ["Usage and reports"]

    @get(
        "/",
        summary="This month's usage and budget",
        description="Finished sessions from the ledger, what live sessions have used so far, the minute budget and "
        "what is left, billed seconds per day (for a chart), and whether new sessions are being refused right now "
        "and why (`starts_refused`: less than a minute of budget left, or the tenant suspended). Months are calendar "
        "months in UTC; a session counts in the month it started. Readable while the tenant is suspended.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def month(
        self,
        tx_usage_read: TenantTx,
        month: Month = None,
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
        operation_class=JsonOrCsv,
        description="Sessions, upstream seconds and billed seconds per period, optionally by agent, widget key, page "
        "origin and end reason. Totals are the sums of the rows." + FORMAT_DOC,
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def usage(
        self,
        tx_usage_read: TenantTx,
        request: Request[Any, Any, Any],
        start: Annotated[str, day_query("First day (UTC), e.g. 2026-11-01.", name="from")],
        end: Annotated[str, day_query("Last day, inclusive.", name="to")],
        period: Annotated[str, optional_query("period", "`day` or `month`.", enum=list(PERIODS))] = "day",
        by: Annotated[
            str | None,
            optional_query("by", "Comma-separated: agent, widget_key, origin, end_reason.", pattern=BY_PATTERN),
        ] = None,
        fmt: Format = None,
    ) -> Any:
        as_csv = wants_csv(request, fmt)
        q = UsageQuery(parse_day(start, "from"), parse_day(end, "to"), period, parse_by(by)).check()
        db, caller = tx_usage_read
        report = await tenant_usage(db, caller.tenant, q)
        if as_csv:
            return csv_response(f"usage-{q.start}-{q.end}", csv_out.document(report.csv_columns, report.rows))
        return UsageReportOut.of(report)

    @get(
        "/sessions",
        summary="Session history",
        operation_class=JsonOrCsv,
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
        state_filter: Annotated[str | None, optional_query("state", " | ".join(STATES), enum=list(STATES))] = None,
        end_reason: Annotated[str | None, QueryParameter(required=False)] = None,
        created_from: Annotated[str | None, instant_query("Sessions created at or after this time.")] = None,
        created_to: Annotated[str | None, instant_query("Sessions created before this time.")] = None,
        limit: Annotated[int, limit_query()] = 50,
        cursor: Annotated[str | None, QueryParameter(required=False)] = None,
        fmt: Format = None,
    ) -> Any:
        since, before = parse_instant(created_from, "created_from"), parse_instant(created_to, "created_to")
        f = HistoryFilter(agent, widget_key_id, api_key_id, state_filter, end_reason, since, before).check()
        tenant_id = caller_usage_read.tenant  # a report: the CSV's scope too
        if wants_csv(request, fmt):
            return csv_response("sessions", service.history_csv(db_sessions, tenant_id, f))
        check_limit(limit)
        return await service.session_history(db_sessions, tenant_id, f, limit=limit, cursor=cursor)

    @get(
        "/failures",
        summary="Refused session starts, by problem type",
        description="How many session starts this tenant's callers were refused in the last `hours` hours (whole "
        "hours, the current one included; 24 by default, at most 168), grouped by the problem type they got "
        "(`quota-exhausted`, `concurrency-limit`, `missing-credential`, `upstream-timeout`, …), each split by "
        "channel. Counted once the caller is known as the tenant's (a server key or signed-in admin allowed to start "
        "sessions, a widget key on one of its origins); an unknown key, a page on an origin the key does not allow "
        "and a suspended tenant's starts are not counted.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def failures(
        self,
        tx_usage_read: TenantTx,
        hours: Annotated[
            int, optional_query("hours", f"1 to {MAX_HOURS}; default 24.", minimum=1, maximum=MAX_HOURS)
        ] = 24,
    ) -> FailureReport:
        db, caller = tx_usage_read
        return await service.failures(db, caller.tenant, hours)

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
        month: Month = None,
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
        operation_class=JsonOrCsv,
        description="Sessions, upstream and billed seconds per tenant (tenants without usage too), with totals."
        + FORMAT_DOC,
        responses=problem_responses(*OPERATOR_PROBLEMS),
    )
    async def usage(
        self,
        tx_operator: TenantTx,
        request: Request[Any, Any, Any],
        start: Annotated[str, day_query("First day (UTC).", name="from")],
        end: Annotated[str, day_query("Last day, inclusive.", name="to")],
        fmt: Format = None,
    ) -> Any:
        as_csv = wants_csv(request, fmt)
        first, last = parse_day(start, "from"), parse_day(end, "to")
        db = tx_operator.db
        report = await operator_usage(db, first, last)
        if as_csv:
            return csv_response(f"operator-usage-{first}-{last}", csv_out.document(OPERATOR_COLUMNS, report.rows))
        return UsageReportOut.of(report)
