"""One tenant-scoping path for the admin API: authenticate, check the scope, set the tenant, all in one transaction.

Two kinds of caller: a server key (`Authorization: Bearer gr_sk_…`, its scopes) or a signed-in admin's session
cookie (the scopes of their role in the active tenant, CSRF token and Origin on unsafe methods). An Authorization
header always means "server key", so a backend is never affected by a stray cookie.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.access.service import ServerCaller, authenticate_server_key
from app.db.engine import set_tenant, transaction
from app.identity.sessions import SessionCaller, authenticate_session, session_cookie


async def authenticate_admin(db: AsyncSession, request: Request) -> ServerCaller | SessionCaller:
    authorization = request.headers.get("authorization")
    if authorization is None and request.cookies.get(session_cookie(request.app.state.settings)):
        return await authenticate_session(db, request)
    return await authenticate_server_key(db, authorization)


@asynccontextmanager
async def tenant_transaction(request: Request, scope: str) -> AsyncIterator[tuple[AsyncSession, ServerCaller | SessionCaller]]:
    """Every admin handler reads and writes through this: queries see only the caller's tenant."""
    async with transaction(request.app.state.sessions) as db:
        caller = await authenticate_admin(db, request)
        caller.require(scope)
        await set_tenant(db, caller.tenant_id)
        yield db, caller


# What every admin operation can answer before it does anything of its own (documented in the OpenAPI).
ADMIN_PROBLEMS = ("invalid-request", "unknown-key", "insufficient-scope", "tenant-suspended",
                  "session-expired", "csrf-failed", "insufficient-role", "no-tenant-selected", "not-a-member")
