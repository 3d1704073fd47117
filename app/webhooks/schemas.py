"""Request and answer bodies of `/v1/webhooks`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.kit.api_schema import StatedPattern
from app.kit.merge_patch import MergePatch, partial
from app.webhooks.events import EVENT_TYPES, EventType

URL_EXAMPLE = "https://api.shop.example/greenroom/webhooks"
EVENTS_DESCRIPTION = (
    "Event types this endpoint receives: `session.started`, `session.ended`, `session.terminated`, "
    "`quota.threshold`, `credential.invalid`."
)


OUTCOMES = ("succeeded", "failed")  # of a delivery attempt
URL_PATTERN = r"^https://[^\s/?#@]+([/?#]\S*)?$"  # stated in the OpenAPI; the rule is urls.check_url's


class WebhookIn(BaseModel):
    """A new endpoint; without `events` it receives every event type."""

    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, StatedPattern(URL_PATTERN)] = Field(
        min_length=1,
        max_length=2048,
        description="Where events are POSTed: `https://`, a public host.",
        examples=[URL_EXAMPLE],
    )
    events: list[EventType] = Field(
        default_factory=lambda: list(EVENT_TYPES),
        min_length=1,
        max_length=len(EVENT_TYPES),
        description=EVENTS_DESCRIPTION,
        examples=[["session.ended", "quota.threshold"]],
    )
    description: str = Field("", max_length=200, examples=["Billing sync"])
    enabled: bool = Field(True, examples=[True])


if TYPE_CHECKING:
    WebhookPatch = MergePatch
else:
    WebhookPatch = partial(
        WebhookIn,
        name="WebhookPatch",
        doc="A JSON merge patch: fields left out keep their value. Enabling a disabled endpoint clears "
        "`disabled_at`, `disabled_reason` and the failure count.",
    )


class WebhookOut(BaseModel):
    id: uuid.UUID = Field(examples=["3f6c1a0e-8b0d-4f57-9d52-7a4e1c2b9e10"])
    url: str = Field(examples=[URL_EXAMPLE])
    description: str = Field(examples=["Billing sync"])
    events: list[str] = Field(examples=[["session.ended", "quota.threshold"]])
    enabled: bool = Field(examples=[True])
    disabled_at: datetime | None = Field(
        description="When it was disabled, by its owner or for failing.", examples=[None]
    )
    disabled_reason: str | None = Field(examples=[None])
    consecutive_failures: int = Field(description="Failed attempts since the last success.", examples=[0])
    failing_since: datetime | None = Field(description="First failure since the last success.", examples=[None])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])
    updated_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])


class WebhookCreated(WebhookOut):
    secret: str = Field(
        description="The signing secret, in this answer only: verify `webhook-signature` with it "
        "(any Standard Webhooks library).",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class WebhookList(BaseModel):
    items: list[WebhookOut]


class RotateSecret(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_s: int = Field(
        86400,
        ge=0,
        le=7 * 86400,
        examples=[3600],
        description="How long the current secret keeps signing too (messages carry both signatures), so "
        "receivers can switch without dropping events. 0 retires it now.",
    )


class SecretRotated(BaseModel):
    id: uuid.UUID = Field(description="The endpoint.", examples=["3f6c1a0e-8b0d-4f57-9d52-7a4e1c2b9e10"])
    secret: str = Field(
        description="The new signing secret, in this answer only.", examples=["whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"]
    )
    previous_expires_at: datetime | None = Field(
        description="Until when the previous secret signs as well.", examples=["2026-11-26T14:00:00Z"]
    )


class SentTestEvent(BaseModel):
    message_id: str = Field(
        description="The `webhook-id` it is sent with; see the endpoint's deliveries.",
        examples=["msg_5c0d5b5f2d3e4a6b9e1f7a8c0b2d4e6f"],
    )
    type: str = Field(examples=["webhook.test"])


class DeliveryOut(BaseModel):
    id: int = Field(examples=[1042])
    message_id: str = Field(
        description="`webhook-id`: the same on every attempt of one message.",
        examples=["msg_5c0d5b5f2d3e4a6b9e1f7a8c0b2d4e6f"],
    )
    event_type: str = Field(examples=["session.ended"])
    attempt: int = Field(description="1 for the first try.", examples=[2])
    outcome: Literal["succeeded", "failed"] = Field(examples=["failed"])
    status_code: int | None = Field(
        description="The receiver's HTTP status; none if it could not be reached.", examples=[503]
    )
    duration_ms: int = Field(examples=[84])
    error: str | None = Field(examples=["HTTP 503: upstream unavailable"])
    attempted_at: datetime = Field(examples=["2026-11-25T14:00:05Z"])
    next_attempt_at: datetime | None = Field(
        description="When the next attempt is due; none after a success or the last try.",
        examples=["2026-11-25T14:05:05Z"],
    )


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: int | None = Field(description="Pass as `cursor` for the next (older) page.", examples=[1001])
