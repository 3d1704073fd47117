"""Engine and transaction helpers.

Services never commit: the caller (a request handler or a worker loop) owns
the transaction through `transaction()`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool


def async_url(url: str) -> str:
    """Accept plain postgres:// URLs too; always use the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("database URL must start with postgresql://")


def make_engine(url: str, *, pool_size: int = 10, null_pool: bool = False) -> AsyncEngine:
    # No pool_pre_ping: it costs a round trip per transaction (a third of the broker's database CPU). After a
    # database restart the first statement on a dead connection fails and SQLAlchemy invalidates the whole pool.
    kw: dict[str, Any] = (
        {"poolclass": NullPool}
        if null_pool
        else {"pool_size": pool_size, "max_overflow": pool_size, "pool_recycle": 1800}
    )
    return create_async_engine(async_url(url), **kw)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID | None = None
) -> AsyncIterator[AsyncSession]:
    """One short transaction; commits on success, rolls back on error.

    With a tenant, the tenant id is set for this transaction only (`set_config(..., true)`),
    which row-level security policies read; a pooled connection never carries it over.
    """
    async with sessions() as session, session.begin():
        if tenant_id is not None:
            await set_tenant(session, tenant_id)
        yield session


async def set_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    await session.execute(text("select set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
