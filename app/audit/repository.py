"""Every statement on `audit_events`: append-only, and app/audit is its only writer (other domains call
app/audit/service.py). Reading it names each actor in the same statement: the user's name or email, the key's
label (users, api_keys and widget_keys are read here, never written)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, case, cast, func, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEvent
from app.audit.schemas import EventFilter
from app.auth.models import ApiKey, WidgetKey
from app.tenants.models import User

# The actor's id as a uuid where it is one (every actor the app records is), so each name is a primary-key look-up.
_ACTOR = case(
    (
        AuditEvent.actor_id.op("~")("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
        cast(AuditEvent.actor_id, UUID(as_uuid=True)),
    ),
    else_=None,
)


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


async def newest_first(
    db: AsyncSession, tenant_id: uuid.UUID, where: EventFilter, limit: int
) -> list[tuple[AuditEvent, str | None]]:
    """Up to `limit` events, newest first (by id), each with its actor's readable name (one statement)."""
    actor_name = func.coalesce(
        func.coalesce(User.name, User.email), ApiKey.label, WidgetKey.label, AuditEvent.actor_label
    ).label("actor_name")
    q = (
        select(AuditEvent, actor_name)
        .outerjoin(User, and_(AuditEvent.actor_type.in_(("user", "operator")), User.id == _ACTOR))
        .outerjoin(
            ApiKey,
            and_(AuditEvent.actor_type == "api_key", ApiKey.id == _ACTOR, ApiKey.tenant_id == AuditEvent.tenant_id),
        )
        .outerjoin(
            WidgetKey,
            and_(
                AuditEvent.actor_type == "widget_key",
                WidgetKey.id == _ACTOR,
                WidgetKey.tenant_id == AuditEvent.tenant_id,
            ),
        )
        .where(AuditEvent.tenant_id == tenant_id)
    )
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
    return [(event, name) for event, name in await db.execute(q.order_by(AuditEvent.id.desc()).limit(limit))]
