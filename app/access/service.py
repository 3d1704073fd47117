"""Authenticate callers: server keys for tenant backends, widget keys + Origin for browsers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.access.keys import ALL_SCOPES, SERVER_PREFIX, WIDGET_PREFIX, display_prefix, hash_token, new_server_key, new_widget_key
from app.access.models import ApiKey, WidgetKey
from app.db.engine import set_tenant
from app.errors import Problem


@dataclass(frozen=True)
class ServerCaller:
    tenant_id: uuid.UUID
    api_key_id: uuid.UUID
    scopes: frozenset[str]

    def require(self, scope: str) -> None:
        if scope not in self.scopes and "admin" not in self.scopes:
            raise Problem("insufficient-scope", f"This key needs the `{scope}` scope.")


@dataclass(frozen=True)
class WidgetCaller:
    tenant_id: uuid.UUID
    widget_key_id: uuid.UUID
    agent_id: uuid.UUID | None
    origin: str


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


LAST_USED_RESOLUTION = timedelta(minutes=1)


def _require_active(status: str) -> None:
    if status != "active":
        raise Problem("tenant-suspended", "This tenant is suspended; contact the operator.")


async def authenticate_server_key(db: AsyncSession, authorization: str | None) -> ServerCaller:
    token = bearer(authorization)
    if not token or not token.startswith(SERVER_PREFIX):
        raise Problem("unknown-key", "Send a server key as `Authorization: Bearer gr_sk_…`.")
    # Before the tenant is known, row-level security hides every key: a SECURITY DEFINER function
    # answers the one row whose hash the caller can produce.
    row = (await db.execute(text("select * from greenroom_api_key(:h)"), {"h": hash_token(token)})).first()
    if row is None:
        raise Problem("unknown-key", "This server key is unknown or revoked.")
    _require_active(row.tenant_status)
    await set_tenant(db, row.tenant_id)
    # last_used_at to the minute: no write on the hot path for a key in steady use.
    if row.last_used_at is None or datetime.now(UTC) - row.last_used_at > LAST_USED_RESOLUTION:
        await db.execute(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=func.now()))
    return ServerCaller(row.tenant_id, row.id, frozenset(row.scopes))


def normalize_origin(origin: str) -> str | None:
    """`scheme://host[:port]` lower-cased, default ports dropped; None if it is not an origin."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


async def authenticate_widget_key(db: AsyncSession, authorization: str | None, origin: str | None) -> WidgetCaller:
    token = bearer(authorization)
    if not token or not token.startswith(WIDGET_PREFIX):
        raise Problem("unknown-key", "Send a widget key as `Authorization: Bearer gr_pk_…`.")
    key = (await db.execute(text("select * from greenroom_widget_key(:k)"), {"k": token})).first()
    if key is None:
        raise Problem("unknown-key", "This widget key is unknown or revoked.")
    normalized = normalize_origin(origin or "")
    if normalized is None or normalized not in key.allowed_origins:
        raise Problem("origin-not-allowed", f"Origin {origin or '(none)'} is not on this widget key's allow-list.")
    _require_active(key.tenant_status)
    await set_tenant(db, key.tenant_id)
    return WidgetCaller(key.tenant_id, key.id, key.agent_id, normalized)


async def any_widget_key_allows_origin(db: AsyncSession, origin: str) -> bool:
    normalized = normalize_origin(origin)
    if normalized is None:
        return False
    return bool(await db.scalar(text("select greenroom_widget_origin_allowed(:o)"), {"o": normalized}))


async def issue_server_key(
    db: AsyncSession, tenant_id: uuid.UUID, *, label: str = "default", scopes: tuple[str, ...] = ALL_SCOPES, key: str | None = None
) -> tuple[ApiKey, str]:
    """Returns the row and the key itself, which is shown once and never stored."""
    key = key or new_server_key()
    row = ApiKey(tenant_id=tenant_id, label=label, prefix=display_prefix(key), key_hash=hash_token(key), scopes=list(scopes))
    db.add(row)
    await db.flush()
    return row, key


async def issue_widget_key(
    db: AsyncSession, tenant_id: uuid.UUID, origins: list[str], *, label: str = "default",
    agent_id: uuid.UUID | None = None, key: str | None = None,
) -> WidgetKey:
    normalized = [normalize_origin(o) for o in origins]
    bad = [o for o, n in zip(origins, normalized) if n is None]
    if bad:
        raise Problem("invalid-request", f"Not an origin (scheme://host[:port]): {', '.join(bad)}")
    row = WidgetKey(tenant_id=tenant_id, label=label, key=key or new_widget_key(), allowed_origins=normalized, agent_id=agent_id)
    db.add(row)
    await db.flush()
    return row
