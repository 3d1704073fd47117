"""`Idempotency-Key` on session creates, as Stripe does it.

The first request with a key claims it (in Tx 1, committed before any upstream call); the answer it
ends with, success or problem, is stored sealed by the vault (it holds session tokens). A replay with
the same body gets that answer again; the same key with another body is refused (422); a duplicate
arriving while the first is still running gets 409. Keys are scoped to the tenant.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.broker.models import IdempotencyKey
from app.errors import Problem
from app.vault.crypto import Sealed, Vault

MAX_KEY_LENGTH = 255
STALE_S = 120
PURPOSE = "idempotency"  # part of the associated data: a sealed answer can't pass for a provider key


@dataclass(frozen=True)
class Replay(Exception):
    """The stored answer of an earlier request with the same key and body."""

    status_code: int
    body: dict[str, Any]


def request_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _record_id(tenant_id: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(tenant_id, key)


def _table() -> Any:
    return IdempotencyKey.__table__


def validate_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise Problem("invalid-request", f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters.")
    return key


async def claim(db: AsyncSession, vault: Vault, tenant_id: uuid.UUID, key: str, req_hash: str) -> None:
    """Claim the key in the caller's transaction, or raise Replay / 409 / 422 for an earlier use of it."""
    t = _table()
    # A claim left `in_progress` by a crashed request is taken over after STALE_S, so a key is never stuck.
    stale = (t.c.state == "in_progress") & (t.c.created_at < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, STALE_S))
    inserted = await db.scalar(
        insert(t)
        .values(tenant_id=tenant_id, key=key, request_hash=req_hash)
        .on_conflict_do_update(
            index_elements=[t.c.tenant_id, t.c.key],
            set_={"request_hash": req_hash, "created_at": func.now()},
            where=stale,
        )
        .returning(t.c.key)
    )
    if inserted is not None:
        return
    row = (await db.execute(select(t).where(t.c.tenant_id == tenant_id, t.c.key == key))).one()
    if row.request_hash != req_hash:
        raise Problem("idempotency-mismatch", "This Idempotency-Key was used with a different request body.")
    if row.state != "done":
        raise Problem(
            "idempotency-in-progress",
            "A request with this Idempotency-Key is still running; retry shortly.",
            headers={"Retry-After": "1"},
        )
    sealed = Sealed(row.response, row.nonce, row.wrapped_key, row.key_nonce, row.master_key_version)
    body = json.loads(vault.open(sealed, tenant_id=tenant_id, record_id=_record_id(tenant_id, key), provider=PURPOSE))
    raise Replay(row.status_code, body)


async def finish(
    db: AsyncSession, vault: Vault, tenant_id: uuid.UUID, key: str, status_code: int, body: dict[str, Any]
) -> None:
    sealed = vault.seal(
        json.dumps(body, default=str), tenant_id=tenant_id, record_id=_record_id(tenant_id, key), provider=PURPOSE
    )
    t = _table()
    await db.execute(
        update(t)
        .where(t.c.tenant_id == tenant_id, t.c.key == key)
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
