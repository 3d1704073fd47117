"""The dependencies every handler names in its signature: who may call it, and the transaction it runs in.

`tx_admin: TenantTx` reads as "a transaction for a caller holding the `admin` scope": authenticate, check the
scope and set the tenant (row-level security), all in that one transaction, which commits after the handler
returns and before the answer is sent, and rolls back if it raises. A handler that calls a provider must not hold
a transaction over that call: it takes `caller_admin: Caller` (checked in its own short transaction) and opens
its own. The session create, whose first transaction must also authenticate (one transaction, not two, on the hot
path), takes `auth_sessions_write: Authenticator`: the check itself, to run in the transaction the broker opens.

Two kinds of tenant caller share these: a server key (`Authorization: Bearer gr_sk_…`, its scopes) or a signed-in
admin's session cookie (the scopes of their role in the active tenant, CSRF token and Origin on unsafe methods).
An Authorization header always means "server key", so a backend is never affected by a stray cookie.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, NamedTuple

from litestar import Request
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.admin_sessions import (
    authenticate_operator,
    authenticate_session,
    session_cookie,
)
from app.auth.keys import authenticate_server_key, authenticate_widget_key
from app.auth.principal import Authenticate, Client, Principal
from app.auth.roles import Scope
from app.db.engine import set_tenant, transaction
from app.errors import Problem, ProblemSlug
from app.kit.request_guard import body_is_refused
from app.settings import Settings


class TenantTransaction(NamedTuple):
    db: AsyncSession
    caller: Principal


TenantTx = NamedDependency[TenantTransaction]  # the parameter's name (tx_admin, tx_usage_read, …) picks the scope
Caller = NamedDependency[Principal]  # caller_admin, caller_usage_read: checked in a transaction of its own
DbSessions = NamedDependency[async_sessionmaker[AsyncSession]]
Authenticator = NamedDependency[Authenticate]  # auth_sessions_write: run by the broker inside its first transaction


def client_of(request: Request[Any, Any, Any]) -> Client:
    return Client(
        request.client.host if request.client else None, (request.headers.get("user-agent") or "")[:500] or None
    )


async def authenticate_tenant_caller(
    db: AsyncSession, request: Request[Any, Any, Any], settings: Settings
) -> Principal:
    authorization = request.headers.get("authorization")
    if authorization is None and request.cookies.get(session_cookie(settings)):
        principal = await authenticate_session(db, request, settings)
    else:
        principal = await authenticate_server_key(db, authorization)
    return principal.with_client(client_of(request))


def authenticator(request: Request[Any, Any, Any], settings: Settings, scope: Scope) -> Authenticate:
    """For work that authenticates inside a transaction it opens itself (the broker's first transaction)."""

    async def authenticate(db: AsyncSession) -> Principal:
        principal = await authenticate_tenant_caller(db, request, settings)
        principal.require(scope)
        await set_tenant(db, principal.tenant)
        return principal

    return authenticate


def _tenant_tx(scope: Scope) -> Provide:
    async def provide(
        request: Request[Any, Any, Any], settings: NamedDependency[Settings], db_sessions: DbSessions
    ) -> AsyncIterator[TenantTransaction]:
        async with transaction(db_sessions) as db:
            yield TenantTransaction(db, await authenticator(request, settings, scope)(db))

    return Provide(provide)


def _authenticator(scope: Scope) -> Provide:
    async def provide(
        request: Request[Any, Any, Any], settings: NamedDependency[Settings], db_sessions: DbSessions
    ) -> Authenticate:
        check = authenticator(request, settings, scope)
        if await body_is_refused(request):  # who asks comes first: a 401 before the body's 400
            async with transaction(db_sessions) as db:
                await check(db)
        return check

    return Provide(provide)


async def _widget_key_first(request: Request[Any, Any, Any], db_sessions: DbSessions) -> None:
    """The widget's start checks its key inside its own work; with a body that will be refused, it checks it now."""
    if await body_is_refused(request):
        async with transaction(db_sessions) as db:
            await authenticate_widget_key(db, request.headers.get("authorization"), request.headers.get("origin"))


def _caller(scope: Scope) -> Provide:
    async def provide(
        request: Request[Any, Any, Any], settings: NamedDependency[Settings], db_sessions: DbSessions
    ) -> Principal:
        async with transaction(db_sessions) as db:
            return await authenticator(request, settings, scope)(db)

    return Provide(provide)


def require_operator_sign_in(request: Request[Any, Any, Any], settings: Settings) -> None:
    """Operator endpoints take an operator's sign-in session and nothing else: a key (any `Authorization`) belongs to
    a tenant's backend and is refused for what it is (403), and no cookie at all is "sign in" (401), not "expired"."""
    if request.headers.get("authorization") is not None:
        raise Problem(
            "not-an-operator",
            "Operator endpoints need an operator's sign-in session; a server key (an `Authorization` header) is not "
            "one, whatever its scopes. Sign in with an operator account and send its session cookie.",
        )
    if not request.cookies.get(session_cookie(settings)):
        raise Problem("not-signed-in", "Sign in with an operator account.")


async def _operator_tx(
    request: Request[Any, Any, Any], settings: NamedDependency[Settings], db_sessions: DbSessions
) -> AsyncIterator[TenantTransaction]:
    require_operator_sign_in(request, settings)
    async with transaction(db_sessions) as db:
        principal = await authenticate_operator(db, request, settings)
        yield TenantTransaction(db, principal.with_client(client_of(request)))


AUTH_DEPENDENCIES: dict[str, Provide] = {
    "tx_admin": _tenant_tx("admin"),
    "tx_sessions_read": _tenant_tx("sessions:read"),
    "tx_sessions_write": _tenant_tx("sessions:write"),
    "tx_usage_read": _tenant_tx("usage:read"),
    "caller_admin": _caller("admin"),
    "caller_usage_read": _caller("usage:read"),
    "tx_operator": Provide(_operator_tx),
    "auth_sessions_write": _authenticator("sessions:write"),
    "widget_key_first": Provide(_widget_key_first),
}

# What every tenant operation can answer before it does anything of its own (documented in the OpenAPI).
ADMIN_PROBLEMS: tuple[ProblemSlug, ...] = (
    "invalid-request",
    "unknown-key",
    "insufficient-scope",
    "tenant-suspended",
    "session-expired",
    "csrf-failed",
    "insufficient-role",
    "no-tenant-selected",
    "not-a-member",
)
OPERATOR_PROBLEMS: tuple[ProblemSlug, ...] = (
    "invalid-request",
    "not-signed-in",
    "session-expired",
    "csrf-failed",
    "not-an-operator",
    "not-found",
)
