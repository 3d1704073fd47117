"""`/v1/operator/tenants` and `/v1/operator/jobs`: the operator sets limits, suspends tenants and retries parked jobs
(operator accounts, signed in)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody

from app.auth.dependencies import OPERATOR_PROBLEMS, TenantTx
from app.errors import problem_responses
from app.kit import api_docs
from app.kit.pagination import check_limit, limit_query
from app.operator import service
from app.operator.schemas import JobList, LimitsPatch, Retried, RetryJobs, Suspended, TenantList
from app.tenants.schemas import TenantOut


class OperatorTenantsController(Controller):
    path = "/v1/operator/tenants"
    security = api_docs.OPERATOR
    tags = ["Operator"]

    @get("/", summary="List tenants", responses=problem_responses(*OPERATOR_PROBLEMS))
    async def list_tenants(self, tx_operator: TenantTx) -> TenantList:
        return await service.list_tenants(tx_operator.db)

    @patch("/{tenant_id:uuid}", summary="Set a tenant's limits", responses=problem_responses(*OPERATOR_PROBLEMS))
    async def change_limits(
        self, tx_operator: TenantTx, tenant_id: FromPath[uuid.UUID], data: JSONBody[LimitsPatch]
    ) -> TenantOut:
        return await service.change_limits(tx_operator.db, tenant_id, data.model_dump(exclude_unset=True))

    @post(
        "/{tenant_id:uuid}/suspend",
        status_code=200,
        summary="Suspend a tenant",
        description="New sessions are refused (403 `tenant-suspended`) and every live session ends now.",
        responses=problem_responses(*OPERATOR_PROBLEMS),
    )
    async def suspend_tenant(self, tx_operator: TenantTx, tenant_id: FromPath[uuid.UUID]) -> Suspended:
        return await service.suspend_tenant(tx_operator.db, tenant_id)

    @post(
        "/{tenant_id:uuid}/resume",
        status_code=200,
        summary="Resume a suspended tenant",
        responses=problem_responses(*OPERATOR_PROBLEMS),
    )
    async def resume_tenant(self, tx_operator: TenantTx, tenant_id: FromPath[uuid.UUID]) -> TenantOut:
        return await service.resume_tenant(tx_operator.db, tenant_id)


class OperatorJobsController(Controller):
    path = "/v1/operator/jobs"
    security = api_docs.OPERATOR
    tags = ["Operator"]

    @get(
        "/",
        summary="List parked jobs",
        description="Jobs of every tenant that kept failing and were parked (a provider DELETE, a webhook delivery), "
        "newest first, with their last error. `greenroom jobs list` shows the same.",
        responses=problem_responses(*OPERATOR_PROBLEMS),
    )
    async def parked(self, tx_operator: TenantTx, limit: Annotated[int, limit_query()] = 100) -> JobList:
        return await service.parked_jobs(tx_operator.db, check_limit(limit))

    @post(
        "/retry",
        status_code=200,
        summary="Retry parked jobs",
        description="Puts the given parked jobs back in the queue now, their attempts counted afresh; workers take "
        "them at once. `greenroom jobs retry` does the same.",
        responses=problem_responses(*OPERATOR_PROBLEMS),
    )
    async def retry(self, tx_operator: TenantTx, data: JSONBody[RetryJobs]) -> Retried:
        return await service.retry_jobs(tx_operator.db, data.ids)
