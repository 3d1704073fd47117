"""`/v1/widget-keys` and `/v1/api-keys`: the keys Greenroom issues to a tenant (rules in app/keys/service.py)."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.errors import problem_responses
from app.keys import service
from app.keys.schemas import (
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyList,
    ApiKeyOut,
    ApiKeyRoll,
    WidgetKeyIn,
    WidgetKeyList,
    WidgetKeyOut,
    WidgetKeyPatch,
)
from app.kit import api_docs


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
        return await service.create_widget_key(*tx_admin, data)

    @get("/", summary="List widget keys", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_keys(self, tx_admin: TenantTx) -> WidgetKeyList:
        return await service.list_widget_keys(*tx_admin)

    @get("/{key_id:uuid}", summary="Get a widget key", responses=problem_responses(*ADMIN_PROBLEMS, "not-found"))
    async def get_key(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID]) -> WidgetKeyOut:
        return await service.get_widget_key(*tx_admin, key_id)

    @patch(
        "/{key_id:uuid}",
        summary="Change a widget key",
        description="A JSON merge patch: the label, the origins (checked as when issued, and replaced whole), the "
        "agent it is restricted to (`null`: any agent) and its limits (`null`: the default). The next request with the "
        "key, on every instance, meets the new settings; live sessions go on. A revoked key cannot be changed (404).",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found", "unknown-agent"),
    )
    async def change(
        self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID], data: JSONBody[WidgetKeyPatch]
    ) -> WidgetKeyOut:
        return await service.change_widget_key(*tx_admin, key_id, data)

    @delete(
        "/{key_id:uuid}",
        status_code=200,
        summary="Revoke a widget key",
        description="Takes effect on the next request, on every instance. Running sessions are not ended.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def revoke(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID]) -> WidgetKeyOut:
        return await service.revoke_widget_key(*tx_admin, key_id)


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
        return await service.create_server_key(*tx_admin, data)

    @get("/", summary="List server keys", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_keys(self, tx_admin: TenantTx) -> ApiKeyList:
        return await service.list_server_keys(*tx_admin)

    @get(
        "/{key_id:uuid}",
        summary="Get a server key's metadata",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def get_key(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID]) -> ApiKeyOut:
        return await service.get_server_key(*tx_admin, key_id)

    @post(
        "/{key_id:uuid}/roll",
        status_code=201,
        summary="Roll a server key",
        description="Issues a replacement with the same label and scopes (in this answer only) and lets the old key "
        "work for `grace_s` more seconds, so a backend can switch without downtime.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def roll(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID], data: JSONBody[ApiKeyRoll]) -> ApiKeyCreated:
        return await service.roll_server_key(*tx_admin, key_id, data.grace_s)

    @delete(
        "/{key_id:uuid}",
        status_code=200,
        summary="Revoke a server key",
        description="Takes effect on the next request, on every instance.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def revoke(self, tx_admin: TenantTx, key_id: FromPath[uuid.UUID]) -> ApiKeyOut:
        return await service.revoke_server_key(*tx_admin, key_id)
