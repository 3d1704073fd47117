"""CORS for the widget API: an answer carries CORS headers only for an origin a widget key has verified.

A preflight carries no key, so it is allowed for an origin that some live widget key allows; the request itself is
then checked against its own key's allow-list, and only its answers (problems included, once the origin passed)
let that page read them.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.keys import any_widget_key_allows_origin
from app.db.engine import transaction
from app.errors import Problem
from app.kit.origins import normalize_origin

PREFLIGHT = {
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key",
    "Access-Control-Max-Age": "600",
}


def cors_headers(allowed: str | None, origin: str | None = None) -> dict[str, str]:
    """CORS headers only for the session's own (already verified) origin."""
    if not allowed or (origin is not None and normalize_origin(origin) != allowed):
        return {}
    return {"Access-Control-Allow-Origin": allowed, "Vary": "Origin"}


def readable_by(problem: Problem, allowed: str | None) -> None:
    """Let a verified origin read why its request was refused (the problem is then raised on)."""
    problem.headers = {**(problem.headers or {}), **cors_headers(allowed)}


async def preflight_headers(sessions: async_sessionmaker[AsyncSession], origin: str | None) -> dict[str, str] | None:
    """The preflight's CORS headers, or None when no live widget key allows `origin`."""
    allowed = False
    if origin:
        async with transaction(sessions) as db:
            allowed = await any_widget_key_allows_origin(db, origin)
    if not allowed:
        return None
    return cors_headers(normalize_origin(origin or "")) | PREFLIGHT
