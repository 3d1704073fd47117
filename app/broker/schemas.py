from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.broker.models import AvatarSession

SESSION_ID = "5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c"
WHEN = "2026-11-25T14:00:01Z"


class CreateSession(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent: str = Field(min_length=1, max_length=63, description="Slug of the agent to start.", examples=["demo"])


class Heartbeat(BaseModel):
    url: str = Field(examples=[f"https://greenroom.example.com/v1/widget/sessions/{SESSION_ID}/heartbeat"])
    token: str = Field(description="Bearer token for this session's heartbeat and end calls.", examples=["gr_st_3q2…"])
    interval_s: int = Field(examples=[20])


class SessionStarted(BaseModel):
    session_id: uuid.UUID = Field(examples=[SESSION_ID])
    token: str = Field(description="Per-session token for the browser SDK (`sessionToken`).", examples=["tok_7Hq…"])
    avaturn_api_host: str = Field(description="`apiHost` for the browser SDK.", examples=["https://api.avaturn.live"])
    expires_at: datetime = Field(
        description="When Greenroom ends the session at the latest (max duration).", examples=["2026-11-25T15:00:01Z"]
    )
    heartbeat: Heartbeat


class SessionOut(BaseModel):
    id: uuid.UUID = Field(examples=[SESSION_ID])
    agent: str = Field(description="Slug of the agent.", examples=["demo"])
    engine: str = Field(examples=["openai-realtime"])
    state: str = Field(description="starting | active | ended | terminated | failed", examples=["terminated"])
    end_reason: str | None = Field(
        description="Why it ended: client_ended, api_terminated, upstream_error, …", examples=["api_terminated"]
    )
    origin: str | None = Field(description="Page origin, for widget sessions.", examples=["https://shop.example"])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])
    started_at: datetime | None = Field(
        description="Provider acknowledged the session (database clock).", examples=[WHEN]
    )
    ended_at: datetime | None = Field(examples=["2026-11-25T14:03:12Z"])
    expires_at: datetime | None = Field(description="Start + max duration.", examples=["2026-11-25T15:00:01Z"])
    duration_s: int | None = Field(description="Whole seconds from upstream start to end, once ended.", examples=[191])
    error: str | None = Field(description="What failed, for failed sessions.", examples=[None])
    upstream_seconds: int | None = Field(
        None, description="Metered provider time, once the provider acknowledged the end.", examples=[192]
    )
    billed_seconds: int | None = Field(
        None, description="By the plan's rounding, once the provider acknowledged the end.", examples=[192]
    )

    @classmethod
    def of(cls, s: AvatarSession) -> SessionOut:
        duration = int((s.ended_at - s.started_at).total_seconds()) if s.started_at and s.ended_at else None
        return cls(
            id=s.id,
            agent=s.agent_slug,
            engine=s.engine,
            state=s.state,
            end_reason=s.end_reason,
            origin=s.origin,
            created_at=s.created_at,
            started_at=s.started_at,
            ended_at=s.ended_at,
            expires_at=s.expires_at,
            duration_s=duration,
            error=s.error,
        )

    @classmethod
    def from_history(cls, r: dict[str, Any]) -> SessionOut:
        """A row of app.broker.history: the same fields, plus what the ledger metered."""
        duration = int((r["ended_at"] - r["started_at"]).total_seconds()) if r["started_at"] and r["ended_at"] else None
        return cls(
            id=r["id"],
            agent=r["agent"],
            engine=r["engine"],
            state=r["state"],
            end_reason=r["end_reason"],
            origin=r["origin"],
            created_at=r["created_at"],
            started_at=r["started_at"],
            ended_at=r["ended_at"],
            expires_at=r["expires_at"],
            duration_s=duration,
            error=r["error"],
            upstream_seconds=r["upstream_seconds"],
            billed_seconds=r["billed_seconds"],
        )


class SessionList(BaseModel):
    items: list[SessionOut]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last.", examples=[None]
    )


class HeartbeatAnswer(BaseModel):
    state: str = Field(description="The session's state; anything but starting/active means stop.", examples=["active"])
    ends_at: datetime | None = Field(
        description="When it ended, or when it will end at the latest.", examples=["2026-11-25T15:00:01Z"]
    )
