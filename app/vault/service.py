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
from app.upstream.errors import PROVIDER_NAMES
from app.vault import repository
from app.vault.crypto import Sealed, Vault, VaultError, fingerprint, last4
from app.vault.models import PROVIDERS, ProviderCredential
from app.vault.repository import SealedRow
from app.vault.schemas import CredentialIn, CredentialList, CredentialOut
from app.vault.shape import check_shape
from app.vault.verify import Verdict, verify

IN_USE_SHOWN = 10  # sessions a refused delete names


def credential_out(row: ProviderCredential, detail: str | None = None) -> CredentialOut:
    return CredentialOut.model_validate(row, from_attributes=True).model_copy(update={"detail": detail})


async def save_credential(
    sessions: async_sessionmaker[AsyncSession],
    vault: Vault,
    upstreams: Upstreams,
    caller: Principal,
    data: CredentialIn,
) -> CredentialOut:
    """Check the key's shape, verify it with its provider (no transaction held over that call), then store it sealed
    and audit it.

    A key that could never be sent, or that the provider rejects, is not saved. One the provider could not check is
    saved as `unverified` (and `detail` says why), except over a verified key of the same provider and label: that one
    stays in use, the new key is not saved, and the answer (upstream-timeout or upstream-error) says so.
    """
    secret = data.secret.get_secret_value()
    check_shape(data.provider, secret)
    verdict = await verify(upstreams, data.provider, secret)
    if verdict.status == "invalid":
        raise Problem("credential-invalid", verdict.detail, provider=data.provider)
    async with transaction(sessions, caller.tenant) as db:
        if verdict.status == "unverified":
            await _keep_a_verified_key(db, caller.tenant, data.provider, data.label, verdict)
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


async def _keep_a_verified_key(
    db: AsyncSession, tenant_id: uuid.UUID, provider: str, label: str, verdict: Verdict
) -> None:
    """An unchecked key never replaces a verified one: the unique (provider, label) leaves room for one key only."""
    existing = await repository.by_label(db, tenant_id, provider, label, lock=True)
    if existing is None or existing.status != "valid":
        return
    name = PROVIDER_NAMES[provider]
    what = "did not answer in time" if verdict.kind == "timeout" else "could not check the new key"
    raise Problem(
        "upstream-timeout" if verdict.kind == "timeout" else "upstream-error",
        f"{name} {what}, so it was not saved: the verified {name} key ending in {existing.last4} (label "
        f"`{label}`) stays in use. Save the new key again once {name} answers; it replaces the old one when {name} "
        "accepts it.",
        provider=provider,
    )


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
    """New sessions of agents that need this provider get 409. An Avaturn key is what ends sessions at the provider:
    it is not deleted while any session of the tenant has not ended there (409 `credential-in-use`, naming them).
    Greenroom does not record which of a tenant's Avaturn keys started a session, so any of them may be the one."""
    row = await repository.get_or_404(db, caller.tenant, credential_id, lock=True)
    if row.provider == "avaturn":
        waiting = await repository.sessions_not_ended_upstream(db, caller.tenant, limit=IN_USE_SHOWN + 1)
        if waiting:
            shown = ", ".join(str(s) for s in waiting[:IN_USE_SHOWN]) + (", ..." if len(waiting) > IN_USE_SHOWN else "")
            raise Problem(
                "credential-in-use",
                f"This Avaturn key may be the one that ends these sessions at Avaturn, which have not ended there yet: "
                f"{shown}. End them (DELETE /v1/sessions/{{id}}) and wait until Avaturn has acknowledged the end "
                "(`upstream_ended_at` set on the session, usually within seconds), then delete the key. To stop "
                "new sessions from using it now, save another Avaturn key: the newest one is used.",
                sessions=[str(s) for s in waiting[:IN_USE_SHOWN]],
            )
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
