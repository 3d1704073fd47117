"""Agent settings, validated within the providers' documented ranges (UPSTREAM.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class AvatarSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    avatar_id: str = Field("jane_20240829", min_length=1, max_length=100)
    background: Literal["default", "transparent"] = "default"
    render_model: Literal["delta", "golf"] = "delta"
    user_absent_timeout: int = Field(60, ge=10, le=3600, description="Seconds without a user before the provider ends it.")
    max_duration: int = Field(3600, ge=60, le=86400, description="Longest session, seconds.")


class OpenAIRealtimeEngine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["openai-realtime"] = "openai-realtime"
    model: str = Field("gpt-realtime", min_length=1, max_length=100)
    voice: str = Field("marin", min_length=1, max_length=50)
    instructions: str = Field("", max_length=20000)


class CartesiaEngine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["cartesia"] = "cartesia"
    agent_id: str = Field(min_length=1, max_length=200)


EngineSettings = Annotated[OpenAIRealtimeEngine | CartesiaEngine, Field(discriminator="type")]


class AgentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    name: str = Field(min_length=1, max_length=200)
    engine: EngineSettings
    avatar: AvatarSettings = AvatarSettings()


ENGINE_PROVIDERS = {"openai-realtime": "openai", "cartesia": "cartesia"}
