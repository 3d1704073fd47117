"""`/v1/agents`: an avatar plus a conversation engine, started by slug."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents.models import Agent
from app.agents.schemas import (
    AgentList,
    AgentOut,
    AgentPatch,
    AgentSpec,
    AvatarSettings,
    EngineSettings,
)
from app.agents.service import create_agent
from app.audit.service import record
from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.db.rows import owned_or_404
from app.errors import Problem, problem_responses
from app.kit import api_docs

ENGINE = TypeAdapter(EngineSettings)


def _out(a: Agent) -> AgentOut:
    return AgentOut(
        id=a.id,
        slug=a.slug,
        name=a.name,
        engine=ENGINE.validate_python({"type": a.engine, **a.engine_config}),
        avatar=AvatarSettings(**a.avatar),
        created_at=a.created_at,
        updated_at=a.updated_at,
    )


async def _find(db: AsyncSession, tenant_id: uuid.UUID, agent_id: uuid.UUID) -> Agent:
    return await owned_or_404(db, Agent, tenant_id, agent_id, "agent")


class AgentsController(Controller):
    path = "/v1/agents"
    security = api_docs.TENANT
    tags = ["Agents"]

    @post("/", status_code=201, summary="Create an agent", responses=problem_responses(*ADMIN_PROBLEMS, "conflict"))
    async def create(self, tx_admin: TenantTx, data: JSONBody[AgentSpec]) -> AgentOut:
        db, caller = tx_admin
        try:
            async with db.begin_nested():
                agent = await create_agent(db, caller.tenant, data)
        except IntegrityError:
            raise Problem("conflict", f"An agent with slug `{data.slug}` already exists.") from None
        await db.refresh(agent)
        out = _out(agent)
        await record(db, caller, "agent.created", "agent", agent.id, after=out)
        return out

    @get("/", summary="List agents", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_agents(self, tx_admin: TenantTx) -> AgentList:
        db, caller = tx_admin
        rows = await db.scalars(select(Agent).where(Agent.tenant_id == caller.tenant).order_by(Agent.slug))
        return AgentList(items=[_out(a) for a in rows])

    @get("/{agent_id:uuid}", summary="Get an agent", responses=problem_responses(*ADMIN_PROBLEMS, "not-found"))
    async def get_agent(self, tx_admin: TenantTx, agent_id: FromPath[uuid.UUID]) -> AgentOut:
        db, caller = tx_admin
        return _out(await _find(db, caller.tenant, agent_id))

    @patch(
        "/{agent_id:uuid}",
        summary="Change an agent",
        description="Changes apply to sessions started afterwards.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def update_agent(
        self, tx_admin: TenantTx, agent_id: FromPath[uuid.UUID], data: JSONBody[AgentPatch]
    ) -> AgentOut:
        db, caller = tx_admin
        agent = await _find(db, caller.tenant, agent_id)
        before = _out(agent)
        if data.name is not None:
            agent.name = data.name
        if data.engine is not None:
            engine = data.engine.model_dump()
            agent.engine = engine.pop("type")
            agent.engine_config = engine
        if data.avatar is not None:
            agent.avatar = data.avatar.model_dump()
        await db.flush()
        await db.refresh(agent)
        after = _out(agent)
        await record(db, caller, "agent.updated", "agent", agent.id, before=before, after=after)
        return after

    @delete(
        "/{agent_id:uuid}",
        status_code=204,
        summary="Delete an agent",
        description="Running sessions are not affected; their history keeps the agent's slug.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def delete_agent(self, tx_admin: TenantTx, agent_id: FromPath[uuid.UUID]) -> None:
        db, caller = tx_admin
        agent = await _find(db, caller.tenant, agent_id)
        await record(db, caller, "agent.deleted", "agent", agent.id, before=_out(agent))
        await db.delete(agent)
