"""Rate limits for widget session creates, per widget key and per visitor, counted in PostgreSQL.

Fixed one-minute windows: one upsert per bucket returns the count so far and when the window ends,
which becomes `Retry-After`. Visitors are a salted hash of their IP and the key: no address is stored.
"""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.errors import Problem
from app.settings import Settings


def visitor_bucket(salt: str, key_id: uuid.UUID, ip: str | None) -> str:
    return "v:" + hashlib.sha256(f"{salt}|{key_id}|{ip or '-'}".encode()).hexdigest()[:40]


async def hit(db: AsyncSession, bucket: str, limit: int, what: str) -> None:
    """Count one request in `bucket`; past `limit` in this minute, refuse with 429 and when to retry."""
    hits, reset_s = await repository.count_hit(db, bucket)
    if hits > limit:
        raise Problem(
            "rate-limited",
            f"Too many new sessions from this {what}: {limit} a minute. Retry in {reset_s} s.",
            limit=limit,
            scope=what.replace(" ", "_"),
            headers={"Retry-After": str(max(reset_s, 1))},
        )


async def sweep(db: AsyncSession) -> None:
    """Forget finished windows (the worker runs it now and then)."""
    await repository.sweep_windows(db)


async def check_widget_create(db: AsyncSession, settings: Settings, key_id: uuid.UUID, ip: str | None) -> None:
    """Per widget key and per visitor of that key; a key's own limits win over the settings' defaults."""
    per_key, per_visitor = await repository.widget_key_rates(db, key_id)
    await hit(db, f"k:{key_id}", per_key or settings.widget_rate_per_minute, "widget key")
    salt = settings.signing_key.get_secret_value() if settings.signing_key else "greenroom-dev"
    await hit(db, visitor_bucket(salt, key_id, ip), per_visitor or settings.visitor_rate_per_minute, "visitor")
