"""What the operator commands share to work on the database as its owner (`tenants`, `jobs`, `report`).

They connect as the schema owner (who sees every tenant) with the settings `operator_settings` finds: the
environment's, else a `greenroom dev` stack's in the data dir. Each command runs on a pool-less engine that is
disposed when it is done; a problem it raises is shown as a one-line CLI error, not a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.cli.environment import operator_settings
from app.db import registry as _all_models  # noqa: F401  every mapped table, so foreign keys resolve in a bare CLI
from app.db.engine import make_engine, make_sessionmaker, transaction
from app.errors import Problem

T = TypeVar("T")


def owner_url() -> str:
    """The schema owner's URL from the settings; failing that, the dev stack's (`greenroom --data-dir`)."""
    return operator_settings(secrets=False).migrations_url or ""


def owner_sessions(work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    """Run `work(sessions)` with a sessionmaker on the owner's URL; problems become readable CLI errors."""
    url = owner_url()

    async def run() -> T:
        engine = make_engine(url, null_pool=True)
        try:
            return await work(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except Problem as exc:
        raise click.ClickException(exc.detail or exc.title) from None


def owner_db(action: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `action(db)` in one transaction on the owner's URL; returns its result."""

    async def work(sessions: async_sessionmaker[AsyncSession]) -> T:
        async with transaction(sessions) as db:
            return await action(db)

    return owner_sessions(work)
