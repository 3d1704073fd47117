"""Operator actions on a tenant, shared by `/v1/operator/...` and `greenroom tenants ...`."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.broker.ending import end_live_sessions
from app.db.engine import set_tenant
from app.errors import Problem
from app.tenants.models import Tenant

UNSET = object()


async def find_tenant(db: AsyncSession, ref: str | uuid.UUID, *, lock: bool = False) -> Tenant:
    """By id or slug."""
    try:
        cond = Tenant.id == uuid.UUID(str(ref))
    except ValueError:
        cond = Tenant.slug == str(ref)
    query = select(Tenant).where(cond)
    tenant = await db.scalar(query.with_for_update() if lock else query)
    if tenant is None:
        raise Problem("not-found", f"No tenant `{ref}`.")
    return tenant


LIMITS = ("max_concurrent_sessions", "max_session_s", "monthly_minutes", "billing_rounding")


async def set_limits(db: AsyncSession, tenant: Tenant, **changes: object) -> Tenant:
    """Change the named limits (a value of None removes one; UNSET leaves it). Raising a used-up budget lets
    sessions start again at once; lowering it under what is used ends live sessions on the reaper's next pass."""
    for name, value in changes.items():
        if name not in LIMITS:
            raise ValueError(name)
        if value is not UNSET:
            if name == "billing_rounding" and value not in ("second", "minute"):
                raise Problem("invalid-request", "billing_rounding must be `second` or `minute`.")
            setattr(tenant, name, value)
    await db.flush()
    return tenant


async def suspend(db: AsyncSession, tenant: Tenant) -> int:
    """Suspend: no new sessions, and every live one is ended now (each end reaches the provider). Returns how many."""
    tenant.status = "suspended"
    await set_tenant(db, tenant.id)
    ended = await end_live_sessions(db, tenant.id, "terminated", "tenant_suspended")
    await db.flush()
    return ended


async def resume(db: AsyncSession, tenant: Tenant) -> None:
    tenant.status = "active"
    await db.flush()
