"""The reaper: ends live sessions that must not run on (docs/decisions/0010-reaper.md).

- `heartbeat_lost`: a widget session, `active`, no heartbeat (or start) for `heartbeat_grace_s`;
- `max_duration`: `active` and past `expires_at` (ended at `expires_at` itself, so metering is exact);
- `start_timeout`: `starting` for more than `starting_timeout_s` (state `failed`);
- `quota_exhausted`: live while its tenant's month's minutes are used up (state `terminated`).

Safe with any number of copies. Candidates of every tenant come from a SECURITY DEFINER function
(migration 0007) that skips rows another transaction holds; each candidate is then ended in its own
short transaction inside its tenant, after locking the row (SKIP LOCKED) and re-checking the rule on
the database clock. The state change and the upstream-DELETE job commit together, as for every end.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.broker import repository
from app.broker.ending import end_session
from app.broker.models import AvatarSession
from app.db.engine import transaction
from app.metering.service import budget
from app.metrics import REAPER_LAG

log = logging.getLogger("greenroom.reaper")

HEARTBEAT_LOST, MAX_DURATION, START_TIMEOUT = "heartbeat_lost", "max_duration", "start_timeout"
QUOTA_EXHAUSTED = "quota_exhausted"
END_STATE = {HEARTBEAT_LOST: "ended", MAX_DURATION: "ended", START_TIMEOUT: "failed", QUOTA_EXHAUSTED: "terminated"}

CANDIDATES = text("select id, tenant_id, reason from greenroom_reap_candidates(:batch, :grace, :starting)")
# Live sessions of tenants whose month's minutes are used up (migration 0012), ended as `quota_exhausted`.
QUOTA_CANDIDATES = text("select id, tenant_id, 'quota_exhausted' from greenroom_quota_candidates(:batch)")


@dataclass(frozen=True)
class ReaperConfig:
    heartbeat_grace_s: int = 60
    starting_timeout_s: int = 60
    interval_s: float = 5.0
    batch: int = 100

    @classmethod
    def from_settings(cls, settings: object) -> ReaperConfig:
        grace = getattr(settings, "heartbeat_grace_s", None) or 3 * int(getattr(settings, "heartbeat_interval_s", 20))
        return cls(
            heartbeat_grace_s=int(grace),
            starting_timeout_s=int(getattr(settings, "starting_timeout_s", 60)),
            interval_s=float(getattr(settings, "reaper_interval_s", 5.0)),
            batch=int(getattr(settings, "reaper_batch", 100)),
        )


@dataclass(frozen=True)
class Reaped:
    session_id: uuid.UUID
    tenant_id: uuid.UUID
    reason: str
    state: str
    ended_at: datetime


def due_reason(row: AvatarSession, now: datetime, heartbeat_grace_s: int, starting_timeout_s: int) -> str | None:
    """Why this session must end now, or None. The same rule as `greenroom_reap_candidates` (migration 0007)."""
    if row.state == "starting":
        return START_TIMEOUT if row.created_at < now - timedelta(seconds=starting_timeout_s) else None
    if row.state != "active":
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return MAX_DURATION
    seen = row.last_heartbeat_at or row.started_at
    if row.widget_key_id is not None and seen is not None and seen < now - timedelta(seconds=heartbeat_grace_s):
        return HEARTBEAT_LOST
    return None


def _due_at(row: AvatarSession, reason: str, heartbeat_grace_s: int, starting_timeout_s: int) -> datetime | None:
    """When the rule first held (for the lag metric); a budget has no such moment of its own."""
    if reason == MAX_DURATION:
        return row.expires_at
    if reason == START_TIMEOUT:
        return row.created_at + timedelta(seconds=starting_timeout_s)
    if reason == HEARTBEAT_LOST:
        seen = row.last_heartbeat_at or row.started_at
        return None if seen is None else seen + timedelta(seconds=heartbeat_grace_s)
    return None


async def reap_session(
    sessions: async_sessionmaker[AsyncSession],
    session_id: uuid.UUID,
    tenant_id: uuid.UUID,
    *,
    heartbeat_grace_s: int,
    starting_timeout_s: int,
    quota: bool = False,
) -> Reaped | None:
    """End one candidate inside its tenant if the rule still holds; None if it was busy, gone or no longer due."""
    async with transaction(sessions, tenant_id) as db:
        row = await repository.lock_unless_busy(db, tenant_id, session_id)
        if row is None:  # another reaper, a kill or a heartbeat holds it: the next pass looks again
            return None
        now = await repository.clock(db)
        reason = due_reason(row, now, heartbeat_grace_s, starting_timeout_s)
        if (
            reason is None
            and quota
            and row.state in ("starting", "active")
            and (await budget(db, tenant_id)).remaining_s == 0
        ):
            reason = QUOTA_EXHAUSTED
        if reason is None:
            return None
        # A session past its length ends at `expires_at` itself (due_reason saw it set), so metering is exact.
        ended_at = row.expires_at if reason == MAX_DURATION and row.expires_at is not None else now
        due = _due_at(row, reason, heartbeat_grace_s, starting_timeout_s)
        if due is not None:
            REAPER_LAG.labels(reason).observe(max(0.0, (now - due).total_seconds()))
        if not await end_session(db, row, END_STATE[reason], reason, ended_at):
            return None
        reaped = Reaped(row.id, row.tenant_id, reason, row.state, ended_at)
    log.info("reaped session %s: %s", reaped.session_id, reason)
    return reaped


async def reap_once(
    sessions: async_sessionmaker[AsyncSession],
    *,
    heartbeat_grace_s: int = 60,
    starting_timeout_s: int = 60,
    batch: int = 100,
    max_batches: int = 50,
) -> list[Reaped]:
    """One pass: candidates in batches (a short transaction each), then one short transaction per session.

    The rules of each session first (heartbeats, length, start), then the tenants' minute budgets.
    """
    reaped: list[Reaped] = []
    params = {"batch": batch, "grace": heartbeat_grace_s, "starting": starting_timeout_s}
    for query in (CANDIDATES, QUOTA_CANDIDATES):
        reaped += await _reap_all(sessions, query, params, max_batches)
    return reaped


async def _reap_all(
    sessions: async_sessionmaker[AsyncSession], query: TextClause, params: dict[str, int], max_batches: int
) -> list[Reaped]:
    reaped: list[Reaped] = []
    for _ in range(max_batches):
        async with transaction(sessions) as db:
            candidates = (await db.execute(query, params)).all()
        ended = 0
        for session_id, tenant_id, reason in candidates:
            try:
                done = await reap_session(
                    sessions,
                    session_id,
                    tenant_id,
                    heartbeat_grace_s=params["grace"],
                    starting_timeout_s=params["starting"],
                    quota=reason == QUOTA_EXHAUSTED,
                )
            except Exception:
                log.exception("could not reap session %s; the next pass retries", session_id)
                continue
            if done:
                reaped.append(done)
                ended += 1
        # A short batch means nothing more is due; a batch we ended none of is held by other copies.
        if len(candidates) < params["batch"] or ended == 0:
            break
    return reaped
