"""`/v1/operator/tenants`: the operator sets limits and suspends tenants (operator accounts, signed in)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Literal

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, JSONBody
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import api_docs
from app.db.engine import transaction
from app.errors import Problem, problem_responses
from app.identity.sessions import UNSAFE_METHODS, check_csrf, load_session, session_cookie
from app.operator.service import find_tenant, resume, set_limits, suspend
from app.tenants.models import Tenant

OPERATOR_PROBLEMS = ("invalid-request", "session-expired", "csrf-failed", "not-an-operator", "not-found")


class TenantOut(BaseModel):
    id: uuid.UUID = Field(examples=["d6bd06f5-f0ea-447b-8a5f-da25e6f0cb67"])
    name: str = Field(examples=["Acme"])
    slug: str = Field(examples=["acme"])
    status: str = Field(description="active | suspended", examples=["active"])
    max_concurrent_sessions: int | None = Field(description="null: no limit of Greenroom's own.", examples=[5])
    max_session_s: int | None = Field(examples=[1800])
    monthly_minutes: int | None = Field(description="Minute budget per calendar month (UTC); null: none.", examples=[6000])
    billing_rounding: str = Field(description="`second`, or `minute` (each started minute bills whole).", examples=["second"])
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
    return TenantOut(id=t.id, name=t.name, slug=t.slug, status=t.status, max_concurrent_sessions=t.max_concurrent_sessions,
                     max_session_s=t.max_session_s, monthly_minutes=t.monthly_minutes, billing_rounding=t.billing_rounding,
                     created_at=t.created_at)


@asynccontextmanager
async def operator_transaction(request: Request) -> AsyncIterator[AsyncSession]:
    """A signed-in operator account (GREENROOM_OPERATOR_ACCOUNTS); CSRF and Origin on unsafe methods."""
    settings = request.app.state.settings
    async with transaction(request.app.state.sessions) as db:
        raw = request.cookies.get(session_cookie(settings))
        loaded = await load_session(db, settings, raw)
        if loaded is None or raw is None:
            raise Problem("session-expired", "Sign in with an operator account.")
        _, user = loaded
        if f"{user.issuer}#{user.subject}" not in settings.operator_accounts:
            raise Problem("not-an-operator", "This account is not an operator account.")
        if request.method in UNSAFE_METHODS:
            check_csrf(request, settings, raw)
        yield db


class OperatorTenantsController(Controller):
    path = "/v1/operator/tenants"
    security = api_docs.OPERATOR
    tags = ["Operator"]

    @get("/", summary="List tenants", responses=problem_responses(*OPERATOR_PROBLEMS))
    async def list_tenants(self, request: Request) -> TenantList:
        async with operator_transaction(request) as db:
            rows = await db.scalars(select(Tenant).order_by(Tenant.created_at))
            return TenantList(items=[_out(t) for t in rows])

    @patch("/{tenant_id:uuid}", summary="Set a tenant's limits", responses=problem_responses(*OPERATOR_PROBLEMS))
    async def change_limits(self, request: Request, tenant_id: FromPath[uuid.UUID], data: JSONBody[LimitsPatch]) -> TenantOut:
        async with operator_transaction(request) as db:
            tenant = await find_tenant(db, tenant_id, lock=True)
            return _out(await set_limits(db, tenant, **data.model_dump(exclude_unset=True)))

    @post("/{tenant_id:uuid}/suspend", status_code=200, summary="Suspend a tenant",
          description="New sessions are refused (403 `tenant-suspended`) and every live session ends now.",
          responses=problem_responses(*OPERATOR_PROBLEMS))
    async def suspend_tenant(self, request: Request, tenant_id: FromPath[uuid.UUID]) -> Suspended:
        async with operator_transaction(request) as db:
            tenant = await find_tenant(db, tenant_id, lock=True)
            ended = await suspend(db, tenant)
            return Suspended(tenant=_out(tenant), sessions_ended=ended)

    @post("/{tenant_id:uuid}/resume", status_code=200, summary="Resume a suspended tenant",
          responses=problem_responses(*OPERATOR_PROBLEMS))
    async def resume_tenant(self, request: Request, tenant_id: FromPath[uuid.UUID]) -> TenantOut:
        async with operator_transaction(request) as db:
            tenant = await find_tenant(db, tenant_id, lock=True)
            await resume(db, tenant)
            return _out(tenant)
