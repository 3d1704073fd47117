"""Agent settings, validated within the providers' documented ranges (UPSTREAM.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class AvatarSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    avatar_id: str = Field("jane_20240829", min_length=1, max_length=100, examples=["jane_20240829"])
    background: Literal["default", "transparent"] = "default"
    render_model: Literal["delta", "golf"] = "delta"
    user_absent_timeout: int = Field(60, ge=10, le=3600, description="Seconds without a user before the provider ends it.",
                                     examples=[60])
    max_duration: int = Field(3600, ge=60, le=86400, description="Longest session, seconds.", examples=[1800])


class OpenAIRealtimeEngine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["openai-realtime"] = "openai-realtime"
    model: str = Field("gpt-realtime", min_length=1, max_length=100, examples=["gpt-realtime"])
    voice: str = Field("marin", min_length=1, max_length=50, examples=["marin"])
    instructions: str = Field("", max_length=20000, examples=["You are a friendly support assistant for Acme."])


class CartesiaEngine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["cartesia"] = "cartesia"
    agent_id: str = Field(min_length=1, max_length=200, description="Cartesia Line agent id.", examples=["agent_3kd9…"])


EngineSettings = Annotated[OpenAIRealtimeEngine | CartesiaEngine, Field(discriminator="type")]


class AgentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="Lower-case letters, digits and dashes.", examples=["support"])
    name: str = Field(min_length=1, max_length=200, examples=["Support assistant"])
    engine: EngineSettings
    avatar: AvatarSettings = AvatarSettings()


ENGINE_PROVIDERS = {"openai-realtime": "openai", "cartesia": "cartesia"}


class AgentPatch(BaseModel):
    """Fields to change; engine and avatar settings are replaced whole. The slug never changes (pages embed it)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200, examples=["Support assistant"])
    engine: EngineSettings | None = None
    avatar: AvatarSettings | None = None


class AgentOut(BaseModel):
    id: uuid.UUID = Field(examples=["7d1c0b8e-2f4a-4e7b-9a51-0c3d2e1f4a5b"])
    slug: str = Field(examples=["support"])
    name: str = Field(examples=["Support assistant"])
    engine: EngineSettings
    avatar: AvatarSettings
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])
    updated_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])


class AgentList(BaseModel):
    items: list[AgentOut]
