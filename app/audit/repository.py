"""Every statement on `audit_events`: append-only, and app/audit is its only writer (other domains call
app/audit/service.py)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEvent
from app.audit.schemas import EventFilter


async def insert(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor: tuple[str, str | None, str | None],
    action: str,
    target: tuple[str, str | None],
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    ip: str | None = None,
    user_agent: str | None = None,
) -> None:
    """`actor` is (type, id, label), `target` is (type, id)."""
    (actor_type, actor_id, actor_label), (target_type, target_id) = actor, target
    db.add(
        AuditEvent(
            tenant_id=tenant_id,
            actor_type=actor_type,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            target_type=target_type,
            target_id=target_id,
            before=before,
            after=after,
            ip=ip,
            user_agent=user_agent,
        )
    )
    await db.flush()


async def newest_first(db: AsyncSession, tenant_id: uuid.UUID, where: EventFilter, limit: int) -> list[AuditEvent]:
    """Up to `limit` events, newest first (by id)."""
    q = select(AuditEvent).where(AuditEvent.tenant_id == tenant_id)
    if where.actor:
        q = q.where(AuditEvent.actor_id == where.actor)
    if where.action:
        action = where.action
        q = q.where(AuditEvent.action.startswith(action) if action.endswith(".") else AuditEvent.action == action)
    if where.target:
        q = q.where(AuditEvent.target_id == where.target)
    if where.since:
        q = q.where(AuditEvent.created_at >= where.since)
    if where.until:
        q = q.where(AuditEvent.created_at < where.until)
    if where.before_id:
        q = q.where(AuditEvent.id < where.before_id)
    return list(await db.scalars(q.order_by(AuditEvent.id.desc()).limit(limit)))
