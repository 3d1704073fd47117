"""Operator actions on a tenant, shared by `/v1/operator/...` and `greenroom tenants ...`: limits, suspension."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.broker.ending import end_live_sessions
from app.db.engine import set_tenant
from app.errors import Problem
from app.jobs.outbox import parked_of_every_tenant, retry_parked_of_every_tenant
from app.operator import repository
from app.operator.schemas import JobList, JobOut, Retried, Suspended, TenantList
from app.tenants.limits import set_limits, set_status
from app.tenants.models import Tenant
from app.tenants.schemas import TenantOut
from app.tenants.service import tenant_out


async def find_tenant(db: AsyncSession, ref: str | uuid.UUID, *, lock: bool = False) -> Tenant:
    """By id or slug."""
    tenant = await repository.tenant_by_ref(db, ref, lock=lock)
    if tenant is None:
        raise Problem("not-found", f"No tenant `{ref}`.")
    return tenant


async def suspend(db: AsyncSession, tenant: Tenant) -> int:
    """Suspend: no new sessions, and every live one is ended now (each end reaches the provider). Returns how many."""
    await set_status(db, tenant, "suspended")
    await set_tenant(db, tenant.id)
    ended = await end_live_sessions(db, tenant.id, "terminated", "tenant_suspended")
    await db.flush()
    return ended


async def resume(db: AsyncSession, tenant: Tenant) -> None:
    await set_status(db, tenant, "active")


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


async def parked_jobs(db: AsyncSession, limit: int) -> JobList:
    return JobList(
        items=[JobOut.model_validate(j, from_attributes=True) for j in await parked_of_every_tenant(db, limit)]
    )


async def retry_jobs(db: AsyncSession, ids: list[int]) -> Retried:
    # an id past PostgreSQL's bigint names no job: left out like any other id that is not parked
    return Retried(retried=await retry_parked_of_every_tenant(db, [i for i in ids if 0 < i < 2**63]))
