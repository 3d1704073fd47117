"""Agent settings, validated within the providers' documented ranges (UPSTREAM.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.kit.merge_patch import MergePatch, partial


class AvatarSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    avatar_id: str = Field("jane_20240829", min_length=1, max_length=100, examples=["jane_20240829"])
    background: Literal["default", "transparent"] = "default"
    render_model: Literal["delta", "golf"] = "delta"
    user_absent_timeout: int = Field(
        60, ge=10, le=3600, description="Seconds without a user before the provider ends it.", examples=[60]
    )
    max_duration: int = Field(3600, ge=60, le=86400, description="Longest session, seconds.", examples=[1800])


OpenAIVoice = Literal["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"]


class FunctionTool(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["function"] = "function"
    name: str = Field(pattern=r"^[a-zA-Z0-9_-]{1,64}$", examples=["lookup_order"])
    description: str = Field("", max_length=1024, examples=["Find an order by its number."])
    parameters: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}}, description="JSON Schema of the arguments."
    )


class ServerVad(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["server_vad"] = "server_vad"
    threshold: float = Field(0.5, ge=0, le=1)
    prefix_padding_ms: int = Field(300, ge=0, le=5000)
    silence_duration_ms: int = Field(500, ge=0, le=10000)


class SemanticVad(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["semantic_vad"] = "semantic_vad"
    eagerness: Literal["low", "medium", "high", "auto"] = "auto"


class Transcription(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: Literal["gpt-4o-transcribe", "gpt-4o-mini-transcribe", "whisper-1"] = "gpt-4o-mini-transcribe"
    language: str | None = Field(None, pattern=r"^[a-z]{2}$", description="ISO-639-1, e.g. `en`.")
    prompt: str | None = Field(None, max_length=1000)


class OpenAIRealtimeEngine(BaseModel):
    """The OpenAI Realtime session config, minted into the client secret (Avaturn applies it as is)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["openai-realtime"] = "openai-realtime"
    model: str = Field("gpt-realtime", pattern=r"^gpt-realtime[\w.-]*$", examples=["gpt-realtime"])
    voice: OpenAIVoice = Field("marin", examples=["marin"])
    speed: float = Field(1.0, ge=0.25, le=1.5)
    instructions: str = Field("", max_length=20000, examples=["You are a friendly support assistant for Acme."])
    tools: list[FunctionTool] = Field(default_factory=list, max_length=128)
    tool_choice: Literal["auto", "none", "required"] = "auto"
    turn_detection: Annotated[ServerVad | SemanticVad, Field(discriminator="type")] | None = Field(
        default_factory=ServerVad, description="`null` turns automatic turn detection off."
    )
    transcription: Transcription | None = Field(
        None, description="Transcribe the visitor's speech (transcript events)."
    )

    def session_config(self) -> dict[str, Any]:
        """The `session` body of `POST /v1/realtime/client_secrets`."""
        audio_in: dict[str, Any] = {"turn_detection": self.turn_detection.model_dump() if self.turn_detection else None}
        if self.transcription:
            audio_in["transcription"] = self.transcription.model_dump(exclude_none=True)
        session: dict[str, Any] = {
            "type": "realtime",
            "model": self.model,
            "audio": {"input": audio_in, "output": {"voice": self.voice, "speed": self.speed}},
        }
        if self.instructions:
            session["instructions"] = self.instructions
        if self.tools:
            session["tools"] = [t.model_dump() for t in self.tools]
            session["tool_choice"] = self.tool_choice
        return session


class CartesiaEngine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["cartesia"] = "cartesia"
    agent_id: str = Field(min_length=1, max_length=200, description="Cartesia Line agent id.", examples=["agent_3kd9…"])


EngineSettings = Annotated[OpenAIRealtimeEngine | CartesiaEngine, Field(discriminator="type")]


class AgentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="Lower-case letters, digits and dashes.", examples=["support"]
    )
    name: str = Field(min_length=1, max_length=200, examples=["Support assistant"])
    engine: EngineSettings
    avatar: AvatarSettings = Field(default_factory=AvatarSettings)


ENGINE_PROVIDERS = {"openai-realtime": "openai", "cartesia": "cartesia"}


ENGINE = TypeAdapter(EngineSettings)
AVATAR = TypeAdapter(AvatarSettings)

if TYPE_CHECKING:
    AgentPatch = MergePatch
else:
    AgentPatch = partial(
        AgentSpec,
        name="AgentPatch",
        omit=frozenset({"slug"}),
        doc="A JSON merge patch: fields left out keep their value; `engine` and `avatar` merge field by field (an "
        "`engine` of another `type` replaces the engine whole); `null` turns `turn_detection` or `transcription` "
        "off. The slug never changes (pages embed it).",
    )


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
