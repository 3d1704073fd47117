"""`/v1/widget-keys` and `/v1/api-keys`: the keys Greenroom issues to a tenant."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody
from sqlalchemy import func, select

from app.agents.service import agent_by_slug
from app.audit.service import record
from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.auth.models import ApiKey, WidgetKey
from app.db.rows import owned_or_404
from app.errors import Problem, problem_responses
from app.keys.schemas import (
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyList,
    ApiKeyOut,
    ApiKeyRoll,
    WidgetKeyIn,
    WidgetKeyList,
    WidgetKeyOut,
)
from app.keys.service import issue_server_key, issue_widget_key
from app.kit import api_docs


def _widget_out(k: WidgetKey) -> WidgetKeyOut:
    return WidgetKeyOut(
        id=k.id,
        label=k.label,
        key=k.key,
        allowed_origins=k.allowed_origins,
        agent_id=k.agent_id,
        created_at=k.created_at,
        revoked_at=k.revoked_at,
    )


def _api_out(k: ApiKey) -> ApiKeyOut:
    return ApiKeyOut.model_validate(k, from_attributes=True)


def _api_created(k: ApiKey, key: str) -> ApiKeyCreated:
    return ApiKeyCreated(**_api_out(k).model_dump(), key=key)


async def _revoke(db: Any, model: Any, tenant_id: uuid.UUID, key_id: uuid.UUID) -> Any:
    """Revocation is a row update: every instance reads it on the key's next request (no cache)."""
    row = await owned_or_404(db, model, tenant_id, key_id, "key", lock=True)
    if row.revoked_at is None:
        row.revoked_at = await db.scalar(select(func.now()))
    await db.flush()
    return row


class WidgetKeysController(Controller):
    path = "/v1/widget-keys"
    security = api_docs.TENANT
    tags = ["Keys"]

    @post(
        "/",
        status_code=201,
        summary="Issue a widget key",
        responses=problem_responses(*ADMIN_PROBLEMS, "unknown-agent"),
    )
    async def create(self, tx_admin: TenantTx, data: JSONBody[WidgetKeyIn]) -> WidgetKeyOut:
        db, caller = tx_admin
        agent_id = None
        if data.agent:
            agent = await agent_by_slug(db, caller.tenant, data.agent)
            if agent is None:
                raise Problem("unknown-agent", f"No agent with slug `{data.agent}`.")
            agent_id = agent.id
        key = await issue_widget_key(db, caller.tenant, data.allowed_origins, label=data.label, agent_id=agent_id)
        await db.refresh(key)
        out = _widget_out(key)
        await record(db, caller, "widget_key.created", "widget_key", key.id, after=out)
        return out

    @get("/", summary="List widget keys", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_keys(self, tx_admin: TenantTx) -> WidgetKeyList:
        db, caller = tx_admin
        rows = await db.scalars(
            select(WidgetKey).where(WidgetKey.tenant_id == caller.tenant).order_by(WidgetKey.created_at)
        )
        return WidgetKeyList(items=[_widget_out(k) for k in rows])

    @get("/{key_id:uuid}", summary="Get a widget key", responses=problem_responses(*ADMIN_PROBLEMS, "not-found"))
    async def get_key(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID]) -> WidgetKeyOut:
        db, caller = tx_admin
        return _widget_out(await owned_or_404(db, WidgetKey, caller.tenant, key_id, "key"))

    @delete(
        "/{key_id:uuid}",
        status_code=200,
        summary="Revoke a widget key",
        description="Takes effect on the next request, on every instance. Running sessions are not ended.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def revoke(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID]) -> WidgetKeyOut:
        db, caller = tx_admin
        out = _widget_out(await _revoke(db, WidgetKey, caller.tenant, key_id))
        await record(db, caller, "widget_key.revoked", "widget_key", key_id, after=out)
        return out


class ApiKeysController(Controller):
    path = "/v1/api-keys"
    security = api_docs.TENANT
    tags = ["Keys"]

    @post(
        "/",
        status_code=201,
        summary="Issue a server key",
        description="The key is in this answer only.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def create(self, tx_admin: TenantTx, data: JSONBody[ApiKeyIn]) -> ApiKeyCreated:
        db, caller = tx_admin
        row, key = await issue_server_key(db, caller.tenant, label=data.label, scopes=tuple(dict.fromkeys(data.scopes)))
        await db.refresh(row)
        await record(db, caller, "api_key.created", "api_key", row.id, after=_api_out(row))
        return _api_created(row, key)

    @get("/", summary="List server keys", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_keys(self, tx_admin: TenantTx) -> ApiKeyList:
        db, caller = tx_admin
        rows = await db.scalars(select(ApiKey).where(ApiKey.tenant_id == caller.tenant).order_by(ApiKey.created_at))
        return ApiKeyList(items=[_api_out(k) for k in rows])

    @get(
        "/{key_id:uuid}",
        summary="Get a server key's metadata",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def get_key(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID]) -> ApiKeyOut:
        db, caller = tx_admin
        return _api_out(await owned_or_404(db, ApiKey, caller.tenant, key_id, "key"))

    @post(
        "/{key_id:uuid}/roll",
        status_code=201,
        summary="Roll a server key",
        description="Issues a replacement with the same label and scopes (in this answer only) and lets the old key "
        "work for `grace_s` more seconds, so a backend can switch without downtime.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def roll(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID], data: JSONBody[ApiKeyRoll]) -> ApiKeyCreated:
        db, caller = tx_admin
        old = await db.scalar(
            select(ApiKey)
            .where(ApiKey.tenant_id == caller.tenant, ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
            .with_for_update()
        )
        if old is None or old.replaced_by is not None:
            raise Problem("not-found", "No such live key (revoked and already rolled keys cannot be rolled).")
        before = _api_out(old)
        new, key = await issue_server_key(db, caller.tenant, label=old.label, scopes=tuple(old.scopes))
        old.replaced_by = new.id
        old.expires_at = await db.scalar(select(func.now() + func.make_interval(0, 0, 0, 0, 0, 0, data.grace_s)))
        await db.flush()
        await db.refresh(new)
        await record(db, caller, "api_key.rolled", "api_key", old.id, before=before, after=_api_out(old))
        return _api_created(new, key)

    @delete(
        "/{key_id:uuid}",
        status_code=200,
        summary="Revoke a server key",
        description="Takes effect on the next request, on every instance.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def revoke(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID]) -> ApiKeyOut:
        db, caller = tx_admin
        out = _api_out(await _revoke(db, ApiKey, caller.tenant, key_id))
        await record(db, caller, "api_key.revoked", "api_key", key_id, after=out)
        return out
