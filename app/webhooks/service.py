"""Webhook endpoints of a tenant: create, change, delete, rotate the signing secret, send a test event, read the
delivery log. Every change is audited in the caller's transaction; services never commit."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import actor_of, record
from app.auth.principal import Principal
from app.errors import Problem
from app.vault.crypto import Vault
from app.webhooks import repository, signing
from app.webhooks.events import TEST_EVENT, emit
from app.webhooks.models import WebhookEndpoint, WebhookSecret
from app.webhooks.schemas import (
    OUTCOMES,
    DeliveryOut,
    DeliveryPage,
    SecretRotated,
    SentTestEvent,
    WebhookCreated,
    WebhookIn,
    WebhookList,
    WebhookOut,
    WebhookPatch,
)
from app.webhooks.urls import UrlRefused, check_url

MAX_ENDPOINTS_PER_TENANT = 20  # each event is one job per endpoint


def endpoint_out(e: WebhookEndpoint) -> WebhookOut:
    return WebhookOut.model_validate(e, from_attributes=True)


def valid_url(url: str, *, allow_private: bool) -> str:
    try:
        return check_url(url, allow_private=allow_private)
    except UrlRefused as exc:
        raise Problem("invalid-webhook-url", str(exc)) from None


# Reading ------------------------------------------------------------------------------------------------------------


async def list_webhooks(db: AsyncSession, tenant_id: uuid.UUID) -> WebhookList:
    return WebhookList(items=[endpoint_out(e) for e in await repository.of_tenant(db, tenant_id)])


async def get_webhook(db: AsyncSession, tenant_id: uuid.UUID, webhook_id: uuid.UUID) -> WebhookOut:
    return endpoint_out(await repository.get_or_404(db, tenant_id, webhook_id))


async def deliveries(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    webhook_id: uuid.UUID,
    *,
    message_id: str | None,
    outcome: str | None,
    cursor: int | None,
    limit: int,
) -> DeliveryPage:
    """A page of the endpoint's delivery log, newest first."""
    if outcome not in (None, *OUTCOMES):
        raise Problem("invalid-request", "outcome must be `succeeded` or `failed`")
    await repository.get_or_404(db, tenant_id, webhook_id)
    rows = await repository.attempts_page(
        db, tenant_id, webhook_id, message_id=message_id, outcome=outcome, cursor=cursor, limit=limit
    )
    page = rows[:limit]
    items = [DeliveryOut.model_validate(r, from_attributes=True) for r in page]
    return DeliveryPage(items=items, next_cursor=page[-1].id if len(rows) > limit else None)


# Changing -----------------------------------------------------------------------------------------------------------


async def create_webhook(
    db: AsyncSession, caller: Principal, vault: Vault, data: WebhookIn, *, allow_private: bool
) -> WebhookCreated:
    """A new endpoint and its signing secret, shown in this answer only."""
    endpoint, secret = await create_endpoint(db, vault, caller.tenant, data, allow_private=allow_private)
    view = endpoint_out(endpoint)
    await record(db, caller, "webhook.created", "webhook", endpoint.id, after=view)
    return WebhookCreated(**view.model_dump(), secret=secret)


async def create_endpoint(
    db: AsyncSession, vault: Vault, tenant_id: uuid.UUID, data: WebhookIn, *, allow_private: bool
) -> tuple[WebhookEndpoint, str]:
    url = valid_url(data.url, allow_private=allow_private)
    if await repository.count_locked(db, tenant_id) >= MAX_ENDPOINTS_PER_TENANT:
        raise Problem(
            "webhook-limit", f"A tenant can have {MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first."
        )
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        url=url,
        description=data.description,
        events=list(dict.fromkeys(data.events)),
        enabled=data.enabled,
    )
    if not data.enabled:
        endpoint.disabled_at, endpoint.disabled_reason = func.now(), "Created disabled."
    db.add(endpoint)
    await db.flush()
    secret = await add_secret(db, vault, endpoint)
    await db.refresh(endpoint)
    return endpoint, secret


async def update_webhook(
    db: AsyncSession, caller: Principal, webhook_id: uuid.UUID, data: WebhookPatch, *, allow_private: bool
) -> WebhookOut:
    endpoint = await repository.get_or_404(db, caller.tenant, webhook_id, lock=True)
    before = endpoint_out(endpoint)
    kind, actor_id, label = actor_of(caller)
    await update_endpoint(db, endpoint, data, allow_private=allow_private, who=label or f"{kind} {actor_id}")
    after = endpoint_out(endpoint)
    await record(db, caller, "webhook.updated", "webhook", endpoint.id, before=before, after=after)
    return after


async def update_endpoint(
    db: AsyncSession, endpoint: WebhookEndpoint, data: WebhookPatch, *, allow_private: bool, who: str
) -> WebhookEndpoint:
    sent = data.model_dump(exclude_unset=True)
    if "url" in sent:
        endpoint.url = valid_url(sent["url"], allow_private=allow_private)
    if "events" in sent:
        endpoint.events = list(dict.fromkeys(sent["events"]))
    if "description" in sent:
        endpoint.description = sent["description"]
    enabled = sent.get("enabled")
    if enabled is True and not endpoint.enabled:
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = True, None, None
        endpoint.consecutive_failures, endpoint.failing_since = 0, None
    elif enabled is False and endpoint.enabled:
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = False, func.now(), f"Disabled by {who}."
    await db.flush()
    await db.refresh(endpoint)
    return endpoint


async def delete_webhook(db: AsyncSession, caller: Principal, webhook_id: uuid.UUID) -> None:
    """Events queued for it are dropped; its delivery log goes with it."""
    endpoint = await repository.get_or_404(db, caller.tenant, webhook_id, lock=True)
    await record(db, caller, "webhook.deleted", "webhook", endpoint.id, before=endpoint_out(endpoint))
    await db.delete(endpoint)


async def send_test(db: AsyncSession, tenant_id: uuid.UUID, webhook_id: uuid.UUID) -> SentTestEvent:
    """A `webhook.test` event for this endpoint alone, whatever its event types."""
    endpoint = await repository.get_or_404(db, tenant_id, webhook_id)
    if not endpoint.enabled:
        raise Problem("webhook-disabled", "This endpoint is disabled; enable it (`PATCH` with `enabled: true`) first.")
    message_id, _ = await emit(
        db,
        tenant_id,
        TEST_EVENT,
        {
            "webhook_id": str(endpoint.id),
            "message": "A test event from Greenroom: your endpoint receives and verifies.",
        },
        endpoint_id=endpoint.id,
    )
    return SentTestEvent(message_id=message_id, type=TEST_EVENT)


# Signing secrets ----------------------------------------------------------------------------------------------------


async def add_secret(db: AsyncSession, vault: Vault, endpoint: WebhookEndpoint) -> str:
    """A fresh secret for the endpoint, sealed before it reaches SQL; the plaintext is returned once, to the caller."""
    secret, row_id = signing.new_secret(), uuid.uuid4()
    sealed = signing.seal(vault, secret, tenant_id=endpoint.tenant_id, secret_id=row_id)
    db.add(
        WebhookSecret(
            id=row_id,
            tenant_id=endpoint.tenant_id,
            endpoint_id=endpoint.id,
            ciphertext=sealed.ciphertext,
            nonce=sealed.nonce,
            wrapped_key=sealed.wrapped_key,
            key_nonce=sealed.key_nonce,
            master_key_version=sealed.master_key_version,
        )
    )
    await db.flush()
    return secret


async def rotate(
    db: AsyncSession, caller: Principal, vault: Vault, webhook_id: uuid.UUID, grace_s: int
) -> SecretRotated:
    endpoint = await repository.get_or_404(db, caller.tenant, webhook_id, lock=True)
    secret, previous = await rotate_secret(db, vault, endpoint, grace_s)
    await record(db, caller, "webhook.secret_rotated", "webhook", endpoint.id, after=endpoint_out(endpoint))
    return SecretRotated(id=endpoint.id, secret=secret, previous_expires_at=previous)


async def rotate_secret(
    db: AsyncSession, vault: Vault, endpoint: WebhookEndpoint, grace_s: int
) -> tuple[str, datetime | None]:
    """A new secret; the ones in use keep signing for `grace_s` more seconds (never longer than they already would)."""
    previous = await repository.retire_secrets(db, endpoint, grace_s)
    secret = await add_secret(db, vault, endpoint)
    return secret, previous
