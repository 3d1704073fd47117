"""What the operator sets on a tenant: its limits and its status. The tenants domain writes its own rows; the
operator's API and CLI (app/operator) decide when."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Problem
from app.tenants.models import Tenant

UNSET = object()
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


async def set_status(db: AsyncSession, tenant: Tenant, status: Literal["active", "suspended"]) -> None:
    tenant.status = status
    await db.flush()
