from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from app.auth.roles import Role
from app.kit.merge_patch import MergePatch, partial

MEMBER_ID = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
USER_ID = "5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"


class MemberOut(BaseModel):
    id: uuid.UUID = Field(examples=[MEMBER_ID])
    user_id: uuid.UUID = Field(examples=[USER_ID])
    email: str | None = Field(examples=["bob@example.com"])
    name: str | None = Field(examples=["Bob"])
    issuer: str = Field(examples=["https://accounts.google.com"])
    role: str = Field(examples=["admin"])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])


class MemberList(BaseModel):
    items: list[MemberOut]


class MemberPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role = Field(examples=["viewer"])


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", examples=["bob@example.com"])
    role: Role = Field("viewer", examples=["admin"])


class InvitationOut(BaseModel):
    id: uuid.UUID = Field(examples=[MEMBER_ID])
    email: str = Field(examples=["bob@example.com"])
    role: str = Field(examples=["admin"])
    expires_at: datetime = Field(examples=["2026-12-02T14:00:00Z"])
    accepted_at: datetime | None = Field(examples=[None])
    revoked_at: datetime | None = Field(examples=[None])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])


class InvitationCreated(InvitationOut):
    url: str = Field(
        description="Send this link to the invitee. Shown once; Greenroom keeps only a hash of its token.",
        examples=["https://greenroom.example.com/auth/invitations/gr_inv_…"],
    )


class InvitationList(BaseModel):
    items: list[InvitationOut]


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


# A name someone can read: 1 to 200 characters, at least one of them visible, no control characters.
NAME_PATTERN = r"^[^\x00-\x1F\x7F]*[^\x00-\x20\x7F][^\x00-\x1F\x7F]*$"


class TenantSettings(BaseModel):
    """What a tenant's owners and admins may change themselves (limits, budget and rounding are the operator's)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1,
        max_length=200,
        pattern=NAME_PATTERN,
        description="Shown to members, on invitations and in the operator's reports; leading and trailing spaces "
        "are dropped.",
        examples=["Acme Support"],
    )


if TYPE_CHECKING:
    TenantPatch = MergePatch
else:
    TenantPatch = partial(
        TenantSettings,
        "TenantPatch",
        doc="Changes to the tenant (a JSON merge patch): only the fields sent change.",
    )
