"""Row helpers every repository shares: fetch one tenant-owned row by id or answer 404 (the look-up every
`/v1/<things>/{id}` handler makes), and read back what the database filled in."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.base import Base
from app.errors import Problem

T = TypeVar("T", bound=Base)  # a tenant-owned table with an `id` (IdMixin and TenantOwned)


async def owned_or_404(
    db: AsyncSession,
    model: type[T],
    tenant_id: uuid.UUID,
    object_id: uuid.UUID,
    what: str,
    *,
    lock: bool = False,
    **filters: Any,
) -> T:
    """Filtered by tenant as well as id (row-level security is the backstop, not the rule); 404 names `what`."""
    columns = model.__table__.c
    query = select(model).where(columns.tenant_id == tenant_id, columns.id == object_id)
    for column, value in filters.items():
        query = query.where(getattr(model, column) == value)
    row = await db.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise Problem("not-found", f"No such {what}.")
    return row


async def reload(db: AsyncSession, row: Base) -> None:
    """Read back what the database filled in on insert or update (server defaults such as `created_at`)."""
    await db.refresh(row)
