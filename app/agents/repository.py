"""Every statement on `agents`: agents owns the table and is its only writer; other domains read an agent through
app/agents/service.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents.models import Agent
from app.db.rows import owned_or_404, reload


async def insert(db: AsyncSession, agent: Agent) -> Agent:
    db.add(agent)
    await db.flush()
    return agent


async def insert_unless_taken(db: AsyncSession, agent: Agent) -> Agent | None:
    """None when the tenant has an agent with this slug already. In a savepoint, so the transaction goes on."""
    try:
        async with db.begin_nested():
            await insert(db, agent)
    except IntegrityError:
        return None
    await reload(db, agent)
    return agent


async def by_slug(db: AsyncSession, tenant_id: uuid.UUID, slug: str) -> Agent | None:
    return await db.scalar(select(Agent).where(Agent.tenant_id == tenant_id, Agent.slug == slug))


async def of_tenant(db: AsyncSession, tenant_id: uuid.UUID) -> Sequence[Agent]:
    return (await db.scalars(select(Agent).where(Agent.tenant_id == tenant_id).order_by(Agent.slug))).all()


async def one_or_404(db: AsyncSession, tenant_id: uuid.UUID, agent_id: uuid.UUID) -> Agent:
    return await owned_or_404(db, Agent, tenant_id, agent_id, "agent")


async def update(
    db: AsyncSession,
    agent: Agent,
    *,
    name: str | None = None,
    engine: tuple[str, dict[str, Any]] | None = None,
    avatar: dict[str, Any] | None = None,
) -> Agent:
    """Change what is given (the engine is its type and its settings), then read the row back (`updated_at`)."""
    if name is not None:
        agent.name = name
    if engine is not None:
        agent.engine, agent.engine_config = engine
    if avatar is not None:
        agent.avatar = avatar
    await db.flush()
    await reload(db, agent)
    return agent


async def delete(db: AsyncSession, agent: Agent) -> None:
    await db.delete(agent)
