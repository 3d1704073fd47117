"""The audit log as `GET /v1/audit-events` answers it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator


class AuditEventOut(BaseModel):
    id: int = Field(examples=[42])
    actor_type: str = Field(description="api_key | user | operator | system", examples=["user"])
    actor_id: str | None = Field(examples=["5b0c…"])
    actor_label: str | None = Field(description="For Greenroom itself (`system`): which part of it.", examples=[None])
    actor_name: str | None = Field(
        description="Who acted, in words: the user's name (or email), the server or widget key's label, or for "
        "`system` which part of Greenroom; null if the actor is gone.",
        examples=["Alice"],
    )
    action: str = Field(examples=["agent.updated"])
    target_type: str = Field(examples=["agent"])
    target_id: str | None = Field(examples=["7d1c0b8e-2f4a-4e7b-9a51-0c3d2e1f4a5b"])
    before: dict[str, Any] | None = Field(examples=[{"name": "Sales"}])
    after: dict[str, Any] | None = Field(examples=[{"name": "Sales EU"}])
    ip: str | None = Field(examples=["203.0.113.7"])
    user_agent: str | None = Field(examples=["curl/8.5.0"])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])

    @field_validator("ip", mode="before")
    @classmethod
    def _address_as_text(cls, value: Any) -> Any:
        """The column is INET: the driver answers an address object, the API a string."""
        return str(value) if value else None


class AuditEventPage(BaseModel):
    items: list[AuditEventOut]
    next_cursor: int | None = Field(description="Pass as `cursor` for the next (older) page.", examples=[17])


@dataclass(frozen=True)
class EventFilter:
    """What `GET /v1/audit-events` narrows by; an action ending in `.` is a prefix (`agent.`)."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before_id: int | None = None  # the cursor: events older than this one
