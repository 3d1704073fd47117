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


async def by_label(db: AsyncSession, tenant_id: uuid.UUID, provider: str, label: str) -> ProviderCredential | None:
    return await db.scalar(select(C).where(C.tenant_id == tenant_id, C.provider == provider, C.label == label))


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
