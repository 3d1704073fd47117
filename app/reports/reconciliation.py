"""Reconciliation: the ledger against the provider's own record of each session.

Avaturn keeps no record we can read, so in production there is nothing to reconcile against; in dev and tests
the simulator's ground truth (`/__sim/sessions`, at `ground_truth_url`) is that record. A session is listed
when the two disagree: its upstream seconds differ by more than the tolerance, the provider still runs a
session we consider over, a finished session has no ledger row, or (operator-wide only) the provider runs a
session Greenroom does not know at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Problem
from app.reports.usage import next_month

TOLERANCE_S = 1.0

_LEDGER = """
    select s.id, s.tenant_id, s.upstream_session_id, s.state, s.end_reason, s.started_at, s.upstream_ended_at,
           e.upstream_ms, e.end_confirmed
    from sessions s
    left join usage_events e on e.session_id = s.id and e.event = 'ended'
         and e.month = date_trunc('month', s.started_at at time zone 'UTC')::date
    where s.upstream_session_id is not null and s.started_at >= :start and s.started_at < :end {tenant}
    order by s.started_at"""


@dataclass(frozen=True)
class Mismatch:
    session_id: uuid.UUID | None
    tenant_id: uuid.UUID | None
    upstream_session_id: str
    problem: str  # duration_differs | running_at_provider | not_metered | unknown_to_provider | unknown_to_greenroom
    ledger_seconds: float | None
    provider_seconds: float | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


async def fetch_ground_truth(url: str | None) -> dict[str, dict[str, Any]]:
    """The provider's sessions by id; a clear problem when there is no such source."""
    if not url:
        raise Problem(
            "reconciliation-unavailable",
            "No ground-truth source is configured (GREENROOM_GROUND_TRUTH_URL). "
            "Avaturn exposes no session records; the simulator does, in dev and tests.",
        )
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            resp = await client.get("/__sim/sessions")
            resp.raise_for_status()
    except httpx.HTTPError as exc:
        raise Problem(
            "reconciliation-unavailable", f"The ground-truth source did not answer: {type(exc).__name__}."
        ) from None
    return {s["id"]: s for s in resp.json()["sessions"]}


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    nxt = next_month(month)
    end = datetime(nxt.year, nxt.month, 1, tzinfo=UTC)
    return start, end


async def reconcile(
    db: AsyncSession, truth: dict[str, dict[str, Any]], month: date, *, tenant_id: uuid.UUID | None = None
) -> list[Mismatch]:
    """Every disagreement for sessions started in `month` (one tenant, or all when run as the owner)."""
    start, end = month_bounds(month)
    params: dict[str, Any] = {"start": start, "end": end}
    if tenant_id is not None:
        params["tenant"] = tenant_id
    rows = (
        await db.execute(text(_LEDGER.format(tenant="and s.tenant_id = :tenant" if tenant_id else "")), params)
    ).all()
    found = [m for r in rows if (m := _compare(r, truth.get(r.upstream_session_id)))]
    if tenant_id is None:
        known = {r.upstream_session_id for r in rows}
        found += _unknown_to_greenroom(truth, known, start, end, db_ids=await _all_upstream_ids(db, start, end))
    return found


def _compare(r: Any, t: dict[str, Any] | None) -> Mismatch | None:
    def miss(problem: str, detail: str, provider_s: float | None = None) -> Mismatch:
        ledger_s = None if r.upstream_ms is None else r.upstream_ms / 1000
        return Mismatch(r.id, r.tenant_id, r.upstream_session_id, problem, ledger_s, provider_s, detail)

    if t is None:
        return miss("unknown_to_provider", "The provider has no record of this session id.")
    if r.upstream_ended_at is None:
        return None  # still running on our side too: nothing to compare yet
    if t["alive"]:
        return miss("running_at_provider", f"Ended here ({r.end_reason}) but the provider still runs it.")
    provider_s = t["ended_at"] - t["created_at"]
    if r.upstream_ms is None:
        return miss("not_metered", "Ended at the provider but the ledger has no `ended` row.", provider_s)
    if abs(r.upstream_ms / 1000 - provider_s) > TOLERANCE_S:
        return miss(
            "duration_differs",
            f"Ledger {r.upstream_ms / 1000:.3f} s, provider {provider_s:.3f} s "
            f"(provider's end: {t.get('end_cause') or 'delete'}).",
            provider_s,
        )
    return None


async def _all_upstream_ids(db: AsyncSession, start: datetime, end: datetime) -> set[str]:
    # Any session ever recorded with that upstream id, whatever its start (a session can straddle months).
    rows = await db.execute(
        text(
            "select upstream_session_id from sessions where upstream_session_id is not null "
            "and created_at >= cast(:start as timestamptz) - interval '2 days' "
            "and created_at < cast(:end as timestamptz) + interval '2 days'"
        ),
        {"start": start, "end": end},
    )
    return {r[0] for r in rows}


def _unknown_to_greenroom(
    truth: dict[str, dict[str, Any]], known: set[str], start: datetime, end: datetime, db_ids: set[str]
) -> list[Mismatch]:
    out = []
    for sid, t in truth.items():
        if sid in known or sid in db_ids or not start.timestamp() <= t["created_at"] < end.timestamp():
            continue
        out.append(
            Mismatch(
                None,
                None,
                sid,
                "unknown_to_greenroom",
                None,
                (t["ended_at"] or t["created_at"]) - t["created_at"],
                "The provider ran a session Greenroom has no record of" + (" (still running)." if t["alive"] else "."),
            )
        )
    return out
