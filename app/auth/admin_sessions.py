"""Admin sessions: server-side rows (hash of the id only), cookie rules, CSRF and Origin checks, signed-in callers.

The rules live here; every statement is in app/auth/session_repository.py.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.datastructures import Cookie
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import session_repository as repository
from app.auth.models import AdminSession
from app.auth.principal import Principal
from app.auth.session_repository import SignedInUser
from app.db.engine import set_tenant
from app.errors import Problem
from app.kit.origins import normalize_origin, origin_of_url
from app.kit.tokens import hash_token
from app.settings import Settings

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


@dataclass(frozen=True)
class CsrfProof:
    """What an unsafe request brings against cross-site forgery: its `Origin` and a CSRF token (header or form)."""

    origin: str | None
    token: str | None


def csrf_proof(request: Request[Any, Any, Any], form_token: str | None = None) -> CsrfProof:
    return CsrfProof(request.headers.get("origin"), request.headers.get(CSRF_HEADER) or form_token)


def verify_csrf(settings: Settings, raw_session: str, proof: CsrfProof) -> None:
    """Unsafe methods with a cookie need our CSRF token and a same-origin `Origin` (both: defence in depth)."""
    expected_origin = origin_of_url(settings.public_url)
    if not proof.origin or normalize_origin(proof.origin) != expected_origin:
        raise Problem("csrf-failed", f"Origin {proof.origin or '(none)'} is not {expected_origin}.")
    if not hmac.compare_digest(proof.token or "", csrf_token(settings, raw_session)):
        raise Problem("csrf-failed", "Send the CSRF token from GET /auth/me in the X-CSRF-Token header.")


def check_csrf(
    request: Request[Any, Any, Any], settings: Settings, raw_session: str, form_token: str | None = None
) -> None:
    verify_csrf(settings, raw_session, csrf_proof(request, form_token))


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
    await repository.insert_session(
        db,
        id_hash=hash_token(raw),
        user_id=user_id,
        tenant_id=tenant_id,
        absolute_s=settings.session_absolute_s,
        ip=ip,
        user_agent=(user_agent or "")[:400] or None,
    )
    return raw


async def revoke_session(db: AsyncSession, raw: str) -> None:
    await repository.revoke_session(db, hash_token(raw))


async def load_session(
    db: AsyncSession, settings: Settings, raw: str | None
) -> tuple[AdminSession, SignedInUser] | None:
    """The live session for this cookie value; None if unknown, revoked, idle too long or past its absolute expiry."""
    if not raw:
        return None
    found = await repository.live_session(db, hash_token(raw), timedelta(seconds=settings.session_idle_s))
    if found is None:
        return None
    session, user, now = found
    if now - session.last_seen_at > TOUCH_RESOLUTION:
        await repository.touch_session(db, session.id)
    return session, user


async def pick_tenant(db: AsyncSession, session: AdminSession, tenant_id: uuid.UUID) -> None:
    """The tenant this session acts in from now on (the caller checked the membership)."""
    await repository.set_active_tenant(db, session, tenant_id)


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
    member = await repository.membership_role(db, tenant_id, user.id)
    if member is None:
        raise Problem("not-a-member", "You are not a member of this tenant.")
    role, tenant_status = member
    # A suspended tenant's members still read its sessions, usage and reports (Principal.require).
    return Principal.admin(tenant_id, user.id, role, suspended=tenant_status != "active")


async def authenticate_operator(db: AsyncSession, request: Request[Any, Any, Any], settings: Settings) -> Principal:
    """A signed-in operator account (GREENROOM_OPERATOR_ACCOUNTS); CSRF and Origin on unsafe methods."""
    raw = request.cookies.get(session_cookie(settings))
    loaded = await load_session(db, settings, raw)
    if loaded is None or raw is None:
        raise Problem("session-expired", "Sign in with an operator account.")
    _, user = loaded
    if user.account not in settings.operator_accounts:
        raise Problem("not-an-operator", "This account is not an operator account.")
    if request.method in UNSAFE_METHODS:
        check_csrf(request, settings, raw)
    return Principal.operator(user.id)
