"""`/v1/operator/tenants`: the operator sets limits and suspends tenants (operator accounts, signed in)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from app.auth.dependencies import OPERATOR_PROBLEMS, TenantTx
from app.errors import problem_responses
from app.kit import api_docs
from app.operator.service import find_tenant, resume, set_limits, suspend
from app.tenants.models import Tenant


class TenantOut(BaseModel):
    id: uuid.UUID = Field(examples=["d6bd06f5-f0ea-447b-8a5f-da25e6f0cb67"])
    name: str = Field(examples=["Acme"])
    slug: str = Field(examples=["acme"])
    status: str = Field(description="active | suspended", examples=["active"])
    max_concurrent_sessions: int | None = Field(description="null: no limit of Greenroom's own.", examples=[5])
    max_session_s: int | None = Field(examples=[1800])
    monthly_minutes: int | None = Field(
        description="Minute budget per calendar month (UTC); null: none.", examples=[6000]
    )
    billing_rounding: str = Field(
        description="`second`, or `minute` (each started minute bills whole).", examples=["second"]
    )
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])


class TenantList(BaseModel):
    items: list[TenantOut]


class LimitsPatch(BaseModel):
    """Only the fields sent change; send null to remove a limit."""

    model_config = ConfigDict(extra="forbid")

    max_concurrent_sessions: int | None = Field(None, ge=0, le=100000, examples=[5])
    max_session_s: int | None = Field(None, ge=60, le=86400, examples=[1800])
    monthly_minutes: int | None = Field(None, ge=0, le=100_000_000, examples=[6000])
    billing_rounding: Literal["second", "minute"] = Field("second", examples=["minute"])


class Suspended(BaseModel):
    tenant: TenantOut
    sessions_ended: int = Field(description="Live sessions ended now (`tenant_suspended`).", examples=[3])


def _out(t: Tenant) -> TenantOut:
    return TenantOut(
        id=t.id,
        name=t.name,
        slug=t.slug,
        status=t.status,
        max_concurrent_sessions=t.max_concurrent_sessions,
        max_session_s=t.max_session_s,
        monthly_minutes=t.monthly_minutes,
        billing_rounding=t.billing_rounding,
        created_at=t.created_at,
    )


class OperatorTenantsController(Controller):
    path = "/v1/operator/tenants"
    security = api_docs.OPERATOR
    tags = ["Operator"]

    @get("/", summary="List tenants", responses=problem_responses(*OPERATOR_PROBLEMS))
    async def list_tenants(self, tx_operator: TenantTx) -> TenantList:
        db = tx_operator.db
        rows = await db.scalars(select(Tenant).order_by(Tenant.created_at))
        return TenantList(items=[_out(t) for t in rows])

    @patch("/{tenant_id:uuid}", summary="Set a tenant's limits", responses=problem_responses(*OPERATOR_PROBLEMS))
    async def change_limits(
        self, tx_operator: TenantTx, tenant_id: FromPath[uuid.UUID], data: JSONBody[LimitsPatch]
    ) -> TenantOut:
        db = tx_operator.db
        tenant = await find_tenant(db, tenant_id, lock=True)
        return _out(await set_limits(db, tenant, **data.model_dump(exclude_unset=True)))

    @post(
        "/{tenant_id:uuid}/suspend",
        status_code=200,
        summary="Suspend a tenant",
        description="New sessions are refused (403 `tenant-suspended`) and every live session ends now.",
        responses=problem_responses(*OPERATOR_PROBLEMS),
    )
    async def suspend_tenant(self, tx_operator: TenantTx, tenant_id: FromPath[uuid.UUID]) -> Suspended:
        db = tx_operator.db
        tenant = await find_tenant(db, tenant_id, lock=True)
        ended = await suspend(db, tenant)
        return Suspended(tenant=_out(tenant), sessions_ended=ended)

    @post(
        "/{tenant_id:uuid}/resume",
        status_code=200,
        summary="Resume a suspended tenant",
        responses=problem_responses(*OPERATOR_PROBLEMS),
    )
    async def resume_tenant(self, tx_operator: TenantTx, tenant_id: FromPath[uuid.UUID]) -> TenantOut:
        db = tx_operator.db
        tenant = await find_tenant(db, tenant_id, lock=True)
        await resume(db, tenant)
        return _out(tenant)
