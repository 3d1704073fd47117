"""Operator actions on a tenant, shared by `/v1/operator/...` and `greenroom tenants ...`: limits, suspension."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.broker.ending import end_live_sessions
from app.db.engine import set_tenant
from app.errors import Problem
from app.operator import repository
from app.operator.schemas import Suspended, TenantList, TenantOut
from app.tenants.models import Tenant

UNSET = object()
LIMITS = ("max_concurrent_sessions", "max_session_s", "monthly_minutes", "billing_rounding")


def tenant_out(t: Tenant) -> TenantOut:
    return TenantOut.model_validate(t, from_attributes=True)


async def find_tenant(db: AsyncSession, ref: str | uuid.UUID, *, lock: bool = False) -> Tenant:
    """By id or slug."""
    tenant = await repository.tenant_by_ref(db, ref, lock=lock)
    if tenant is None:
        raise Problem("not-found", f"No tenant `{ref}`.")
    return tenant


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


# The HTTP surface's answers -----------------------------------------------------------------------------------------


async def list_tenants(db: AsyncSession) -> TenantList:
    return TenantList(items=[tenant_out(t) for t in await repository.all_tenants(db)])


async def change_limits(db: AsyncSession, tenant_id: uuid.UUID, changes: dict[str, Any]) -> TenantOut:
    return tenant_out(await set_limits(db, await find_tenant(db, tenant_id, lock=True), **changes))


async def suspend_tenant(db: AsyncSession, tenant_id: uuid.UUID) -> Suspended:
    tenant = await find_tenant(db, tenant_id, lock=True)
    ended = await suspend(db, tenant)
    return Suspended(tenant=tenant_out(tenant), sessions_ended=ended)


async def resume_tenant(db: AsyncSession, tenant_id: uuid.UUID) -> TenantOut:
    tenant = await find_tenant(db, tenant_id, lock=True)
    await resume(db, tenant)
    return tenant_out(tenant)
