"""Issue the keys a tenant hands out: server keys (shown once, stored hashed) and widget keys (public)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import ApiKey, WidgetKey
from app.errors import Problem
from app.kit.origins import normalize_origin
from app.kit.tokens import (
    ALL_SCOPES,
    display_prefix,
    hash_token,
    new_server_key,
    new_widget_key,
)


async def issue_server_key(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    label: str = "default",
    scopes: tuple[str, ...] = ALL_SCOPES,
    key: str | None = None,
) -> tuple[ApiKey, str]:
    """Returns the row and the key itself, which is shown once and never stored."""
    key = key or new_server_key()
    row = ApiKey(
        tenant_id=tenant_id, label=label, prefix=display_prefix(key), key_hash=hash_token(key), scopes=list(scopes)
    )
    db.add(row)
    await db.flush()
    return row, key


async def issue_widget_key(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    origins: list[str],
    *,
    label: str = "default",
    agent_id: uuid.UUID | None = None,
    key: str | None = None,
) -> WidgetKey:
    normalized = [normalize_origin(o) for o in origins]
    bad = [o for o, n in zip(origins, normalized, strict=True) if n is None]
    if bad:
        raise Problem("invalid-request", f"Not an origin (scheme://host[:port]): {', '.join(bad)}")
    row = WidgetKey(
        tenant_id=tenant_id, label=label, key=key or new_widget_key(), allowed_origins=normalized, agent_id=agent_id
    )
    db.add(row)
    await db.flush()
    return row
