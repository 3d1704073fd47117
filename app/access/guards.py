"""One tenant-scoping path for the admin API: authenticate, check the scope, set the tenant, all in one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.access.service import ServerCaller, authenticate_server_key
from app.db.engine import set_tenant, transaction


@asynccontextmanager
async def tenant_transaction(request: Request, scope: str) -> AsyncIterator[tuple[AsyncSession, ServerCaller]]:
    """Every admin handler reads and writes through this: queries see only the caller's tenant."""
    async with transaction(request.app.state.sessions) as db:
        caller = await authenticate_server_key(db, request.headers.get("authorization"))
        caller.require(scope)
        await set_tenant(db, caller.tenant_id)
        yield db, caller


# What every admin operation can answer before it does anything of its own (documented in the OpenAPI).
ADMIN_PROBLEMS = ("invalid-request", "unknown-key", "insufficient-scope", "tenant-suspended")
