"""Record admin mutations in the caller's transaction: the change and its audit event commit together.

The audit log is append-only and app/audit is its only writer: a domain records through `record` (a caller's
change) or `record_system` (Greenroom's own, e.g. a webhook endpoint disabled after failures).
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import repository
from app.audit.models import AuditEvent
from app.audit.schemas import AuditEventOut, AuditEventPage, EventFilter
from app.auth.principal import Principal

# Never in an audit event, whatever a schema grows: write-only secrets and the one-time server key.
SECRET_FIELDS = {"secret", "token", "key_hash", "ciphertext", "wrapped_key"}


def snapshot(model: BaseModel | None) -> dict[str, Any] | None:
    if model is None:
        return None
    data = model.model_dump(mode="json")
    return {
        k: v for k, v in data.items() if k not in SECRET_FIELDS and not (isinstance(v, str) and v.startswith("gr_sk_"))
    }


ACTOR_TYPES: dict[str, str] = {
    "admin": "user",
    "operator": "operator",
    "server_key": "api_key",
    "widget_key": "widget_key",
}


def actor_of(caller: Principal) -> tuple[str, str, str | None]:
    """(actor_type, actor_id, label) as the audit log stores them."""
    return ACTOR_TYPES[caller.kind], str(caller.actor_id), None


async def record(
    db: AsyncSession,
    caller: Principal,
    action: str,
    target_type: str,
    target_id: Any,
    *,
    before: BaseModel | None = None,
    after: BaseModel | None = None,
    tenant_id: uuid.UUID | None = None,
) -> None:
    """In the caller's tenant, or in `tenant_id` for an operator acting on one."""
    await repository.insert(
        db,
        tenant_id or caller.tenant,
        actor=actor_of(caller),
        action=action,
        target=(target_type, str(target_id) if target_id is not None else None),
        before=snapshot(before),
        after=snapshot(after),
        ip=caller.client.ip,
        user_agent=caller.client.user_agent,
    )


async def record_system(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    label: str,
    action: str,
    target: tuple[str, str | None],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """A change Greenroom made itself (actor type `system`, no actor id; `label` says which part of it)."""
    await repository.insert(
        db, tenant_id, actor=("system", None, label), action=action, target=target, before=before, after=after
    )


async def list_events(db: AsyncSession, caller: Principal, where: EventFilter, limit: int) -> AuditEventPage:
    """Newest first; when older events remain, the last id on this page is `next_cursor`."""
    rows = await repository.newest_first(db, caller.tenant, where, limit + 1)
    page = rows[:limit]
    return AuditEventPage(
        items=[_event_out(event, name) for event, name in page],
        next_cursor=page[-1][0].id if len(rows) > limit else None,
    )


def _event_out(event: AuditEvent, actor_name: str | None) -> AuditEventOut:
    """The stored event and the actor's name, which the same statement read (not a column of the event)."""
    fields = {name: getattr(event, name) for name in AuditEventOut.model_fields if name != "actor_name"}
    return AuditEventOut.model_validate({**fields, "actor_name": actor_name})
