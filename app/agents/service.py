"""Agents: an avatar plus a conversation engine, started by slug. The rules and the answers; statements in
app/agents/repository.py. Every change is audited in the caller's transaction."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.agents import repository
from app.agents.models import Agent
from app.agents.schemas import (
    AVATAR,
    ENGINE,
    AgentList,
    AgentOut,
    AgentPatch,
    AgentSpec,
    AvatarSettings,
    CartesiaEngine,
    OpenAIRealtimeEngine,
)
from app.audit.service import record
from app.auth.principal import Principal
from app.errors import Problem
from app.kit.merge_patch import merged


def _engine_columns(engine: OpenAIRealtimeEngine | CartesiaEngine) -> tuple[str, dict[str, Any]]:
    """An engine's settings as stored: its type in `engine`, the rest in `engine_config`."""
    config = engine.model_dump()
    return config.pop("type"), config


def agent_out(agent: Agent) -> AgentOut:
    """Not model_validate: the engine is stored in two columns (type, settings) and answered as one object."""
    return AgentOut(
        id=agent.id,
        slug=agent.slug,
        name=agent.name,
        engine=ENGINE.validate_python({"type": agent.engine, **agent.engine_config}),
        avatar=AvatarSettings(**agent.avatar),
        created_at=agent.created_at,
        updated_at=agent.updated_at,
    )


def _new_agent(tenant_id: uuid.UUID, spec: AgentSpec) -> Agent:
    engine, engine_config = _engine_columns(spec.engine)
    return Agent(
        tenant_id=tenant_id,
        slug=spec.slug,
        name=spec.name,
        engine=engine,
        engine_config=engine_config,
        avatar=spec.avatar.model_dump(),
    )


async def create_agent(db: AsyncSession, tenant_id: uuid.UUID, spec: AgentSpec) -> Agent:
    """For seeding and tests: no audit, and a taken slug raises."""
    return await repository.insert(db, _new_agent(tenant_id, spec))


async def agent_by_slug(db: AsyncSession, tenant_id: uuid.UUID, slug: str) -> Agent | None:
    return await repository.by_slug(db, tenant_id, slug)


async def add_agent(db: AsyncSession, caller: Principal, spec: AgentSpec) -> AgentOut:
    agent = await repository.insert_unless_taken(db, _new_agent(caller.tenant, spec))
    if agent is None:
        raise Problem("conflict", f"An agent with slug `{spec.slug}` already exists.")
    out = agent_out(agent)
    await record(db, caller, "agent.created", "agent", agent.id, after=out)
    return out


async def list_agents(db: AsyncSession, caller: Principal) -> AgentList:
    return AgentList(items=[agent_out(a) for a in await repository.of_tenant(db, caller.tenant)])


async def get_agent(db: AsyncSession, caller: Principal, agent_id: uuid.UUID) -> AgentOut:
    return agent_out(await repository.one_or_404(db, caller.tenant, agent_id))


async def change_agent(db: AsyncSession, caller: Principal, agent_id: uuid.UUID, patch: AgentPatch) -> AgentOut:
    """A merge patch (app/kit/merge_patch.py); changes apply to sessions started afterwards."""
    agent = await repository.one_or_404(db, caller.tenant, agent_id)
    before = agent_out(agent)
    sent = patch.model_dump(exclude_unset=True)
    engine = merged(ENGINE, before.engine.model_dump(), sent["engine"], "engine") if "engine" in sent else None
    avatar = merged(AVATAR, before.avatar.model_dump(), sent["avatar"], "avatar") if "avatar" in sent else None
    await repository.update(
        db,
        agent,
        name=sent.get("name"),
        engine=_engine_columns(engine) if engine is not None else None,
        avatar=avatar.model_dump() if avatar is not None else None,
    )
    after = agent_out(agent)
    await record(db, caller, "agent.updated", "agent", agent.id, before=before, after=after)
    return after


async def delete_agent(db: AsyncSession, caller: Principal, agent_id: uuid.UUID) -> None:
    """Running sessions are not affected; their history keeps the agent's slug."""
    agent = await repository.one_or_404(db, caller.tenant, agent_id)
    await record(db, caller, "agent.deleted", "agent", agent.id, before=agent_out(agent))
    await repository.delete(db, agent)
