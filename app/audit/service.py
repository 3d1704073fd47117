"""Record admin mutations in the caller's transaction: the change and its audit event commit together."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEvent
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
    actor_type, actor_id, actor_label = actor_of(caller)
    db.add(
        AuditEvent(
            tenant_id=tenant_id or caller.tenant,
            actor_type=actor_type,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            before=snapshot(before),
            after=snapshot(after),
            ip=caller.client.ip,
            user_agent=caller.client.user_agent,
        )
    )
    await db.flush()
