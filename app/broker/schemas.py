from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.broker.models import AvatarSession


class CreateSession(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"agent": "demo"}]})

    agent: str = Field(min_length=1, max_length=63, description="Slug of the agent to start.")


class Heartbeat(BaseModel):
    url: str
    token: str = Field(description="Bearer token for this session's heartbeat and end calls.")
    interval_s: int


class SessionStarted(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{
                "session_id": "5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c",
                "token": "sdk-session-token-from-avaturn",
                "avaturn_api_host": "https://api.avaturn.live",
                "expires_at": "2026-11-25T15:00:00Z",
                "heartbeat": {"url": "https://greenroom.example.com/v1/widget/sessions/5f0c…/heartbeat",
                              "token": "gr_st_…", "interval_s": 20},
            }]
        }
    )

    session_id: uuid.UUID
    token: str = Field(description="Per-session token for the browser SDK (`sessionToken`).")
    avaturn_api_host: str = Field(description="`apiHost` for the browser SDK.")
    expires_at: datetime = Field(description="When Greenroom ends the session at the latest (max duration).")
    heartbeat: Heartbeat


class SessionOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [{
                "id": "5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c", "agent": "demo", "engine": "openai-realtime",
                "state": "terminated", "end_reason": "api_terminated", "origin": None,
                "created_at": "2026-11-25T14:00:00Z", "started_at": "2026-11-25T14:00:01Z",
                "ended_at": "2026-11-25T14:03:12Z", "expires_at": "2026-11-25T15:00:01Z",
                "duration_s": 191, "error": None,
            }]
        },
    )

    id: uuid.UUID
    agent: str
    engine: str
    state: str = Field(description="starting | active | ended | terminated | failed")
    end_reason: str | None
    origin: str | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    expires_at: datetime | None
    duration_s: int | None = Field(description="Whole seconds from upstream start to end, once ended.")
    error: str | None

    @classmethod
    def of(cls, s: AvatarSession) -> SessionOut:
        duration = int((s.ended_at - s.started_at).total_seconds()) if s.started_at and s.ended_at else None
        return cls(
            id=s.id, agent=s.agent_slug, engine=s.engine, state=s.state, end_reason=s.end_reason, origin=s.origin,
            created_at=s.created_at, started_at=s.started_at, ended_at=s.ended_at, expires_at=s.expires_at,
            duration_s=duration, error=s.error,
        )


class SessionList(BaseModel):
    items: list[SessionOut]


class HeartbeatAnswer(BaseModel):
    state: str
    ends_at: datetime | None
