"""Authenticate callers by key: server keys for tenant backends, widget keys + Origin for browsers.

The rules; the statements are in app/auth/repository.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.auth.principal import Principal
from app.db.engine import set_tenant
from app.errors import Problem
from app.kit.origins import normalize_origin
from app.kit.tokens import SERVER_PREFIX, WIDGET_PREFIX, hash_token


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


LAST_USED_RESOLUTION = timedelta(minutes=1)


def _require_active(status: str) -> None:
    if status != "active":
        raise Problem("tenant-suspended", "This tenant is suspended; contact the operator.")


async def authenticate_server_key(db: AsyncSession, authorization: str | None) -> Principal:
    token = bearer(authorization)
    if not token or not token.startswith(SERVER_PREFIX):
        raise Problem("unknown-key", "Send a server key as `Authorization: Bearer gr_sk_…`.")
    # Before the tenant is known, row-level security hides every key: a SECURITY DEFINER function
    # answers the one row whose hash the caller can produce.
    row = await repository.server_key_by_hash(db, hash_token(token))
    if row is None:
        raise Problem("unknown-key", "This server key is unknown or revoked.")
    await set_tenant(db, row.tenant_id)
    # last_used_at to the minute: no write on the hot path for a key in steady use.
    if row.last_used_at is None or datetime.now(UTC) - row.last_used_at > LAST_USED_RESOLUTION:
        await repository.touch_server_key(db, row.id)
    # A suspended tenant's key still reads (Principal.require says what): only a scope check can tell.
    return Principal.server_key(row.tenant_id, row.id, frozenset(row.scopes), suspended=row.tenant_status != "active")


async def authenticate_widget_key(db: AsyncSession, authorization: str | None, origin: str | None) -> Principal:
    token = bearer(authorization)
    if not token or not token.startswith(WIDGET_PREFIX):
        raise Problem("unknown-key", "Send a widget key as `Authorization: Bearer gr_pk_…`.")
    key = await repository.widget_key_by_key(db, token)
    if key is None:
        raise Problem("unknown-key", "This widget key is unknown or revoked.")
    normalized = normalize_origin(origin or "")
    if normalized is None or normalized not in key.allowed_origins:
        raise Problem("origin-not-allowed", f"Origin {origin or '(none)'} is not on this widget key's allow-list.")
    _require_active(key.tenant_status)
    await set_tenant(db, key.tenant_id)
    return Principal.widget_key(key.tenant_id, key.id, key.agent_id, normalized)


async def any_widget_key_allows_origin(db: AsyncSession, origin: str) -> bool:
    normalized = normalize_origin(origin)
    if normalized is None:
        return False
    return await repository.any_widget_key_allows(db, normalized)
