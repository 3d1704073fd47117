"""Provider keys: verified, sealed, stored, listed, deleted, opened for one upstream call, marked invalid when the
provider refuses one. Plaintext exists only in memory, briefly; it never reaches SQL, a log or an answer.

With app/vault/repository.py, the only writer of `provider_credentials` besides the master-key rotation (rotate.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, func
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.audit.service import record
from app.auth.principal import Principal
from app.db.engine import transaction
from app.errors import Problem
from app.upstream import Upstreams
from app.vault import repository
from app.vault.crypto import Sealed, Vault, VaultError, fingerprint, last4
from app.vault.models import PROVIDERS, ProviderCredential
from app.vault.repository import SealedRow
from app.vault.schemas import CredentialIn, CredentialList, CredentialOut
from app.vault.verify import verify


def credential_out(row: ProviderCredential, detail: str | None = None) -> CredentialOut:
    return CredentialOut.model_validate(row, from_attributes=True).model_copy(update={"detail": detail})


async def save_credential(
    sessions: async_sessionmaker[AsyncSession],
    vault: Vault,
    upstreams: Upstreams,
    caller: Principal,
    data: CredentialIn,
) -> CredentialOut:
    """Verify the key with its provider (no transaction held over that call), then store it sealed and audit it.

    A key the provider rejects is not saved; one it could not check is saved as `unverified`, and `detail` says why.
    """
    secret = data.secret.get_secret_value()
    verdict = await verify(upstreams, data.provider, secret)
    if verdict.status == "invalid":
        raise Problem("credential-invalid", verdict.detail, provider=data.provider)
    async with transaction(sessions, caller.tenant) as db:
        row = await store_credential(
            db,
            vault,
            tenant_id=caller.tenant,
            provider=data.provider,
            secret=secret,
            label=data.label,
            status=verdict.status,
        )
        await db.refresh(row)
        out = credential_out(row, verdict.detail)
        await record(db, caller, "credential.saved", "credential", row.id, after=out)
        return out


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
    existing = await repository.by_label(db, tenant_id, provider, label)
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


async def list_credentials(db: AsyncSession, tenant_id: uuid.UUID) -> CredentialList:
    return CredentialList(items=[credential_out(r) for r in await repository.of_tenant(db, tenant_id)])


async def get_credential(db: AsyncSession, tenant_id: uuid.UUID, credential_id: uuid.UUID) -> CredentialOut:
    return credential_out(await repository.get_or_404(db, tenant_id, credential_id))


async def delete_credential(db: AsyncSession, caller: Principal, credential_id: uuid.UUID) -> None:
    """Sessions already running keep going; new ones of agents that need this provider get 409."""
    row = await repository.get_or_404(db, caller.tenant, credential_id)
    await record(db, caller, "credential.deleted", "credential", row.id, before=credential_out(row))
    await db.delete(row)


async def load_credentials(db: AsyncSession, tenant_id: uuid.UUID, providers: list[str]) -> dict[str, SealedRow]:
    """The newest credential per provider, still encrypted (plain rows: this is on every session's path)."""
    found: dict[str, SealedRow] = {}
    for row in await repository.newest_first(db, tenant_id, providers):
        found.setdefault(row.provider, row)
    return found


async def mark_invalid(
    db: AsyncSession, tenant_id: uuid.UUID, credential_id: uuid.UUID
) -> Row[*tuple[Any, ...]] | None:
    """The provider refused this key: mark it `invalid`, in the caller's transaction. The row's (provider, label,
    last4) when this changed its status, None when it was invalid already (or is gone)."""
    return await repository.mark_invalid(db, tenant_id, credential_id)


def reveal(vault: Vault, cred: SealedRow | ProviderCredential) -> str:
    """Decrypt outside any transaction, just before the upstream call that needs it."""
    sealed = Sealed(cred.ciphertext, cred.nonce, cred.wrapped_key, cred.key_nonce, cred.master_key_version)
    try:
        return vault.open(sealed, tenant_id=cred.tenant_id, record_id=cred.id, provider=cred.provider)
    except VaultError as exc:
        raise Problem("credential-unreadable", f"The stored {cred.provider} key could not be decrypted: {exc}") from exc
