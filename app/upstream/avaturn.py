"""Avaturn Live REST: create and delete sessions with the tenant's key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from app.metrics import timed
from app.upstream.errors import (
    UpstreamError,
    classify_status,
    error_message,
    transport_error,
)
from app.upstream.http import pooled_client


@dataclass(frozen=True)
class CreatedSession:
    session_id: str
    token: str


class AvaturnClient:
    provider = "avaturn"

    def __init__(self, base_url: str, timeout_s: float, max_connections: int = 100) -> None:
        self.http = pooled_client(base_url, timeout_s, max_connections)

    async def close(self) -> None:
        await self.http.aclose()

    @timed("avaturn", "create_session")
    async def create_session(self, api_key: str, body: dict[str, Any]) -> CreatedSession:
        # Never retried: the provider has no idempotency key, so a retry could start two sessions.
        try:
            resp = await self.http.post("/api/v1/sessions", json=body, headers=_auth(api_key))
        except httpx.HTTPError as exc:
            raise transport_error(self.provider, exc) from None
        if resp.status_code != 200:
            raise classify_status(self.provider, resp.status_code, error_message(resp), api_key)
        data = resp.json()
        try:
            return CreatedSession(str(data["session_id"]), str(data["token"]))
        except (KeyError, TypeError):
            raise UpstreamError(self.provider, "error", "answer lacks session_id or token") from None

    @timed("avaturn", "delete_session")
    async def delete_session(self, api_key: str, session_id: str) -> bool:
        """Ends the session: True if it ended now, False if the provider no longer knew it (404 counts as done)."""
        try:
            resp = await self.http.delete(f"/api/v1/sessions/{session_id}", headers=_auth(api_key))
        except httpx.HTTPError as exc:
            raise transport_error(self.provider, exc) from None
        if resp.status_code in (200, 202, 204, 404):
            return resp.status_code != 404
        raise classify_status(self.provider, resp.status_code, error_message(resp), api_key)


def _auth(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"}
