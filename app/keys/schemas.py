"""What /v1/widget-keys and /v1/api-keys take and answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.auth.roles import Scope  # one list of scopes, shared with the role matrix
from app.kit.api_schema import StatedPattern
from app.kit.merge_patch import MergePatch, partial

KEY_ID = "1f7a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"


# Stated in the OpenAPI; the rule itself is app.kit.origins': a host name whose last label starts with a letter, an
# IPv4 address as browsers write it or [::1], a port from 1 to 65535; no path, user, query or fragment.
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
ORIGIN_PATTERN = (
    rf"^https?://(\[::1\]|{_OCTET}(\.{_OCTET}){{3}}|({_LABEL}\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?)"
    r"(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?$"
)


class WidgetKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field("default", min_length=1, max_length=100, examples=["marketing site"])
    allowed_origins: list[Annotated[str, StatedPattern(ORIGIN_PATTERN)]] = Field(
        min_length=1,
        max_length=50,
        description="Exact origins: scheme://host[:port].",
        examples=[["https://www.example.com"]],
    )
    agent: str | None = Field(
        None, description="Restrict the key to one agent (slug); null: any agent.", examples=["support"]
    )
    rate_per_minute: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="New sessions a minute with this key; null: the server's default.",
        examples=[60],
    )
    visitor_rate_per_minute: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="New sessions a minute per visitor; null: the server's default.",
        examples=[5],
    )
    max_concurrent_sessions: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="Live sessions at once with this key (under the tenant's and the agent's "
        "limits); null: no limit of the key's own.",
        examples=[10],
    )


if TYPE_CHECKING:
    WidgetKeyPatch = MergePatch
else:
    WidgetKeyPatch = partial(
        WidgetKeyIn,
        "WidgetKeyPatch",
        doc="Changes to a widget key (a JSON merge patch): only the fields sent change; `allowed_origins` is replaced "
        "whole; `agent: null` lifts the agent restriction, a limit set to null goes back to the default.",
    )


class WidgetKeyOut(BaseModel):
    id: uuid.UUID = Field(examples=[KEY_ID])
    label: str = Field(examples=["marketing site"])
    key: str = Field(description="Publishable: put it in the page.", examples=["gr_pk_Yx2…"])
    allowed_origins: list[str] = Field(examples=[["https://www.example.com"]])
    agent_id: uuid.UUID | None = Field(description="The one agent the key may start; null: any.", examples=[None])
    rate_per_minute: int | None = Field(description="null: the server's default.", examples=[None])
    visitor_rate_per_minute: int | None = Field(description="null: the server's default.", examples=[None])
    max_concurrent_sessions: int | None = Field(description="null: no limit of the key's own.", examples=[None])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])
    revoked_at: datetime | None = Field(examples=[None])


class WidgetKeyList(BaseModel):
    items: list[WidgetKeyOut]


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field("default", min_length=1, max_length=100, examples=["billing backend"])
    scopes: list[Scope] = Field(min_length=1, examples=[["sessions:write", "sessions:read"]])


class ApiKeyOut(BaseModel):
    id: uuid.UUID = Field(examples=[KEY_ID])
    label: str = Field(examples=["billing backend"])
    prefix: str = Field(description="The key's first characters, to recognise it.", examples=["gr_sk_Q3x9aB"])
    scopes: list[str] = Field(examples=[["sessions:write", "sessions:read"]])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])
    last_used_at: datetime | None = Field(description="To the minute.", examples=["2026-11-25T14:05:00Z"])
    revoked_at: datetime | None = Field(examples=[None])
    expires_at: datetime | None = Field(
        description="Set when the key was rolled: it works until then.", examples=[None]
    )
    replaced_by: uuid.UUID | None = Field(description="The key that replaced this one.", examples=[None])


class ApiKeyRoll(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_s: int = Field(86400, ge=0, le=30 * 86400, description="How long the old key keeps working.", examples=[3600])


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Shown once; Greenroom keeps only its hash.", examples=["gr_sk_Q3x9aB…"])


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]
