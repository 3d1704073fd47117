"""Session history: every session with how long it ran upstream, what it billed and why it ended.

The broker's (it owns `sessions`); `GET /v1/sessions`, the reports (`/v1/reports/sessions`, `greenroom report
sessions`) and the usage page read it from here. Filters: agent, widget key, API key, state, end reason, created
between two instants. Newest first, paged with an opaque cursor (keyset on created_at and id, so a page never shifts
when new sessions arrive).
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.broker.models import STATES, AvatarSession
from app.errors import Problem

COLUMNS = (
    "id",
    "agent",
    "state",
    "end_reason",
    "widget_key_id",
    "api_key_id",
    "origin",
    "created_at",
    "started_at",
    "ended_at",
    "upstream_ended_at",
    "upstream_seconds",
    "billed_seconds",
)


@dataclass(frozen=True)
class HistoryFilter:
    agent: str | None = None
    widget_key_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    state: str | None = None
    end_reason: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None

    def check(self) -> HistoryFilter:
        if self.state is not None and self.state not in STATES:
            raise Problem("invalid-request", f"state must be one of {', '.join(STATES)}.")
        if self.created_from and self.created_to and self.created_to < self.created_from:
            raise Problem("invalid-request", "`created_to` is before `created_from`.")
        return self


def encode_cursor(created_at: datetime, session_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{session_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, _, sid = raw.partition("|")
        return datetime.fromisoformat(when), uuid.UUID(sid)
    except ValueError:
        raise Problem("invalid-request", "The cursor is not one this API gave out.") from None


def _where(f: HistoryFilter, cursor: str | None) -> tuple[str, dict[str, Any]]:
    clauses, params = ["s.tenant_id = :tenant"], {}
    for name, column in (
        ("agent", "s.agent_slug"),
        ("widget_key_id", "s.widget_key_id"),
        ("api_key_id", "s.api_key_id"),
        ("state", "s.state"),
        ("end_reason", "s.end_reason"),
    ):
        value = getattr(f, name)
        if value is not None:
            clauses.append(f"{column} = :{name}")
            params[name] = value
    if f.created_from:
        clauses.append("s.created_at >= :created_from")
        params["created_from"] = f.created_from
    if f.created_to:
        clauses.append("s.created_at < :created_to")
        params["created_to"] = f.created_to
    if cursor:
        params["c_at"], params["c_id"] = decode_cursor(cursor)
        clauses.append("(s.created_at, s.id) < (:c_at, :c_id)")
    return " and ".join(clauses), params


# A session as the API shows it, one or many: its row and what the ledger metered once its end was acknowledged.
_WITH_METERING = """
        select s.id, s.agent_slug as agent, s.state, s.end_reason, s.widget_key_id, s.api_key_id, s.origin,
               s.created_at, s.started_at, s.ended_at, s.upstream_ended_at, e.upstream_seconds, e.billed_seconds,
               s.engine, s.expires_at, s.error
        from sessions s
        left join usage_events e on e.session_id = s.id and e.event = 'ended'
             and e.month = date_trunc('month', s.started_at at time zone 'UTC')::date"""


async def session_row(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> dict[str, Any] | None:
    """One session as a page of history shows it (`GET /v1/sessions/{id}`)."""
    row = (
        (
            await db.execute(
                text(f"{_WITH_METERING}\n        where s.tenant_id = :tenant and s.id = :id"),
                {"tenant": tenant_id, "id": session_id},
            )
        )
        .mappings()
        .one_or_none()
    )
    return dict(row) if row else None


async def sessions_page(
    db: AsyncSession, tenant_id: uuid.UUID, f: HistoryFilter, *, limit: int = 50, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of history and the cursor of the next (None on the last page)."""
    where, params = _where(f.check(), cursor)
    rows = (
        (
            await db.execute(
                text(f"""
        {_WITH_METERING}
        where {where}
        order by s.created_at desc, s.id desc
        limit :limit"""),
                {**params, "tenant": tenant_id, "limit": limit + 1},
            )
        )
        .mappings()
        .all()
    )
    page = [dict(r) for r in rows[:limit]]
    more = len(rows) > limit
    return page, encode_cursor(page[-1]["created_at"], page[-1]["id"]) if more and page else None


async def count_created(db: AsyncSession, tenant_id: uuid.UUID, start: datetime, end: datetime) -> int:
    """How many sessions the tenant created in [start, end): the length of an export's progress bar."""
    s = AvatarSession
    query = select(func.count()).where(s.tenant_id == tenant_id, s.created_at >= start, s.created_at < end)
    return int((await db.execute(query)).scalar_one())
