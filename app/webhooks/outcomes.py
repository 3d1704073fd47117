"""What a delivery attempt leaves behind, written in the transaction that records the job's outcome (the runner's
`after` follow-up): the delivery log, the endpoint's run of failures, and disabling an endpoint that keeps failing.
So a success is in the log exactly when the job is done, and never sent again.

What a failing receiver answered is another service's text (it has carried that service's own tokens), so it goes
to one place only: the start of it, in the endpoint's delivery log, which its tenant reads
(`GET /v1/webhooks/{id}/deliveries`) and which is forgotten after 90 days. Log lines, the job's `last_error`, the
reason an endpoint was disabled and its audit entry say the status and the size of the answer, never its text.
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
class Answer:
    """What came of one POST: the receiver's status (None: no HTTP answer at all), what went wrong in our own words
    (`HTTP 500`, `no answer within 10 s`; None: a 2xx), and of an answer that is not a 2xx its size in bytes (at
    least that many if `more`) and its first characters."""

    status: int | None
    error: str | None
    size: int | None = None
    more: bool = False
    excerpt: str = ""

    @property
    def summary(self) -> str | None:
        """For log lines, the job's `last_error` and the disable reason: the error and the answer's size."""
        if self.error is None or self.size is None:
            return self.error
        return f"{self.error}, answer of {'over ' if self.more else ''}{self.size} bytes"

    @property
    def log_error(self) -> str | None:
        """For the delivery log its tenant reads: the error and the start of the receiver's answer."""
        return f"{self.error}: {self.excerpt}" if self.error and self.excerpt else self.error


@dataclass(frozen=True)
class Attempt:
    tenant_id: uuid.UUID
    endpoint_id: uuid.UUID
    message_id: str
    event_type: str
    number: int
    duration_ms: int
    answer: Answer


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
    to write. Writing anyway would break the log's foreign key and keep the outcome from being recorded, holding the
    worker's batch for half a minute and the job until its lease ran out.

    The deliverer drops a failed message whose endpoint is gone before it gets here (app/webhooks/delivery.py); one
    deleted in the milliseconds between that check and this transaction leaves its job pending, and its next attempt
    ends it without a request."""
    gone = not await repository.still_there(db, attempt.tenant_id, attempt.endpoint_id)
    if gone:
        log.info(
            "webhook %s: endpoint %s was deleted while the message was in flight; its delivery log went with it",
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
            status_code=attempt.answer.status,
            duration_ms=attempt.duration_ms,
            error=attempt.answer.log_error,
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
        f"the last: {attempt.answer.summary}"
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
