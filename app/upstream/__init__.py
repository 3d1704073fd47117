"""Thin clients for the providers: one long-lived client each, the tenant's key per request."""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import Settings
from app.upstream.avaturn import AvaturnClient
from app.upstream.cartesia import CartesiaClient
from app.upstream.openai_realtime import OpenAIRealtimeClient


@dataclass
class Upstreams:
    openai: OpenAIRealtimeClient
    avaturn: AvaturnClient
    cartesia: CartesiaClient

    @classmethod
    def from_settings(cls, s: Settings) -> Upstreams:
        return cls(
            openai=OpenAIRealtimeClient(s.openai_base_url, s.upstream_timeout_s),
            avaturn=AvaturnClient(s.avaturn_base_url, s.upstream_timeout_s, s.upstream_max_connections),
            cartesia=CartesiaClient(s.cartesia_base_url, s.cartesia_version, s.upstream_timeout_s),
        )

    async def close(self) -> None:
        await self.openai.close()
        await self.avaturn.close()
        await self.cartesia.close()
