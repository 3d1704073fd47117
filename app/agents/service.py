from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents.models import Agent
from app.agents.schemas import AgentSpec


async def create_agent(db: AsyncSession, tenant_id: uuid.UUID, spec: AgentSpec) -> Agent:
    engine = spec.engine.model_dump()
    agent = Agent(
        tenant_id=tenant_id,
        slug=spec.slug,
        name=spec.name,
        engine=engine.pop("type"),
        engine_config=engine,
        avatar=spec.avatar.model_dump(),
    )
    db.add(agent)
    await db.flush()
    return agent


async def agent_by_slug(db: AsyncSession, tenant_id: uuid.UUID, slug: str) -> Agent | None:
    return await db.scalar(select(Agent).where(Agent.tenant_id == tenant_id, Agent.slug == slug))
