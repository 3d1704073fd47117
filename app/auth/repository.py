"""Every statement on the tables auth owns: api_keys, widget_keys, admin_sessions, rate_limits.

Ownership: auth authenticates callers against these tables, so it is their only writer. app/keys is the admin
surface over the keys (its rules, such as roll-with-grace, live in keys/service.py) and writes through the
functions here; the broker reads a widget key's limits through them too. The admin sessions' statements are in
app/auth/session_repository.py, next to the reads of users and memberships that signing in needs.

Before the tenant is known, row-level security hides every key: SECURITY DEFINER functions (migrations 0003, 0005)
answer the one row a caller can name by its secret.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Row, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import ApiKey, WidgetKey
from app.db.rows import owned_or_404

Key = TypeVar("Key", ApiKey, WidgetKey)

# --- Authentication (before the tenant is set) ---


async def server_key_by_hash(db: AsyncSession, key_hash: str) -> Row[Any] | None:
    """The live key with this hash and its tenant's status (`greenroom_api_key`), or None."""
    return (await db.execute(text("select * from greenroom_api_key(:h)"), {"h": key_hash})).first()


async def touch_server_key(db: AsyncSession, key_id: uuid.UUID) -> None:
    await db.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=func.now()))


async def widget_key_by_key(db: AsyncSession, key: str) -> Row[Any] | None:
    """The live widget key, its origins and its tenant's status (`greenroom_widget_key`), or None."""
    return (await db.execute(text("select * from greenroom_widget_key(:k)"), {"k": key})).first()


async def any_widget_key_allows(db: AsyncSession, normalized_origin: str) -> bool:
    return bool(await db.scalar(text("select greenroom_widget_origin_allowed(:o)"), {"o": normalized_origin}))


# --- Rate limits: fixed one-minute windows, one upsert per bucket (see auth/rate_limits.py) ---

HIT = text("""
insert into rate_limits as r (bucket, window_start, hits) values (:bucket, date_trunc('minute', now()), 1)
on conflict (bucket) do update set
  hits = case when r.window_start = date_trunc('minute', now()) then r.hits + 1 else 1 end,
  window_start = date_trunc('minute', now())
returning hits, ceil(extract(epoch from (r.window_start + interval '1 minute' - now())))::int as reset_s
""")
SWEEP = text("delete from rate_limits where window_start < now() - interval '5 minutes'")


async def count_hit(db: AsyncSession, bucket: str) -> tuple[int, int]:
    """(hits in this window so far, seconds until the window ends)."""
    hits, reset_s = (await db.execute(HIT, {"bucket": bucket})).one()
    return hits, reset_s


async def sweep_windows(db: AsyncSession) -> None:
    await db.execute(SWEEP)


async def widget_key_rates(db: AsyncSession, key_id: uuid.UUID) -> tuple[int | None, int | None]:
    """A widget key's own limits a minute (per key, per visitor); None: the settings' default."""
    per_key, per_visitor = (
        await db.execute(
            select(WidgetKey.rate_per_minute, WidgetKey.visitor_rate_per_minute).where(WidgetKey.id == key_id)
        )
    ).one()
    return per_key, per_visitor


async def widget_key_concurrency(db: AsyncSession, key_id: uuid.UUID) -> int | None:
    """A widget key's own cap on live sessions (lower than the tenant's), or None (for the broker's limits)."""
    limit: int | None = await db.scalar(select(WidgetKey.max_concurrent_sessions).where(WidgetKey.id == key_id))
    return limit


# --- The admin surface (app/keys): tenant-scoped reads and every write ---


async def insert_server_key(
    db: AsyncSession, tenant_id: uuid.UUID, *, label: str, prefix: str, key_hash: str, scopes: list[str]
) -> ApiKey:
    row = ApiKey(tenant_id=tenant_id, label=label, prefix=prefix, key_hash=key_hash, scopes=scopes)
    db.add(row)
    await db.flush()
    return row


async def insert_widget_key(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    label: str,
    key: str,
    allowed_origins: list[str],
    agent_id: uuid.UUID | None,
) -> WidgetKey:
    row = WidgetKey(tenant_id=tenant_id, label=label, key=key, allowed_origins=allowed_origins, agent_id=agent_id)
    db.add(row)
    await db.flush()
    return row


WIDGET_KEY_SETTINGS = (
    "label",
    "allowed_origins",
    "agent_id",
    "rate_per_minute",
    "visitor_rate_per_minute",
    "max_concurrent_sessions",
)


async def change_widget_key(db: AsyncSession, row: WidgetKey, changes: dict[str, Any]) -> WidgetKey:
    """Set the named settings; every instance reads them on the key's next request (no cache)."""
    for name, value in changes.items():
        if name not in WIDGET_KEY_SETTINGS:
            raise ValueError(name)
        setattr(row, name, value)
    await db.flush()
    return row


async def server_keys(db: AsyncSession, tenant_id: uuid.UUID) -> Sequence[ApiKey]:
    return (await db.scalars(select(ApiKey).where(ApiKey.tenant_id == tenant_id).order_by(ApiKey.created_at))).all()


async def widget_keys(db: AsyncSession, tenant_id: uuid.UUID) -> Sequence[WidgetKey]:
    return (
        await db.scalars(select(WidgetKey).where(WidgetKey.tenant_id == tenant_id).order_by(WidgetKey.created_at))
    ).all()


async def key_or_404(
    db: AsyncSession, model: type[Key], tenant_id: uuid.UUID, key_id: uuid.UUID, *, lock: bool = False
) -> Key:
    return await owned_or_404(db, model, tenant_id, key_id, "key", lock=lock)


async def live_server_key_for_update(db: AsyncSession, tenant_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey | None:
    """Not revoked, locked until the transaction ends (a roll and a revoke of one key never interleave)."""
    return await db.scalar(
        select(ApiKey)
        .where(ApiKey.tenant_id == tenant_id, ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
        .with_for_update()
    )


async def revoke_key(db: AsyncSession, model: type[Key], tenant_id: uuid.UUID, key_id: uuid.UUID) -> Key:
    """Revocation is a row update: every instance reads it on the key's next request (no cache). Revoking twice
    keeps the first time."""
    row = await key_or_404(db, model, tenant_id, key_id, lock=True)
    if row.revoked_at is None:
        row.revoked_at = await db.scalar(select(func.now()))
    await db.flush()
    return row


async def mark_replaced(db: AsyncSession, old: ApiKey, new: ApiKey, grace_s: int) -> None:
    """`old` keeps working `grace_s` seconds more (the database's clock), then `new` alone does."""
    old.replaced_by = new.id
    old.expires_at = await db.scalar(select(func.now() + func.make_interval(0, 0, 0, 0, 0, 0, grace_s)))
    await db.flush()
