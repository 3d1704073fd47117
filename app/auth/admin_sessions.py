"""Admin sessions: server-side rows (hash of the id only), cookie rules, CSRF and Origin checks, signed-in callers."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.datastructures import Cookie
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import AdminSession
from app.auth.principal import Principal
from app.db.engine import set_tenant
from app.errors import Problem
from app.kit.origins import normalize_origin
from app.kit.tokens import hash_token
from app.settings import Settings
from app.tenants.models import Membership, Tenant, User

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "x-csrf-token"
TENANT_HEADER = "x-greenroom-tenant"
TOUCH_RESOLUTION = timedelta(minutes=1)  # last_seen_at to the minute: no write per request
_PROCESS_KEY = secrets.token_bytes(32)  # dev without a signing key: CSRF tokens valid for this process only
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def insecure_cookies_allowed(settings: Settings) -> bool:
    """Browsers drop Secure cookies over plain http: only dev mode on a loopback http URL may go without."""
    url = urlsplit(settings.public_url)
    return settings.dev_mode and url.scheme == "http" and (url.hostname or "") in LOCAL_HOSTS


def cookie_name(settings: Settings, base: str) -> str:
    # `__Host-`: Secure, Path=/, no Domain, so a sibling subdomain cannot plant or overwrite it.
    return base if insecure_cookies_allowed(settings) else f"__Host-{base}"


def session_cookie(settings: Settings) -> str:
    return cookie_name(settings, "greenroom_session")


def signin_cookie(settings: Settings) -> str:
    return cookie_name(settings, "greenroom_signin")


def make_cookie(settings: Settings, name: str, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=name,
        value=value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=not insecure_cookies_allowed(settings),
    )


def clear_cookie(settings: Settings, name: str) -> Cookie:
    return make_cookie(settings, name, "", 0)


def csrf_token(settings: Settings, raw_session: str) -> str:
    """Derived from the session id (signed), so it needs no storage and dies with the session."""
    key = settings.signing_key.get_secret_value().encode() if settings.signing_key else _PROCESS_KEY
    return hmac.new(key, b"csrf|" + raw_session.encode(), hashlib.sha256).hexdigest()


def check_csrf(
    request: Request[Any, Any, Any], settings: Settings, raw_session: str, form_token: str | None = None
) -> None:
    """Unsafe methods with a cookie need our CSRF token and a same-origin `Origin` (both: defence in depth)."""
    expected_origin = normalize_origin(settings.public_url)
    origin = request.headers.get("origin")
    if not origin or normalize_origin(origin) != expected_origin:
        raise Problem("csrf-failed", f"Origin {origin or '(none)'} is not {expected_origin}.")
    token = request.headers.get(CSRF_HEADER) or form_token or ""
    if not hmac.compare_digest(token, csrf_token(settings, raw_session)):
        raise Problem("csrf-failed", "Send the CSRF token from GET /auth/me in the X-CSRF-Token header.")


async def start_session(
    db: AsyncSession,
    settings: Settings,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID | None,
    ip: str | None,
    user_agent: str | None,
) -> str:
    """A fresh id at every sign-in (never reuse one the browser had: session fixation)."""
    raw = secrets.token_urlsafe(32)
    now = func.now()
    db.add(
        AdminSession(
            id_hash=hash_token(raw),
            user_id=user_id,
            active_tenant_id=tenant_id,
            last_seen_at=now,
            expires_at=now + timedelta(seconds=settings.session_absolute_s),
            ip=ip,
            user_agent=(user_agent or "")[:400] or None,
        )
    )
    await db.flush()
    return raw


async def revoke_session(db: AsyncSession, raw: str) -> None:
    await db.execute(
        update(AdminSession)
        .where(AdminSession.id_hash == hash_token(raw), AdminSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


async def load_session(db: AsyncSession, settings: Settings, raw: str | None) -> tuple[AdminSession, User] | None:
    """The live session for this cookie value; None if unknown, revoked, idle too long or past its absolute expiry."""
    if not raw:
        return None
    idle = timedelta(seconds=settings.session_idle_s)
    row = (
        await db.execute(
            select(AdminSession, User, func.now().label("now"))
            .join(User, User.id == AdminSession.user_id)
            .where(
                AdminSession.id_hash == hash_token(raw),
                AdminSession.revoked_at.is_(None),
                AdminSession.expires_at > func.now(),
                AdminSession.last_seen_at > func.now() - idle,
            )
        )
    ).first()
    if row is None:
        return None
    session, user, now = row
    if now - session.last_seen_at > TOUCH_RESOLUTION:
        await db.execute(update(AdminSession).where(AdminSession.id == session.id).values(last_seen_at=func.now()))
    return session, user


def parse_tenant(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        raise Problem("invalid-request", "X-Greenroom-Tenant must be a tenant id (UUID).") from None


async def authenticate_session(db: AsyncSession, request: Request[Any, Any, Any], settings: Settings) -> Principal:
    """Cookie → live session → CSRF (unsafe methods) → active tenant (header wins) → membership and role, read now."""
    raw = request.cookies.get(session_cookie(settings))
    loaded = await load_session(db, settings, raw)
    if loaded is None or raw is None:
        raise Problem("session-expired", "Sign in again.")
    session, user = loaded
    if request.method in UNSAFE_METHODS:
        check_csrf(request, settings, raw)
    tenant_id = parse_tenant(request.headers.get(TENANT_HEADER)) or session.active_tenant_id
    if tenant_id is None:
        raise Problem("no-tenant-selected", "Pick a tenant: POST /auth/tenant or send X-Greenroom-Tenant.")
    await set_tenant(db, tenant_id)  # the membership row is only visible inside its tenant (row-level security)
    member = (
        await db.execute(
            select(Membership.role, Tenant.status)
            .join(Tenant, Tenant.id == Membership.tenant_id)
            .where(Membership.tenant_id == tenant_id, Membership.user_id == user.id)
        )
    ).first()
    if member is None:
        raise Problem("not-a-member", "You are not a member of this tenant.")
    if member.status != "active":
        raise Problem("tenant-suspended", "This tenant is suspended; contact the operator.")
    return Principal.admin(tenant_id, user.id, member.role)


async def authenticate_operator(db: AsyncSession, request: Request[Any, Any, Any], settings: Settings) -> Principal:
    """A signed-in operator account (GREENROOM_OPERATOR_ACCOUNTS); CSRF and Origin on unsafe methods."""
    raw = request.cookies.get(session_cookie(settings))
    loaded = await load_session(db, settings, raw)
    if loaded is None or raw is None:
        raise Problem("session-expired", "Sign in with an operator account.")
    _, user = loaded
    if f"{user.issuer}#{user.subject}" not in settings.operator_accounts:
        raise Problem("not-an-operator", "This account is not an operator account.")
    if request.method in UNSAFE_METHODS:
        check_csrf(request, settings, raw)
    return Principal.operator(user.id)
