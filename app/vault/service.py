"""Store and read provider keys, and mark one the provider refused; plaintext exists only in memory, briefly.

The only writer of `provider_credentials` besides the master-key rotation (app/vault/rotate.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Problem
from app.vault.crypto import Sealed, Vault, VaultError, fingerprint, last4
from app.vault.models import PROVIDERS, ProviderCredential


async def store_credential(
    db: AsyncSession,
    vault: Vault,
    *,
    tenant_id: uuid.UUID,
    provider: str,
    secret: str,
    label: str = "default",
    status: str = "unverified",
) -> ProviderCredential:
    """Save (or replace) the tenant's key for a provider under a label; the plaintext is sealed before SQL sees it."""
    if provider not in PROVIDERS:
        raise Problem("invalid-request", f"provider must be one of {', '.join(PROVIDERS)}")
    existing = await db.scalar(
        select(ProviderCredential).where(
            ProviderCredential.tenant_id == tenant_id,
            ProviderCredential.provider == provider,
            ProviderCredential.label == label,
        )
    )
    cred = existing or ProviderCredential(id=uuid.uuid4(), tenant_id=tenant_id, provider=provider, label=label)
    sealed = vault.seal(secret, tenant_id=tenant_id, record_id=cred.id, provider=provider)
    cred.ciphertext, cred.nonce = sealed.ciphertext, sealed.nonce
    cred.wrapped_key, cred.key_nonce = sealed.wrapped_key, sealed.key_nonce
    cred.master_key_version = sealed.master_key_version
    cred.last4, cred.fingerprint, cred.status = last4(secret), fingerprint(secret), status
    cred.verified_at = func.now() if status != "unverified" else None
    if existing is None:
        db.add(cred)
    await db.flush()
    return cred


SEALED_COLUMNS = (
    ProviderCredential.id,
    ProviderCredential.tenant_id,
    ProviderCredential.provider,
    ProviderCredential.ciphertext,
    ProviderCredential.nonce,
    ProviderCredential.wrapped_key,
    ProviderCredential.key_nonce,
    ProviderCredential.master_key_version,
)
SealedRow = Row[*tuple[Any, ...]]  # SEALED_COLUMNS of one credential, read by attribute


async def load_credentials(db: AsyncSession, tenant_id: uuid.UUID, providers: list[str]) -> dict[str, SealedRow]:
    """The newest credential per provider, still encrypted (plain rows: this is on every session's path)."""
    rows = await db.execute(
        select(*SEALED_COLUMNS)
        .where(ProviderCredential.tenant_id == tenant_id, ProviderCredential.provider.in_(providers))
        .order_by(ProviderCredential.updated_at.desc())
    )
    found: dict[str, SealedRow] = {}
    for row in rows:
        found.setdefault(row.provider, row)
    return found


# Only the change to `invalid` answers a row: a key refused on every retry of a job, or on every session start, is
# reported once. `updated_at` is left alone: it decides which of a tenant's keys for a provider is used.
_MARK_INVALID = text("""
    update provider_credentials set status = 'invalid', verified_at = clock_timestamp()
    where id = :id and tenant_id = :tenant_id and status <> 'invalid'
    returning provider, label, last4""")


async def mark_invalid(
    db: AsyncSession, tenant_id: uuid.UUID, credential_id: uuid.UUID
) -> Row[*tuple[Any, ...]] | None:
    """The provider refused this key: mark it `invalid`, in the caller's transaction. The row's (provider, label,
    last4) when this changed its status, None when it was invalid already (or is gone)."""
    return (await db.execute(_MARK_INVALID, {"id": credential_id, "tenant_id": tenant_id})).first()


def reveal(vault: Vault, cred: SealedRow | ProviderCredential) -> str:
    """Decrypt outside any transaction, just before the upstream call that needs it."""
    sealed = Sealed(cred.ciphertext, cred.nonce, cred.wrapped_key, cred.key_nonce, cred.master_key_version)
    try:
        return vault.open(sealed, tenant_id=cred.tenant_id, record_id=cred.id, provider=cred.provider)
    except VaultError as exc:
        raise Problem("credential-unreadable", f"The stored {cred.provider} key could not be decrypted: {exc}") from exc
