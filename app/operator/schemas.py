"""Request and answer bodies of `/v1/operator/...` (a tenant itself is `TenantOut`, app/tenants/schemas.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.tenants.schemas import TenantOut  # one answer for a tenant, the operator's and its own admins'


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


class JobOut(BaseModel):
    id: int = Field(examples=[4211])
    tenant_id: uuid.UUID = Field(examples=["d6bd06f5-f0ea-447b-8a5f-da25e6f0cb67"])
    kind: str = Field(description="`avaturn.delete_session` or `webhook.deliver`.", examples=["avaturn.delete_session"])
    attempts: int = Field(description="Attempts before it was parked.", examples=[12])
    last_error: str | None = Field(examples=["Avaturn answered 503 (upstream-busy)"])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])


class JobList(BaseModel):
    items: list[JobOut]


class RetryJobs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[int] = Field(min_length=1, max_length=500, description="Parked jobs to retry now.", examples=[[4211]])


class Retried(BaseModel):
    retried: list[int] = Field(
        description="The ids put back in the queue; ids not parked are left out.", examples=[[4211]]
    )
