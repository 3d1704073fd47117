"""The webhooks' queries on their own tables: endpoints, their sealed signing secrets and the delivery log.

One statement each, never a commit: the caller's transaction is the unit of work. (The fan-out of events into the
job queue is in events.py; the quota notices are in quota.py.)
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.rows import owned_or_404
from app.tenants.models import Tenant
from app.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookSecret

E, S, A = WebhookEndpoint, WebhookSecret, WebhookAttempt
AnyRow = Row[*tuple[Any, ...]]  # a row of plain columns, read by attribute


# Endpoints ----------------------------------------------------------------------------------------------------------


async def of_tenant(db: AsyncSession, tenant_id: uuid.UUID) -> Sequence[WebhookEndpoint]:
    """The tenant's endpoints, oldest first."""
    return (await db.scalars(select(E).where(E.tenant_id == tenant_id).order_by(E.created_at, E.id))).all()


async def get_or_404(
    db: AsyncSession, tenant_id: uuid.UUID, webhook_id: uuid.UUID, *, lock: bool = False
) -> WebhookEndpoint:
    return await owned_or_404(db, E, tenant_id, webhook_id, "webhook endpoint", lock=lock)


async def count_locked(db: AsyncSession, tenant_id: uuid.UUID) -> int:
    """The tenant's endpoints, counted with its row locked (as the session limits do): creates on any number of app
    instances take turns, so two at once cannot both count 19 and make 21."""
    await db.execute(select(Tenant.id).where(Tenant.id == tenant_id).with_for_update())
    return (await db.execute(select(func.count()).select_from(E).where(E.tenant_id == tenant_id))).scalar_one()


async def for_delivery(db: AsyncSession, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> AnyRow | None:
    """(url, enabled) of the endpoint a message is for; None once it is deleted."""
    return (await db.execute(select(E.url, E.enabled).where(E.tenant_id == tenant_id, E.id == endpoint_id))).first()


async def still_there(db: AsyncSession, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> bool:
    """Whether the endpoint exists, its key locked (FOR KEY SHARE) until this transaction ends."""
    found = await db.execute(
        text("""select 1 from webhook_endpoints where id = :id and tenant_id = :tenant_id
                                     for key share"""),
        {"id": endpoint_id, "tenant_id": tenant_id},
    )
    return found.first() is not None


async def clear_failures(db: AsyncSession, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
    await db.execute(
        text("""update webhook_endpoints set consecutive_failures = 0, failing_since = null
                                 where id = :id and tenant_id = :tenant_id and consecutive_failures <> 0"""),
        {"id": endpoint_id, "tenant_id": tenant_id},
    )


async def count_failure(db: AsyncSession, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> AnyRow | None:
    """One more failure in a row: (consecutive_failures, failing_since, failing_for), or None if it is disabled."""
    return (
        await db.execute(
            text("""
            update webhook_endpoints set consecutive_failures = consecutive_failures + 1,
                   failing_since = coalesce(failing_since, clock_timestamp())
            where id = :id and tenant_id = :tenant_id and enabled
            returning consecutive_failures, failing_since, clock_timestamp() - failing_since as failing_for"""),
            {"id": endpoint_id, "tenant_id": tenant_id},
        )
    ).first()


async def disable(db: AsyncSession, tenant_id: uuid.UUID, endpoint_id: uuid.UUID, reason: str) -> bool:
    """Disable an enabled endpoint; whether this changed it."""
    changed = await db.execute(
        text("""
        update webhook_endpoints set enabled = false, disabled_at = clock_timestamp(), disabled_reason = :reason
        where id = :id and tenant_id = :tenant_id and enabled returning id"""),
        {"id": endpoint_id, "tenant_id": tenant_id, "reason": reason},
    )
    return changed.first() is not None


# Signing secrets ----------------------------------------------------------------------------------------------------


async def signing_secrets(db: AsyncSession, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> list[WebhookSecret]:
    """The secrets that sign now (the newest first): the current one, and any still in a rotation's grace."""
    return list(
        await db.scalars(
            select(S)
            .where(
                S.tenant_id == tenant_id,
                S.endpoint_id == endpoint_id,
                or_(S.expires_at.is_(None), S.expires_at > text("clock_timestamp()")),
            )
            .order_by(S.created_at.desc())
        )
    )


async def retire_secrets(db: AsyncSession, endpoint: WebhookEndpoint, grace_s: int) -> datetime | None:
    """Drop the expired secrets; the ones in use sign for `grace_s` more seconds at most. Until when the last of
    them signs (None: none does)."""
    mine = (S.tenant_id == endpoint.tenant_id) & (S.endpoint_id == endpoint.id)
    await db.execute(delete(S).where(mine, S.expires_at <= func.now()))
    until = func.now() + func.make_interval(0, 0, 0, 0, 0, 0, grace_s)
    await db.execute(
        update(S)
        .where(mine, or_(S.expires_at.is_(None), S.expires_at > until))
        .values(expires_at=until)
        .execution_options(synchronize_session=False)
    )
    previous: datetime | None = await db.scalar(select(func.max(S.expires_at)).where(mine, S.expires_at > func.now()))
    return previous


# The delivery log ---------------------------------------------------------------------------------------------------


async def attempts_page(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    *,
    message_id: str | None,
    outcome: str | None,
    cursor: int | None,
    limit: int,
) -> list[WebhookAttempt]:
    """Newest first, one more than `limit` (so the caller knows whether another page follows)."""
    q = select(A).where(A.tenant_id == tenant_id, A.endpoint_id == endpoint_id)
    if message_id:
        q = q.where(A.message_id == message_id)
    if outcome:
        q = q.where(A.outcome == outcome)
    if cursor:
        q = q.where(A.id < cursor)
    return list(await db.scalars(q.order_by(A.id.desc()).limit(limit + 1)))
