"""Emitting webhook events: in the caller's transaction, so an event exists if and only if its state change commits.

Fan-out happens here, at emission: one `webhook.deliver` job per enabled endpoint of the tenant whose filter
names the event, written by one INSERT … SELECT (a tenant without webhooks pays one indexed read and writes
nothing). Each endpoint then has its own job, its own retries and its own delivery log; the message id is the
event's and is the same on every attempt. docs/decisions/0014-webhooks.md says why.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any, Final, Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.engine import transaction
from app.jobs.outbox import DELIVER_WEBHOOK, fan_out
from app.vault.service import mark_invalid

log = logging.getLogger("greenroom.webhooks")

EventType = Literal["session.started", "session.ended", "session.terminated", "quota.threshold", "credential.invalid"]
SESSION_STARTED: Final = "session.started"
SESSION_ENDED: Final = "session.ended"
SESSION_TERMINATED: Final = "session.terminated"
QUOTA_THRESHOLD: Final = "quota.threshold"
CREDENTIAL_INVALID: Final = "credential.invalid"
EVENT_TYPES: tuple[EventType, ...] = (
    SESSION_STARTED,
    SESSION_ENDED,
    SESSION_TERMINATED,
    QUOTA_THRESHOLD,
    CREDENTIAL_INVALID,
)
TEST_EVENT = "webhook.test"  # sent by the "send test event" action only, whatever the endpoint's filter
END_EVENTS: dict[str, EventType] = {
    "ended": SESSION_ENDED,
    "terminated": SESSION_TERMINATED,
}  # `failed` sessions never reached the caller

_TIMESTAMP = """to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"""

# The rows of the fan-out: one delivery job per enabled endpoint that wants the event (or the one endpoint of the
# test action), queued by the outbox in the same statement (app.jobs.outbox.fan_out: one round trip on the hot path).
_DELIVERIES = f"""
      select e.tenant_id,
             jsonb_build_object('endpoint_id', e.id, 'message_id', cast(:message_id as text),
                                'event', jsonb_build_object('type', cast(:type as text), 'timestamp', {_TIMESTAMP},
                                                            'data', cast(:data as jsonb))) as payload
      from webhook_endpoints e
      where e.tenant_id = :tenant_id and e.enabled
        and (case when cast(:endpoint_id as uuid) is null then cast(:type as text) = any(e.events)
                  else e.id = cast(:endpoint_id as uuid) end)"""


def new_message_id() -> str:
    return "msg_" + uuid.uuid4().hex


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def emit(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    event_type: str,
    data: dict[str, Any],
    *,
    endpoint_id: uuid.UUID | None = None,
) -> tuple[str, int]:
    """Queue `event_type` for every enabled endpoint of the tenant that wants it (or for `endpoint_id` alone, the
    test action). NOTIFY wakes a worker at commit, and only if something was queued. Returns (message id, jobs)."""
    message_id = new_message_id()
    params = {
        "tenant_id": tenant_id,
        "type": event_type,
        "data": json.dumps(data),
        "message_id": message_id,
        "endpoint_id": endpoint_id,
    }
    return message_id, await fan_out(db, DELIVER_WEBHOOK, _DELIVERIES, params)


# session.* ------------------------------------------------------------------------------------------------


async def session_started(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    session_id: uuid.UUID,
    agent: str,
    started_at: datetime,
    expires_at: datetime,
    max_duration_s: int,
) -> None:
    await emit(
        db,
        tenant_id,
        SESSION_STARTED,
        {
            "session_id": str(session_id),
            "agent": agent,
            "state": "active",
            "started_at": iso(started_at),
            "expires_at": iso(expires_at),
            "max_duration_s": max_duration_s,
        },
    )


async def session_ended(db: AsyncSession, session: Any) -> None:
    """`session` is an AvatarSession row just moved from `active` to `ended` or `terminated`."""
    await emit(
        db,
        session.tenant_id,
        END_EVENTS[session.state],
        {
            "session_id": str(session.id),
            "agent": session.agent_slug,
            "state": session.state,
            "end_reason": session.end_reason,
            "started_at": iso(session.started_at),
            "ended_at": iso(session.ended_at),
        },
    )


# credential.invalid ---------------------------------------------------------------------------------------


async def credential_invalid(
    db: AsyncSession, tenant_id: uuid.UUID, credential_id: uuid.UUID, *, status: int | None, during: str
) -> bool:
    row = await mark_invalid(db, tenant_id, credential_id)
    if row is None:  # only the change to `invalid` emits: a key refused again and again is one event
        return False
    await emit(
        db,
        tenant_id,
        CREDENTIAL_INVALID,
        {
            "credential_id": str(credential_id),
            "provider": row.provider,
            "label": row.label,
            "last4": row.last4,
            "status_code": status,
            "during": during,
        },
    )
    return True


async def report_invalid_credential(
    sessions: async_sessionmaker[AsyncSession],
    tenant_id: uuid.UUID,
    credential_id: uuid.UUID,
    *,
    status: int | None,
    during: str,
) -> None:
    """In its own short transaction, for callers with their own answer to give: a failure here is logged, not raised."""
    try:
        async with transaction(sessions, tenant_id) as db:
            if await credential_invalid(db, tenant_id, credential_id, status=status, during=during):
                log.info(
                    "credential %s of tenant %s marked invalid (HTTP %s during %s)",
                    credential_id,
                    tenant_id,
                    status,
                    during,
                )
    except Exception:
        log.exception("could not record credential %s as invalid", credential_id)
