"""What a delivery attempt leaves behind, written in the transaction that records the job's outcome (the runner's
`after` follow-up): the delivery log, the endpoint's run of failures, and disabling an endpoint that keeps failing.
So a success is in the log exactly when the job is done, and never sent again.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.webhooks import repository
from app.webhooks.models import WebhookAttempt

log = logging.getLogger("greenroom.webhooks")


@dataclass(frozen=True)
class Attempt:
    tenant_id: uuid.UUID
    endpoint_id: uuid.UUID
    message_id: str
    event_type: str
    number: int
    status_code: int | None
    duration_ms: int
    error: str | None


async def succeeded(attempt: Attempt, db: AsyncSession) -> None:
    if not await _still_there(db, attempt):
        return
    await _log(db, attempt, "succeeded", None)
    await repository.clear_failures(db, attempt.tenant_id, attempt.endpoint_id)


async def failed(
    attempt: Attempt,
    db: AsyncSession,
    *,
    retry_in_s: float | None,
    disable_after_failures: int,
    disable_after_s: float,
) -> None:
    """Log the failure (with when the next attempt is due, None after the last); disable the endpoint once it has
    failed `disable_after_failures` times in a row over at least `disable_after_s`."""
    if not await _still_there(db, attempt):
        return
    await _log(db, attempt, "failed", retry_in_s)
    row = await repository.count_failure(db, attempt.tenant_id, attempt.endpoint_id)
    if row is None or row.consecutive_failures < disable_after_failures:
        return
    if row.failing_for.total_seconds() < disable_after_s:
        return
    await _disable(db, attempt, row.consecutive_failures, row.failing_since)


async def _still_there(db: AsyncSession, attempt: Attempt) -> bool:
    """Whether the endpoint still exists, its key locked until this transaction ends (so it cannot go before the
    attempt is logged). An endpoint deleted while its message was in flight takes its log with it: there is nothing
    to write, and the job ends here. Writing anyway would break the log's foreign key and keep the outcome from
    being recorded, holding the worker's batch for half a minute and the job until its lease ran out."""
    gone = not await repository.still_there(db, attempt.tenant_id, attempt.endpoint_id)
    if gone:
        log.info(
            "webhook %s: endpoint %s was deleted while the message was in flight",
            attempt.message_id,
            attempt.endpoint_id,
        )
    return not gone


async def _log(db: AsyncSession, attempt: Attempt, outcome: str, retry_in_s: float | None) -> None:
    db.add(
        WebhookAttempt(
            tenant_id=attempt.tenant_id,
            endpoint_id=attempt.endpoint_id,
            message_id=attempt.message_id,
            event_type=attempt.event_type,
            attempt=attempt.number,
            outcome=outcome,
            status_code=attempt.status_code,
            duration_ms=attempt.duration_ms,
            error=attempt.error,
            next_attempt_at=None
            if retry_in_s is None
            else func.clock_timestamp() + func.make_interval(0, 0, 0, 0, 0, 0, retry_in_s),
        )
    )
    await db.flush()


async def _disable(db: AsyncSession, attempt: Attempt, failures: int, since: Any) -> None:
    """The owner is told through the endpoint itself (`disabled_at`, `disabled_reason`) and the audit log."""
    reason = (
        f"Disabled after {failures} failed deliveries in a row since {since.isoformat(timespec='seconds')}; "
        f"the last: {attempt.error}"
    )[:500]
    if not await repository.disable(db, attempt.tenant_id, attempt.endpoint_id, reason):
        return
    await audit.record_system(
        db,
        attempt.tenant_id,
        "webhook delivery",
        "webhook.disabled",
        ("webhook", str(attempt.endpoint_id)),
        before={"enabled": True},
        after={"enabled": False, "disabled_reason": reason, "consecutive_failures": failures},
    )
    log.warning(
        "webhook endpoint %s of tenant %s disabled after %s failed deliveries in a row",
        attempt.endpoint_id,
        attempt.tenant_id,
        failures,
    )
