from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.metering.budgets import starts_refused
from app.metering.service import Budget
from app.reports.usage import UsageReport

SESSION_ID = "5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c"


class Totals(BaseModel):
    sessions: int = Field(examples=[412])
    upstream_seconds: int = Field(description="Provider time, whole seconds per session, summed.", examples=[51234])
    billed_seconds: int = Field(description="By the plan's rounding.", examples=[51418])


class UsageReportOut(BaseModel):
    start: date = Field(alias="from", examples=["2026-11-01"])
    end: date = Field(alias="to", examples=["2026-11-30"])
    period: str = Field(examples=["day"])
    by: list[str] = Field(examples=[["agent", "end_reason"]])
    rows: list[dict[str, Any]] = Field(
        description="One per period and breakdown: `period` (its first day), the breakdown columns, and the three "
        "sums.",
        examples=[
            [
                {
                    "period": "2026-11-24",
                    "agent": "demo",
                    "end_reason": "client_ended",
                    "sessions": 12,
                    "upstream_seconds": 3011,
                    "billed_seconds": 3020,
                }
            ]
        ],
    )
    totals: Totals

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, r: UsageReport) -> UsageReportOut:
        return cls(
            start=r.query.start,
            end=r.query.end,
            period=r.query.period,
            by=list(r.query.by),
            rows=r.rows,
            totals=Totals(**r.totals),
        )


class DayUsage(BaseModel):
    day: date = Field(examples=["2026-11-24"])
    sessions: int = Field(examples=[12])
    billed_seconds: int = Field(examples=[3020])


class BudgetOut(BaseModel):
    monthly_minutes: int | None = Field(description="null: no budget.", examples=[6000])
    used_seconds: int = Field(
        description="Billed so far this month, live sessions included as if they ended now.", examples=[51418]
    )
    remaining_seconds: int | None = Field(examples=[308582])
    rounding: str = Field(examples=["second"])
    resets_at: datetime = Field(examples=["2026-12-01T00:00:00Z"])


class MonthUsage(BaseModel):
    month: str = Field(examples=["2026-11"])
    finished: Totals = Field(description="Sessions of the month whose end the provider acknowledged (the ledger).")
    days: list[DayUsage] = Field(description="Billed seconds per day the sessions started (UTC).")
    budget: BudgetOut | None = Field(description="For the current month only.")
    starts_refused: Literal["budget", "suspended"] | None = Field(
        description="Whether every new session is refused right now (whatever month was asked for): `budget` when "
        "less than a minute of this month's budget is left (a session needs a minute to start), `suspended` when the "
        "operator suspended the tenant; null when sessions can start (limits on live sessions aside).",
        examples=[None],
    )
    starts_refused_reason: str | None = Field(
        description="Why, in words, with when it ends; null when sessions can start.", examples=[None]
    )

    @classmethod
    def build(cls, first: date, report: UsageReport, b: Budget) -> MonthUsage:
        """A month's figures; the budget only for the current month, and whether starts are refused now."""
        current = first == b.now.date().replace(day=1)
        refused = starts_refused(b)
        return cls(
            starts_refused=refused[0] if refused else None,
            starts_refused_reason=refused[1] if refused else None,
            month=first.strftime("%Y-%m"),
            finished=Totals(**report.totals),
            days=[
                DayUsage(day=r["period"], sessions=r["sessions"], billed_seconds=r["billed_seconds"])
                for r in report.rows
            ],
            budget=None
            if not current
            else BudgetOut(
                monthly_minutes=b.monthly_minutes,
                used_seconds=b.used_s,
                remaining_seconds=b.remaining_s,
                rounding=b.rounding,
                resets_at=b.resets_at,
            ),
        )


class HistoryItem(BaseModel):
    id: uuid.UUID = Field(examples=[SESSION_ID])
    agent: str = Field(examples=["demo"])
    state: str = Field(examples=["ended"])
    end_reason: str | None = Field(examples=["client_ended"])
    widget_key_id: uuid.UUID | None = Field(examples=[None])
    api_key_id: uuid.UUID | None = Field(examples=["0b6f3c52-5d0e-4a8e-8f0a-2a7e8d9c1b23"])
    origin: str | None = Field(examples=[None])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])
    started_at: datetime | None = Field(examples=["2026-11-25T14:00:01Z"])
    ended_at: datetime | None = Field(description="When Greenroom ended it.", examples=["2026-11-25T14:03:12Z"])
    upstream_ended_at: datetime | None = Field(
        description="When the provider acknowledged the end.", examples=["2026-11-25T14:03:12Z"]
    )
    upstream_seconds: int | None = Field(
        description="Metered provider time; null until the end is acknowledged.", examples=[191]
    )
    billed_seconds: int | None = Field(examples=[191])


class SessionHistory(BaseModel):
    items: list[HistoryItem]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last.", examples=[None]
    )


class Mismatch(BaseModel):
    session_id: uuid.UUID | None = Field(examples=[SESSION_ID])
    tenant_id: uuid.UUID | None = Field(examples=[None])
    upstream_session_id: str = Field(examples=["ses_3Jd…"])
    problem: str = Field(
        description="duration_differs | running_at_provider | not_metered | unknown_to_provider | unknown_to_greenroom",
        examples=["duration_differs"],
    )
    ledger_seconds: float | None = Field(examples=[63.2])
    provider_seconds: float | None = Field(examples=[60.0])
    detail: str = Field(examples=["Ledger 63.200 s, provider 60.000 s (provider's end: user_absent)."])


class Reconciliation(BaseModel):
    month: str = Field(examples=["2026-11"])
    mismatches: list[Mismatch] = Field(description="Empty when the ledger and the provider agree.")


class FailureCount(BaseModel):
    problem: str = Field(
        description="The problem type the callers got: `/problems/<problem>`.", examples=["quota-exhausted"]
    )
    title: str = Field(examples=["This month's minutes are used up"])
    status: int = Field(examples=[429])
    count: int = Field(description="Starts refused with it in the window.", examples=[9])
    api: int = Field(description="Of which by server keys and signed-in admins.", examples=[2])
    widget: int = Field(description="Of which by the widget on a tenant page.", examples=[7])
    last_at: datetime = Field(description="The latest one.", examples=["2026-11-25T13:58:02Z"])


class FailureReport(BaseModel):
    since: datetime = Field(
        description="The start of the first hour counted (whole hours, UTC).", examples=["2026-11-24T14:00:00Z"]
    )
    until: datetime = Field(examples=["2026-11-25T14:03:12Z"])
    total: int = Field(examples=[11])
    items: list[FailureCount] = Field(description="One per problem type, the most frequent first; empty when none.")
