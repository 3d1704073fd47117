"""Rate limits for widget session creates, per widget key and per visitor, counted in PostgreSQL.

Fixed one-minute windows: one upsert per bucket returns the count so far and when the window ends,
which becomes `Retry-After`. Visitors are a salted hash of their IP and the key: no address is stored.
"""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import WidgetKey
from app.errors import Problem
from app.settings import Settings

HIT = text("""
insert into rate_limits as r (bucket, window_start, hits) values (:bucket, date_trunc('minute', now()), 1)
on conflict (bucket) do update set
  hits = case when r.window_start = date_trunc('minute', now()) then r.hits + 1 else 1 end,
  window_start = date_trunc('minute', now())
returning hits, ceil(extract(epoch from (r.window_start + interval '1 minute' - now())))::int as reset_s
""")
SWEEP = text("delete from rate_limits where window_start < now() - interval '5 minutes'")


def visitor_bucket(salt: str, key_id: uuid.UUID, ip: str | None) -> str:
    return "v:" + hashlib.sha256(f"{salt}|{key_id}|{ip or '-'}".encode()).hexdigest()[:40]


async def hit(db: AsyncSession, bucket: str, limit: int, what: str) -> None:
    """Count one request in `bucket`; past `limit` in this minute, refuse with 429 and when to retry."""
    hits, reset_s = (await db.execute(HIT, {"bucket": bucket})).one()
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
    await db.execute(SWEEP)


async def check_widget_create(db: AsyncSession, settings: Settings, key_id: uuid.UUID, ip: str | None) -> None:
    """Per widget key and per visitor of that key; a key's own limits win over the settings' defaults."""
    per_key, per_visitor = (
        await db.execute(
            select(WidgetKey.rate_per_minute, WidgetKey.visitor_rate_per_minute).where(WidgetKey.id == key_id)
        )
    ).one()
    await hit(db, f"k:{key_id}", per_key or settings.widget_rate_per_minute, "widget key")
    salt = settings.signing_key.get_secret_value() if settings.signing_key else "greenroom-dev"
    await hit(db, visitor_bucket(salt, key_id, ip), per_visitor or settings.visitor_rate_per_minute, "visitor")
