"""The keys a tenant hands out: server keys (shown once, stored hashed) and widget keys (public), and their rules.

Ownership: the tables are auth's (app/auth/models.py), because auth authenticates against them; this module is the
admin surface over them and writes only through app/auth/repository.py. Every change is audited in the caller's
transaction.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.agents.service import agent_by_slug
from app.audit.service import record
from app.auth import repository
from app.auth.models import ApiKey, WidgetKey
from app.auth.principal import Principal
from app.db.rows import reload
from app.errors import Problem
from app.keys.schemas import (
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyList,
    ApiKeyOut,
    WidgetKeyIn,
    WidgetKeyList,
    WidgetKeyOut,
    WidgetKeyPatch,
)
from app.kit.origins import allow_list
from app.kit.tokens import (
    ALL_SCOPES,
    display_prefix,
    hash_token,
    new_server_key,
    new_widget_key,
)


async def issue_server_key(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    label: str = "default",
    scopes: tuple[str, ...] = ALL_SCOPES,
    key: str | None = None,
) -> tuple[ApiKey, str]:
    """Returns the row and the key itself, which is shown once and never stored."""
    key = key or new_server_key()
    row = await repository.insert_server_key(
        db, tenant_id, label=label, prefix=display_prefix(key), key_hash=hash_token(key), scopes=list(scopes)
    )
    return row, key


async def issue_widget_key(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    origins: list[str],
    *,
    label: str = "default",
    agent_id: uuid.UUID | None = None,
    key: str | None = None,
) -> WidgetKey:
    return await repository.insert_widget_key(
        db,
        tenant_id,
        label=label,
        key=key or new_widget_key(),
        allowed_origins=allow_list(origins),  # each the origin a browser sends, or a 400 naming the entry
        agent_id=agent_id,
    )


def widget_key_out(row: WidgetKey) -> WidgetKeyOut:
    return WidgetKeyOut.model_validate(row, from_attributes=True)


def server_key_out(row: ApiKey) -> ApiKeyOut:
    return ApiKeyOut.model_validate(row, from_attributes=True)


def server_key_created(row: ApiKey, key: str) -> ApiKeyCreated:
    return ApiKeyCreated(**server_key_out(row).model_dump(), key=key)


# --- Widget keys ---


async def _agent_id(db: AsyncSession, caller: Principal, slug: str | None) -> uuid.UUID | None:
    if not slug:
        return None
    agent = await agent_by_slug(db, caller.tenant, slug)
    if agent is None:
        raise Problem("unknown-agent", f"No agent with slug `{slug}`.")
    return agent.id


LIMITS = ("rate_per_minute", "visitor_rate_per_minute", "max_concurrent_sessions")


async def create_widget_key(db: AsyncSession, caller: Principal, data: WidgetKeyIn) -> WidgetKeyOut:
    agent_id = await _agent_id(db, caller, data.agent)
    row = await issue_widget_key(db, caller.tenant, data.allowed_origins, label=data.label, agent_id=agent_id)
    limits = {name: getattr(data, name) for name in LIMITS if getattr(data, name) is not None}
    if limits:
        await repository.change_widget_key(db, row, limits)
    await reload(db, row)
    out = widget_key_out(row)
    await record(db, caller, "widget_key.created", "widget_key", row.id, after=out)
    return out


async def change_widget_key(
    db: AsyncSession, caller: Principal, key_id: uuid.UUID, patch: WidgetKeyPatch
) -> WidgetKeyOut:
    """A merge patch (app/kit/merge_patch.py): origins checked as when issued, the agent by slug; the next request
    with the key, on any instance, meets the new settings. A revoked key stays as it was revoked."""
    row = await repository.key_or_404(db, WidgetKey, caller.tenant, key_id, lock=True)
    if row.revoked_at is not None:
        raise Problem("not-found", "No such live key (a revoked widget key cannot be changed; issue a new one).")
    before = widget_key_out(row)
    sent = patch.model_dump(exclude_unset=True)
    changes = {name: sent[name] for name in ("label", *LIMITS) if name in sent}
    if "allowed_origins" in sent:
        changes["allowed_origins"] = allow_list(sent["allowed_origins"])
    if "agent" in sent:
        changes["agent_id"] = await _agent_id(db, caller, sent["agent"])
    await repository.change_widget_key(db, row, changes)
    await reload(db, row)
    after = widget_key_out(row)
    await record(db, caller, "widget_key.updated", "widget_key", row.id, before=before, after=after)
    return after


async def list_widget_keys(db: AsyncSession, caller: Principal) -> WidgetKeyList:
    return WidgetKeyList(items=[widget_key_out(k) for k in await repository.widget_keys(db, caller.tenant)])


async def get_widget_key(db: AsyncSession, caller: Principal, key_id: uuid.UUID) -> WidgetKeyOut:
    return widget_key_out(await repository.key_or_404(db, WidgetKey, caller.tenant, key_id))


async def revoke_widget_key(db: AsyncSession, caller: Principal, key_id: uuid.UUID) -> WidgetKeyOut:
    out = widget_key_out(await repository.revoke_key(db, WidgetKey, caller.tenant, key_id))
    await record(db, caller, "widget_key.revoked", "widget_key", key_id, after=out)
    return out


# --- Server keys ---


async def create_server_key(db: AsyncSession, caller: Principal, data: ApiKeyIn) -> ApiKeyCreated:
    row, key = await issue_server_key(db, caller.tenant, label=data.label, scopes=tuple(dict.fromkeys(data.scopes)))
    await reload(db, row)
    await record(db, caller, "api_key.created", "api_key", row.id, after=server_key_out(row))
    return server_key_created(row, key)


async def list_server_keys(db: AsyncSession, caller: Principal) -> ApiKeyList:
    return ApiKeyList(items=[server_key_out(k) for k in await repository.server_keys(db, caller.tenant)])


async def get_server_key(db: AsyncSession, caller: Principal, key_id: uuid.UUID) -> ApiKeyOut:
    return server_key_out(await repository.key_or_404(db, ApiKey, caller.tenant, key_id))


async def roll_server_key(db: AsyncSession, caller: Principal, key_id: uuid.UUID, grace_s: int) -> ApiKeyCreated:
    """A replacement with the same label and scopes; the old key works `grace_s` more seconds, so a backend can
    switch without downtime. Only a live key that was not rolled already can be rolled (one successor each)."""
    old = await repository.live_server_key_for_update(db, caller.tenant, key_id)
    if old is None or old.replaced_by is not None:
        raise Problem("not-found", "No such live key (revoked and already rolled keys cannot be rolled).")
    before = server_key_out(old)
    new, key = await issue_server_key(db, caller.tenant, label=old.label, scopes=tuple(old.scopes))
    await repository.mark_replaced(db, old, new, grace_s)
    await reload(db, new)
    await record(db, caller, "api_key.rolled", "api_key", old.id, before=before, after=server_key_out(old))
    return server_key_created(new, key)


async def revoke_server_key(db: AsyncSession, caller: Principal, key_id: uuid.UUID) -> ApiKeyOut:
    out = server_key_out(await repository.revoke_key(db, ApiKey, caller.tenant, key_id))
    await record(db, caller, "api_key.revoked", "api_key", key_id, after=out)
    return out
