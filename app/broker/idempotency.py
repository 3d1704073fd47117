"""`Idempotency-Key` on session creates, as Stripe does it, per principal.

The first request with a key claims it (in a short transaction committed before the broker's Tx 1 and any upstream
call); the answer it ends with, success or problem, is stored sealed by the vault (it holds session tokens). A replay
with the same body gets that answer again; the same key with another body is refused (422); a duplicate arriving
while the first is still running gets 409.

A record belongs to the exact principal that made it: the server key (its id) or the signed-in admin (their user
id), in its tenant. Another principal sending the same key value has a record of its own, so it can never be handed
someone else's answer, nor be refused because of someone else's request. The widget path refuses the header
(docs/decisions/0012-idempotency-keys.md): a publishable key names no caller an answer could belong to.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.broker.models import IDEMPOTENCY_PRINCIPALS, IdempotencyKey
from app.errors import Problem
from app.vault.crypto import Sealed, Vault

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Visible ASCII, spaces inside only (HTTP trims them at the ends): what the OpenAPI states, what is checked.
KEY_PATTERN = r"^[\x21-\x7e]([\x20-\x7e]{0,253}[\x21-\x7e])?$"
STALE_S = 120
PURPOSE = "idempotency"  # part of the associated data: a sealed answer can't pass for a provider key


@dataclass(frozen=True)
class Replay(Exception):
    """The stored answer of an earlier request with the same key and body, by the same principal."""

    status_code: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Owner:
    """Whose record a key names: the tenant, and the exact principal in it."""

    tenant_id: uuid.UUID
    kind: str  # IDEMPOTENCY_PRINCIPALS
    id: uuid.UUID  # api_keys.id or users.id


def not_accepted() -> Problem:
    """The widget path's answer to an `Idempotency-Key` (decision 0012: refused, not ignored, so a page that counts
    on it learns it cannot)."""
    return Problem(
        "invalid-request",
        f"{HEADER} is not accepted with a widget key: a publishable key identifies no caller a stored answer could be "
        "handed back to. Send the request without it; a widget session whose answer was lost ends by itself when "
        "its heartbeats stop.",
        errors=[{"key": HEADER, "source": "header", "message": "not accepted on this operation"}],
    )


def owner_of(caller: Principal) -> Owner:
    if caller.kind not in IDEMPOTENCY_PRINCIPALS:
        raise not_accepted()
    return Owner(caller.tenant, caller.kind, caller.actor_id)


def request_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _record_id(owner: Owner, key: str) -> uuid.UUID:
    """Part of the sealed answer's associated data: it opens only as this principal's record of this key."""
    return uuid.uuid5(owner.tenant_id, f"{owner.kind}:{owner.id}:{key}")


def _table() -> Any:
    return IdempotencyKey.__table__


def _mine(owner: Owner, key: str) -> Any:
    t = _table()
    return (
        (t.c.tenant_id == owner.tenant_id)
        & (t.c.principal_kind == owner.kind)
        & (t.c.principal_id == owner.id)
        & (t.c.key == key)
    )


def validate_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not re.fullmatch(KEY_PATTERN, key):
        raise Problem(
            "invalid-request",
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters (spaces only between them).",
            errors=[{"message": "1 to 255 visible ASCII characters", "key": HEADER, "source": "header"}],
        )
    return key


async def claim(db: AsyncSession, vault: Vault, caller: Principal, key: str, req_hash: str) -> None:
    """Claim the caller's key in the caller's transaction, or raise Replay / 409 / 422 for its earlier use of it."""
    owner = owner_of(caller)
    t = _table()
    # A claim left `in_progress` by a crashed request is taken over after STALE_S, so a key is never stuck.
    stale = (t.c.state == "in_progress") & (t.c.created_at < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, STALE_S))
    inserted = await db.scalar(
        insert(t)
        .values(
            tenant_id=owner.tenant_id, principal_kind=owner.kind, principal_id=owner.id, key=key, request_hash=req_hash
        )
        .on_conflict_do_update(
            index_elements=[t.c.tenant_id, t.c.principal_kind, t.c.principal_id, t.c.key],
            set_={"request_hash": req_hash, "created_at": func.now()},
            where=stale,
        )
        .returning(t.c.key)
    )
    if inserted is not None:
        return
    row = (await db.execute(select(t).where(_mine(owner, key)))).one()
    if row.request_hash != req_hash:
        raise Problem("idempotency-mismatch", f"You used this {HEADER} with a different request body.")
    if row.state != "done":
        raise Problem(
            "idempotency-in-progress",
            f"Your request with this {HEADER} is still running; retry shortly.",
            headers={"Retry-After": "1"},
        )
    sealed = Sealed(row.response, row.nonce, row.wrapped_key, row.key_nonce, row.master_key_version)
    body = json.loads(vault.open(sealed, tenant_id=owner.tenant_id, record_id=_record_id(owner, key), provider=PURPOSE))
    raise Replay(row.status_code, body)


async def finish(
    db: AsyncSession, vault: Vault, caller: Principal, key: str, status_code: int, body: dict[str, Any]
) -> None:
    owner = owner_of(caller)
    sealed = vault.seal(
        json.dumps(body, default=str), tenant_id=owner.tenant_id, record_id=_record_id(owner, key), provider=PURPOSE
    )
    await db.execute(
        update(_table())
        .where(_mine(owner, key))
        .values(
            state="done",
            status_code=status_code,
            response=sealed.ciphertext,
            nonce=sealed.nonce,
            wrapped_key=sealed.wrapped_key,
            key_nonce=sealed.key_nonce,
            master_key_version=sealed.master_key_version,
        )
    )
