"""Webhook endpoints of a tenant: create, change, rotate the signing secret. Services never commit."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Problem
from app.tenants.models import Tenant
from app.vault.crypto import Vault
from app.webhooks import signing
from app.webhooks.models import WebhookEndpoint, WebhookSecret
from app.webhooks.schemas import WebhookIn, WebhookOut, WebhookPatch
from app.webhooks.urls import UrlRefused, check_url

MAX_ENDPOINTS_PER_TENANT = 20  # each event is one job per endpoint


def out(e: WebhookEndpoint) -> WebhookOut:
    return WebhookOut(
        id=e.id,
        url=e.url,
        description=e.description,
        events=list(e.events),
        enabled=e.enabled,
        disabled_at=e.disabled_at,
        disabled_reason=e.disabled_reason,
        consecutive_failures=e.consecutive_failures,
        failing_since=e.failing_since,
        created_at=e.created_at,
        updated_at=e.updated_at,
    )


def valid_url(url: str, *, allow_private: bool) -> str:
    try:
        return check_url(url, allow_private=allow_private)
    except UrlRefused as exc:
        raise Problem("invalid-webhook-url", str(exc)) from None


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


async def create_endpoint(
    db: AsyncSession, vault: Vault, tenant_id: uuid.UUID, data: WebhookIn, *, allow_private: bool
) -> tuple[WebhookEndpoint, str]:
    url = valid_url(data.url, allow_private=allow_private)
    # The tenant's row locked (as the session limits do): creates on any number of app instances take turns, so
    # two at once cannot both count 19 and make 21.
    await db.execute(select(Tenant.id).where(Tenant.id == tenant_id).with_for_update())
    count = (
        await db.execute(
            select(func.count()).select_from(WebhookEndpoint).where(WebhookEndpoint.tenant_id == tenant_id)
        )
    ).scalar_one()
    if count >= MAX_ENDPOINTS_PER_TENANT:
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


async def update_endpoint(
    db: AsyncSession, endpoint: WebhookEndpoint, data: WebhookPatch, *, allow_private: bool, who: str
) -> WebhookEndpoint:
    if data.url is not None:
        endpoint.url = valid_url(data.url, allow_private=allow_private)
    if data.events is not None:
        endpoint.events = list(dict.fromkeys(data.events))
    if data.description is not None:
        endpoint.description = data.description
    if data.enabled is True and not endpoint.enabled:
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = True, None, None
        endpoint.consecutive_failures, endpoint.failing_since = 0, None
    elif data.enabled is False and endpoint.enabled:
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = False, func.now(), f"Disabled by {who}."
    await db.flush()
    await db.refresh(endpoint)
    return endpoint


async def rotate_secret(
    db: AsyncSession, vault: Vault, endpoint: WebhookEndpoint, grace_s: int
) -> tuple[str, datetime | None]:
    """A new secret; the ones in use keep signing for `grace_s` more seconds (never longer than they already would)."""
    s = WebhookSecret
    mine = (s.tenant_id == endpoint.tenant_id) & (s.endpoint_id == endpoint.id)
    await db.execute(delete(s).where(mine, s.expires_at <= func.now()))
    until = func.now() + func.make_interval(0, 0, 0, 0, 0, 0, grace_s)
    await db.execute(
        update(s)
        .where(mine, or_(s.expires_at.is_(None), s.expires_at > until))
        .values(expires_at=until)
        .execution_options(synchronize_session=False)
    )
    previous = await db.scalar(select(func.max(s.expires_at)).where(mine, s.expires_at > func.now()))
    secret = await add_secret(db, vault, endpoint)
    return secret, previous
