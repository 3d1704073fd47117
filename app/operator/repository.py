"""The operator's reads of tenants: all of them, or one by id or slug (as the schema owner, or an operator's
transaction, which row-level security lets see every tenant)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.tenants.models import Tenant


async def all_tenants(db: AsyncSession) -> Sequence[Tenant]:
    """Oldest first."""
    return (await db.scalars(select(Tenant).order_by(Tenant.created_at))).all()


async def tenant_by_ref(db: AsyncSession, ref: str | uuid.UUID, *, lock: bool = False) -> Tenant | None:
    """By id, or by slug when `ref` is not an id."""
    try:
        cond = Tenant.id == uuid.UUID(str(ref))
    except ValueError:
        cond = Tenant.slug == str(ref)
    query = select(Tenant).where(cond)
    return await db.scalar(query.with_for_update() if lock else query)
