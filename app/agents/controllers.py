"""`/v1/agents`: an avatar plus a conversation engine, started by slug (rules in app/agents/service.py)."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from app.agents import service
from app.agents.schemas import AgentList, AgentOut, AgentPatch, AgentSpec
from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.errors import problem_responses
from app.kit import api_docs


class AgentsController(Controller):
    path = "/v1/agents"
    security = api_docs.TENANT
    tags = ["Agents"]

    @post("/", status_code=201, summary="Create an agent", responses=problem_responses(*ADMIN_PROBLEMS, "conflict"))
    async def create(self, tx_admin: TenantTx, data: JSONBody[AgentSpec]) -> AgentOut:
        return await service.add_agent(*tx_admin, data)

    @get("/", summary="List agents", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_agents(self, tx_admin: TenantTx) -> AgentList:
        return await service.list_agents(*tx_admin)

    @get("/{agent_id:uuid}", summary="Get an agent", responses=problem_responses(*ADMIN_PROBLEMS, "not-found"))
    async def get_agent(self, tx_admin: TenantTx, agent_id: FromPath[uuid.UUID]) -> AgentOut:
        return await service.get_agent(*tx_admin, agent_id)

    @patch(
        "/{agent_id:uuid}",
        summary="Change an agent",
        description="Changes apply to sessions started afterwards.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def update_agent(
        self, tx_admin: TenantTx, agent_id: FromPath[uuid.UUID], data: JSONBody[AgentPatch]
    ) -> AgentOut:
        return await service.change_agent(*tx_admin, agent_id, data)

    @delete(
        "/{agent_id:uuid}",
        status_code=204,
        summary="Delete an agent",
        description="Running sessions are not affected; their history keeps the agent's slug.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def delete_agent(self, tx_admin: TenantTx, agent_id: FromPath[uuid.UUID]) -> None:
        await service.delete_agent(*tx_admin, agent_id)
