"""OpenAI Realtime client secrets through the official SDK (one client, the tenant's key per call)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import openai

from app.metrics import timed
from app.upstream.errors import UpstreamError, classify_status


@dataclass(frozen=True)
class ClientSecret:
    value: str
    expires_at: int


class OpenAIRealtimeClient:
    provider = "openai"

    def __init__(self, base_url: str, timeout_s: float) -> None:
        # One retry on connection errors/429/5xx: minting is harmless to repeat (unused secrets expire).
        self.client = openai.AsyncOpenAI(api_key="per-request", base_url=base_url, timeout=timeout_s, max_retries=1)

    async def close(self) -> None:
        await self.client.close()

    @timed("openai", "client_secrets")
    async def mint(self, api_key: str, *, ttl_s: int, session: dict[str, Any]) -> ClientSecret:
        try:
            secret = await self.client.with_options(api_key=api_key).realtime.client_secrets.create(
                expires_after={"anchor": "created_at", "seconds": ttl_s},
                # A plain dict from the agent's validated settings; the SDK types it as a union of TypedDicts.
                session=session,  # type: ignore[arg-type]
            )
        except openai.APITimeoutError:
            raise UpstreamError(self.provider, "timeout", "timed out") from None
        except openai.APIConnectionError as exc:
            raise UpstreamError(self.provider, "error", f"connection failed ({type(exc.__cause__).__name__})") from None
        except openai.APIStatusError as exc:
            raise classify_status(self.provider, exc.status_code, _message(exc), api_key) from None
        return ClientSecret(secret.value, secret.expires_at)


def _message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])[:300]
    return f"HTTP {exc.status_code}"
