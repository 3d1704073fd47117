from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class CredentialIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: Literal["openai", "avaturn", "cartesia"] = Field(examples=["openai"])
    label: str = Field("default", min_length=1, max_length=100, pattern=r"^[\w .-]+$", examples=["production"])
    secret: SecretStr = Field(
        min_length=8,
        max_length=500,
        description="The provider's API key. Write-only: never returned. Printable ASCII without spaces, with the "
        "provider's prefix where it has one (OpenAI `sk-`, Cartesia `sk_car_`); anything else is refused with 422 "
        "`credential-malformed` before the provider is asked.",
        examples=["sk-proj-3x4mpl3K3yOnly4Docs"],
    )


class CredentialOut(BaseModel):
    id: uuid.UUID = Field(examples=["0b9f5f0e-8a3c-4c61-9b1e-5b8f4f6c2d11"])
    provider: str = Field(examples=["openai"])
    label: str = Field(examples=["production"])
    last4: str = Field(description="Last four characters of the key.", examples=["x9Qa"])
    fingerprint: str = Field(
        description="SHA-256 prefix of the key, to tell two keys apart.", examples=["3f2a9c0d1e4b5a67"]
    )
    status: str = Field(description="valid | invalid | unverified", examples=["valid"])
    verified_at: datetime | None = Field(examples=["2026-11-25T14:00:00Z"])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])
    detail: str | None = Field(None, description="Why the key could not be verified, if it could not.", examples=[None])


class CredentialList(BaseModel):
    items: list[CredentialOut]
