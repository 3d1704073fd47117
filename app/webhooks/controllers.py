"""`/v1/webhooks`: endpoints a tenant's events are POSTed to, signed per Standard Webhooks, with a delivery log."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import select

from app.audit.service import actor_of, record
from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.broker.service import Broker
from app.db.rows import owned_or_404
from app.errors import Problem, problem_responses
from app.kit import api_docs
from app.kit.pagination import check_limit, optional_query
from app.settings import Settings
from app.webhooks.events import TEST_EVENT, emit
from app.webhooks.models import WebhookAttempt, WebhookEndpoint
from app.webhooks.schemas import (
    DeliveryOut,
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
from app.webhooks.service import create_endpoint, out, rotate_secret, update_endpoint

ONE = (*ADMIN_PROBLEMS, "not-found")
SIGNING = (
    "Each request carries `webhook-id` (the same on every retry: drop duplicates), `webhook-timestamp` and "
    '`webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, per Standard Webhooks: any of '
    "its libraries verifies it with the secret. Answer 2xx within the timeout (10 s by default); anything else is "
    "retried, by default after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. An endpoint that keeps failing (by "
    "default: 15 attempts in a row over 5 days without a success) is disabled; the endpoint and the audit log say so."
)


async def _find(db: Any, tenant_id: uuid.UUID, webhook_id: uuid.UUID, *, lock: bool = False) -> WebhookEndpoint:
    return await owned_or_404(db, WebhookEndpoint, tenant_id, webhook_id, "webhook endpoint", lock=lock)


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
        broker: NamedDependency[Broker],
        settings: NamedDependency[Settings],
        data: JSONBody[WebhookIn],
    ) -> WebhookCreated:
        db, caller = tx_admin
        endpoint, secret = await create_endpoint(
            db, broker.vault, caller.tenant, data, allow_private=settings.webhook_private_urls_allowed
        )
        view = out(endpoint)
        await record(db, caller, "webhook.created", "webhook", endpoint.id, after=view)
        return WebhookCreated(**view.model_dump(), secret=secret)

    @get(
        "/",
        summary="List webhook endpoints",
        description="Oldest first. Secrets are never shown again.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def list_webhooks(self, tx_admin: TenantTx) -> WebhookList:
        db, caller = tx_admin
        rows = await db.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.tenant_id == caller.tenant)
            .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
        )
        return WebhookList(items=[out(e) for e in rows])

    @get(
        "/{webhook_id:uuid}",
        summary="Get a webhook endpoint",
        description="`disabled_at` and `disabled_reason` say when and why it stopped receiving events.",
        responses=problem_responses(*ONE),
    )
    async def get_webhook(self, tx_admin: TenantTx, webhook_id: FromPath[uuid.UUID]) -> WebhookOut:
        db, caller = tx_admin
        return out(await _find(db, caller.tenant, webhook_id))

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
        endpoint = await _find(db, caller.tenant, webhook_id, lock=True)
        before = out(endpoint)
        kind, actor_id, label = actor_of(caller)
        await update_endpoint(
            db, endpoint, data, allow_private=settings.webhook_private_urls_allowed, who=label or f"{kind} {actor_id}"
        )
        after = out(endpoint)
        await record(db, caller, "webhook.updated", "webhook", endpoint.id, before=before, after=after)
        return after

    @delete(
        "/{webhook_id:uuid}",
        status_code=204,
        summary="Delete a webhook endpoint",
        description="Events queued for it are dropped; its delivery log goes with it.",
        responses=problem_responses(*ONE),
    )
    async def delete_webhook(self, tx_admin: TenantTx, webhook_id: FromPath[uuid.UUID]) -> None:
        db, caller = tx_admin
        endpoint = await _find(db, caller.tenant, webhook_id, lock=True)
        await record(db, caller, "webhook.deleted", "webhook", endpoint.id, before=out(endpoint))
        await db.delete(endpoint)

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
        endpoint = await _find(db, caller.tenant, webhook_id)
        if not endpoint.enabled:
            raise Problem(
                "webhook-disabled", "This endpoint is disabled; enable it (`PATCH` with `enabled: true`) first."
            )
        message_id, _ = await emit(
            db,
            caller.tenant,
            TEST_EVENT,
            {
                "webhook_id": str(endpoint.id),
                "message": "A test event from Greenroom: your endpoint receives and verifies.",
            },
            endpoint_id=endpoint.id,
        )
        return SentTestEvent(message_id=message_id, type=TEST_EVENT)

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
        request: Request[Any, Any, Any],
        webhook_id: FromPath[uuid.UUID],
        message_id: Annotated[
            str | None, optional_query("message_id", "Only the attempts of this message (`webhook-id`).")
        ] = None,
        outcome: Annotated[str | None, optional_query("outcome", "`succeeded` or `failed`.")] = None,
        cursor: Annotated[int | None, optional_query("cursor", "`next_cursor` of the previous page.")] = None,
        limit: Annotated[int, optional_query("limit", "1 to 500.")] = 50,
    ) -> DeliveryPage:
        check_limit(limit)
        if outcome not in (None, "succeeded", "failed"):
            raise Problem("invalid-request", "outcome must be `succeeded` or `failed`")
        db, caller = tx_admin
        await _find(db, caller.tenant, webhook_id)
        a = WebhookAttempt
        q = select(a).where(a.tenant_id == caller.tenant, a.endpoint_id == webhook_id)
        if message_id:
            q = q.where(a.message_id == message_id)
        if outcome:
            q = q.where(a.outcome == outcome)
        if cursor:
            q = q.where(a.id < cursor)
        rows = list(await db.scalars(q.order_by(a.id.desc()).limit(limit + 1)))
        page = rows[:limit]
        items = [DeliveryOut(**{f: getattr(r, f) for f in DeliveryOut.model_fields}) for r in page]
        return DeliveryPage(items=items, next_cursor=page[-1].id if len(rows) > limit else None)

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
        broker: NamedDependency[Broker],
        webhook_id: FromPath[uuid.UUID],
        data: JSONBody[RotateSecret],
    ) -> SecretRotated:
        db, caller = tx_admin
        endpoint = await _find(db, caller.tenant, webhook_id, lock=True)
        secret, previous = await rotate_secret(db, broker.vault, endpoint, data.grace_s)
        await record(db, caller, "webhook.secret_rotated", "webhook", endpoint.id, after=out(endpoint))
        return SecretRotated(id=endpoint.id, secret=secret, previous_expires_at=previous)
