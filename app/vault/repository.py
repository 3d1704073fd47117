"""The vault's queries on `provider_credentials`, its table (the master-key rotation's batches are in rotate.py).

One statement each, never a commit: the caller's transaction is the unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.rows import owned_or_404
from app.vault.models import ProviderCredential

C = ProviderCredential
# What a session needs of a key to decrypt it, and no more (plain rows: this is on every session's path).
SEALED_COLUMNS = (
    C.id,
    C.tenant_id,
    C.provider,
    C.ciphertext,
    C.nonce,
    C.wrapped_key,
    C.key_nonce,
    C.master_key_version,
)
SealedRow = Row[*tuple[Any, ...]]  # SEALED_COLUMNS of one credential, read by attribute


async def of_tenant(db: AsyncSession, tenant_id: uuid.UUID) -> Sequence[ProviderCredential]:
    """The tenant's keys by provider and label."""
    return (await db.scalars(select(C).where(C.tenant_id == tenant_id).order_by(C.provider, C.label))).all()


async def get_or_404(
    db: AsyncSession, tenant_id: uuid.UUID, credential_id: uuid.UUID, *, lock: bool = False
) -> ProviderCredential:
    return await owned_or_404(db, C, tenant_id, credential_id, "credential", lock=lock)


async def by_label(
    db: AsyncSession, tenant_id: uuid.UUID, provider: str, label: str, *, lock: bool = False
) -> ProviderCredential | None:
    query = select(C).where(C.tenant_id == tenant_id, C.provider == provider, C.label == label)
    return await db.scalar(query.with_for_update() if lock else query)


async def newest_first(db: AsyncSession, tenant_id: uuid.UUID, providers: list[str]) -> Sequence[SealedRow]:
    """The tenant's keys for these providers, still sealed, the most recently written first."""
    query = select(*SEALED_COLUMNS).where(C.tenant_id == tenant_id, C.provider.in_(providers))
    return (await db.execute(query.order_by(C.updated_at.desc()))).all()


# Only the change to `invalid` answers a row: a key refused on every retry of a job, or on every session start, is
# reported once. `updated_at` is left alone: it decides which of a tenant's keys for a provider is used.
_MARK_INVALID = text("""
    update provider_credentials set status = 'invalid', verified_at = clock_timestamp()
    where id = :id and tenant_id = :tenant_id and status <> 'invalid'
    returning provider, label, last4""")


async def mark_invalid(
    db: AsyncSession, tenant_id: uuid.UUID, credential_id: uuid.UUID
) -> Row[*tuple[Any, ...]] | None:
    return (await db.execute(_MARK_INVALID, {"id": credential_id, "tenant_id": tenant_id})).first()


# Sessions whose provider side may still be running: live ones, and ended ones whose `avaturn.delete_session` job is
# still trying (pending or running; a parked job has been given up on until an operator retries it). Read only:
# `sessions` is the broker's and `jobs` the queue's.
_NOT_ENDED_UPSTREAM = text("""
    select id from (
      select s.id, s.created_at from sessions s
      where s.tenant_id = :tenant_id and s.state in ('starting', 'active')
      union
      select s.id, s.created_at from jobs j join sessions s on s.id = (j.payload ->> 'session_id')::uuid
      where j.tenant_id = :tenant_id and s.tenant_id = :tenant_id and j.kind = 'avaturn.delete_session'
        and j.state in ('pending', 'running')
    ) waiting order by created_at, id limit :limit""")


async def sessions_not_ended_upstream(db: AsyncSession, tenant_id: uuid.UUID, *, limit: int) -> list[uuid.UUID]:
    return list((await db.scalars(_NOT_ENDED_UPSTREAM, {"tenant_id": tenant_id, "limit": limit})).all())
