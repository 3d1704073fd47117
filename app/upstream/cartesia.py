"""Cartesia: a fresh access token per session for a Line agent (never cached)."""

from __future__ import annotations

import httpx

from app.metrics import timed
from app.upstream.errors import (
    UpstreamError,
    classify_status,
    error_message,
    transport_error,
)
from app.upstream.http import pooled_client


class CartesiaClient:
    provider = "cartesia"

    def __init__(self, base_url: str, version: str, timeout_s: float) -> None:
        self.version = version
        self.http = pooled_client(base_url, timeout_s)

    async def close(self) -> None:
        await self.http.aclose()

    @timed("cartesia", "access_token")
    async def access_token(self, api_key: str, expires_in: int) -> str:
        try:
            resp = await self.http.post(
                "/access-token",
                json={"grants": {"agent": True}, "expires_in": expires_in},
                headers={"Authorization": f"Bearer {api_key}", "Cartesia-Version": self.version},
            )
        except httpx.HTTPError as exc:
            raise transport_error(self.provider, exc) from None
        if resp.status_code != 200:
            raise classify_status(self.provider, resp.status_code, error_message(resp), api_key)
        token = resp.json().get("token")
        if not isinstance(token, str) or not token:
            raise UpstreamError(self.provider, "error", "answer lacks token")
        return token
