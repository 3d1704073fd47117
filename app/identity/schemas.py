from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

USER_ID = "5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
TENANT_ID = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"


class UserOut(BaseModel):
    id: uuid.UUID = Field(examples=[USER_ID])
    issuer: str = Field(examples=["https://accounts.google.com"])
    subject: str = Field(examples=["110169484474386276334"])
    email: str | None = Field(examples=["alice@example.com"])
    name: str | None = Field(examples=["Alice"])


class MembershipOut(BaseModel):
    tenant_id: uuid.UUID = Field(examples=[TENANT_ID])
    tenant_name: str = Field(examples=["Acme"])
    tenant_slug: str = Field(examples=["acme"])
    tenant_status: str = Field(
        description="`active`, or `suspended`: its members keep reading sessions, usage and reports, nothing else.",
        examples=["active"],
    )
    role: str = Field(examples=["owner"])


class DevHint(BaseModel):
    """What a newcomer to `greenroom dev` needs to know that no provider would tell them."""

    simulator_key_prefixes: dict[str, str] = Field(
        description="Per provider: the dev stack's simulator accepts any key that starts with this and goes on "
        "(`sk-dev-mine`), besides the demo tenant's generated keys.",
        examples=[{"openai": "sk-dev-", "avaturn": "av-dev-", "cartesia": "sk_car_dev"}],
    )
    note: str = Field(examples=["Development mode: …"])


class Me(BaseModel):
    user: UserOut
    operator: bool = Field(description="An operator account (from settings).", examples=[False])
    active_tenant_id: uuid.UUID | None = Field(
        description="Admin calls act in this tenant unless X-Greenroom-Tenant says otherwise.", examples=[TENANT_ID]
    )
    memberships: list[MembershipOut]
    csrf_token: str = Field(
        description="Send as X-CSRF-Token on POST/PUT/PATCH/DELETE with the session cookie.", examples=["9f2c…"]
    )
    dev_hint: DevHint | None = Field(
        description="Only in development mode (`greenroom dev`): which provider keys its simulator accepts."
    )
