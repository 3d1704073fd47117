"""Record admin mutations in the caller's transaction: the change and its audit event commit together."""

from __future__ import annotations

from typing import Any

from litestar import Request
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEvent

# Never in an audit event, whatever a schema grows: write-only secrets and the one-time server key.
SECRET_FIELDS = {"secret", "token", "key_hash", "ciphertext", "wrapped_key"}


def snapshot(model: BaseModel | None) -> dict[str, Any] | None:
    if model is None:
        return None
    data = model.model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in SECRET_FIELDS and not (isinstance(v, str) and v.startswith("gr_sk_"))}


def actor_of(caller: Any) -> tuple[str, str | None, str | None]:
    user_id = getattr(caller, "user_id", None)
    if user_id is not None:
        kind = "operator" if getattr(caller, "is_operator", False) else "user"
        return kind, str(user_id), getattr(caller, "email", None)
    return "api_key", str(getattr(caller, "api_key_id", None)), None


async def record(
    db: AsyncSession, request: Request, caller: Any, action: str, target_type: str, target_id: Any,
    *, before: BaseModel | None = None, after: BaseModel | None = None,
) -> None:
    actor_type, actor_id, actor_label = actor_of(caller)
    db.add(AuditEvent(
        tenant_id=caller.tenant_id, actor_type=actor_type, actor_id=actor_id, actor_label=actor_label, action=action,
        target_type=target_type, target_id=str(target_id) if target_id is not None else None,
        before=snapshot(before), after=snapshot(after),
        ip=request.client.host if request.client else None, user_agent=(request.headers.get("user-agent") or "")[:500] or None,
    ))
    await db.flush()
