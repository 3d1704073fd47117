from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.auth.roles import Role

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
