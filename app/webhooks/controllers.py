"""`/v1/webhooks`: endpoints a tenant's events are POSTed to, signed per Standard Webhooks, with a delivery log."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.errors import problem_responses
from app.kit import api_docs
from app.kit.pagination import check_id_cursor, check_limit, id_cursor_query, limit_query, optional_query
from app.settings import Settings
from app.vault.crypto import Vault
from app.webhooks import service
from app.webhooks.schemas import (
    OUTCOMES,
    DeliveryPage,
    RotateSecret,
    SecretRotated,
    SentTestEvent,
    WebhookCreated,
    WebhookIn,
    WebhookList,
    WebhookOut,
    WebhookPatch,
)

ONE = (*ADMIN_PROBLEMS, "not-found")
SIGNING = (
    "Each request carries `webhook-id` (the same on every retry: drop duplicates), `webhook-timestamp` and "
    '`webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, per Standard Webhooks: any of '
    "its libraries verifies it with the secret. Answer 2xx within the timeout (10 s by default); anything else is "
    "retried, by default after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. An endpoint that keeps failing (by "
    "default: 15 attempts in a row over 5 days without a success) is disabled; the endpoint and the audit log say so."
)


class WebhooksController(Controller):
    path = "/v1/webhooks"
    security = api_docs.TENANT
    tags = ["Webhooks"]

    @post(
        "/",
        status_code=201,
        summary="Add a webhook endpoint",
        description="Events of the chosen types are POSTed to `url` as JSON `{type, timestamp, data}`. The answer "
        "holds the signing secret (`whsec_…`), shown this once. " + SIGNING,
        responses=problem_responses(*ADMIN_PROBLEMS, "invalid-webhook-url", "webhook-limit"),
    )
    async def create(
        self,
        tx_admin: TenantTx,
        vault: NamedDependency[Vault],
        settings: NamedDependency[Settings],
        data: JSONBody[WebhookIn],
    ) -> WebhookCreated:
        db, caller = tx_admin
        return await service.create_webhook(
            db, caller, vault, data, allow_private=settings.webhook_private_urls_allowed
        )

    @get(
        "/",
        summary="List webhook endpoints",
        description="Oldest first. Secrets are never shown again.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def list_webhooks(self, tx_admin: TenantTx) -> WebhookList:
        db, caller = tx_admin
        return await service.list_webhooks(db, caller.tenant)

    @get(
        "/{webhook_id:uuid}",
        summary="Get a webhook endpoint",
        description="`disabled_at` and `disabled_reason` say when and why it stopped receiving events.",
        responses=problem_responses(*ONE),
    )
    async def get_webhook(self, tx_admin: TenantTx, webhook_id: FromPath[uuid.UUID]) -> WebhookOut:
        db, caller = tx_admin
        return await service.get_webhook(db, caller.tenant, webhook_id)

    @patch(
        "/{webhook_id:uuid}",
        summary="Change a webhook endpoint",
        description="Change the URL, the event types or the description, or disable and enable it. Events already "
        "queued for it are sent to the URL it has when they are attempted.",
        responses=problem_responses(*ONE, "invalid-webhook-url"),
    )
    async def update_webhook(
        self,
        tx_admin: TenantTx,
        settings: NamedDependency[Settings],
        webhook_id: FromPath[uuid.UUID],
        data: JSONBody[WebhookPatch],
    ) -> WebhookOut:
        db, caller = tx_admin
        return await service.update_webhook(
            db, caller, webhook_id, data, allow_private=settings.webhook_private_urls_allowed
        )

    @delete(
        "/{webhook_id:uuid}",
        status_code=204,
        summary="Delete a webhook endpoint",
        description="Events queued for it are dropped; its delivery log goes with it.",
        responses=problem_responses(*ONE),
    )
    async def delete_webhook(self, tx_admin: TenantTx, webhook_id: FromPath[uuid.UUID]) -> None:
        db, caller = tx_admin
        await service.delete_webhook(db, caller, webhook_id)

    @post(
        "/{webhook_id:uuid}/test",
        status_code=202,
        summary="Send a test event",
        description="Queues a `webhook.test` event for this endpoint alone, whatever its event types, signed and "
        "retried like any other; its attempts appear in the deliveries.",
        responses=problem_responses(*ONE, "webhook-disabled"),
    )
    async def send_test(self, tx_admin: TenantTx, webhook_id: FromPath[uuid.UUID]) -> SentTestEvent:
        db, caller = tx_admin
        return await service.send_test(db, caller.tenant, webhook_id)

    @get(
        "/{webhook_id:uuid}/deliveries",
        summary="List delivery attempts",
        description="The endpoint's delivery log, newest first: one item per HTTP attempt, with the receiver's status, "
        "the time it took and what went wrong. Kept as long as the endpoint.",
        responses=problem_responses(*ONE),
    )
    async def deliveries(
        self,
        tx_admin: TenantTx,
        webhook_id: FromPath[uuid.UUID],
        message_id: Annotated[
            str | None, optional_query("message_id", "Only the attempts of this message (`webhook-id`).")
        ] = None,
        outcome: Annotated[
            str | None, optional_query("outcome", "`succeeded` or `failed`.", enum=list(OUTCOMES))
        ] = None,
        cursor: Annotated[int | None, id_cursor_query()] = None,
        limit: Annotated[int, limit_query()] = 50,
    ) -> DeliveryPage:
        check_limit(limit)
        check_id_cursor(cursor)
        db, caller = tx_admin
        return await service.deliveries(
            db, caller.tenant, webhook_id, message_id=message_id, outcome=outcome, cursor=cursor, limit=limit
        )

    @post(
        "/{webhook_id:uuid}/rotate-secret",
        status_code=200,
        summary="Rotate the signing secret",
        description="Issues a new secret (in this answer only). The current one keeps signing alongside it for "
        "`grace_s` seconds (default a day): messages then carry two signatures, so receivers can switch at leisure.",
        responses=problem_responses(*ONE),
    )
    async def rotate(
        self,
        tx_admin: TenantTx,
        vault: NamedDependency[Vault],
        webhook_id: FromPath[uuid.UUID],
        data: JSONBody[RotateSecret],
    ) -> SecretRotated:
        db, caller = tx_admin
        return await service.rotate(db, caller, vault, webhook_id, data.grace_s)
