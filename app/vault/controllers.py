"""`/v1/credentials`: tenants' provider keys, write-only."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.audit.service import record
from app.auth.dependencies import ADMIN_PROBLEMS, Caller, TenantTx
from app.broker.service import Broker
from app.db.engine import transaction
from app.db.rows import owned_or_404
from app.errors import Problem, problem_responses
from app.kit import api_docs
from app.vault.models import ProviderCredential
from app.vault.schemas import CredentialIn, CredentialList, CredentialOut
from app.vault.service import store_credential
from app.vault.verify import verify


def _out(row: ProviderCredential, detail: str | None = None) -> CredentialOut:
    return CredentialOut(
        id=row.id,
        provider=row.provider,
        label=row.label,
        last4=row.last4,
        fingerprint=row.fingerprint,
        status=row.status,
        verified_at=row.verified_at,
        created_at=row.created_at,
        detail=detail,
    )


class CredentialsController(Controller):
    path = "/v1/credentials"
    security = api_docs.TENANT
    tags = ["Credentials"]

    @post(
        "/",
        status_code=201,
        summary="Save a provider key",
        description="Verifies the key with the provider first (a harmless call), then stores it encrypted. A key the "
        "provider rejects is not saved (422, explained). If the provider cannot be reached, the key is saved as "
        "`unverified` and `detail` says why. Saving the same provider and label again replaces the key.",
        responses=problem_responses(*ADMIN_PROBLEMS, "credential-invalid"),
    )
    async def save(
        self,
        caller_admin: Caller,
        broker: NamedDependency[Broker],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
        data: JSONBody[CredentialIn],
    ) -> CredentialOut:
        # Authenticated (in its own transaction) before any upstream call: we are no key-checking oracle.
        caller = caller_admin
        secret = data.secret.get_secret_value()
        verdict = await verify(broker.upstreams, data.provider, secret)
        if verdict.status == "invalid":
            raise Problem("credential-invalid", verdict.detail, provider=data.provider)
        async with transaction(db_sessions, caller.tenant) as db:
            row = await store_credential(
                db,
                broker.vault,
                tenant_id=caller.tenant,
                provider=data.provider,
                secret=secret,
                label=data.label,
                status=verdict.status,
            )
            await db.refresh(row)
            out = _out(row, verdict.detail)
            await record(db, caller, "credential.saved", "credential", row.id, after=out)
            return out

    @get("/", summary="List provider keys", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_credentials(self, tx_admin: TenantTx) -> CredentialList:
        db, caller = tx_admin
        rows = await db.scalars(
            select(ProviderCredential)
            .where(ProviderCredential.tenant_id == caller.tenant)
            .order_by(ProviderCredential.provider, ProviderCredential.label)
        )
        return CredentialList(items=[_out(r) for r in rows])

    @get(
        "/{credential_id:uuid}",
        summary="Get a provider key's metadata",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def get_credential(self, tx_admin: TenantTx, credential_id: FromPath[uuid.UUID]) -> CredentialOut:
        db, caller = tx_admin
        return _out(await owned_or_404(db, ProviderCredential, caller.tenant, credential_id, "credential"))

    @delete(
        "/{credential_id:uuid}",
        status_code=204,
        summary="Delete a provider key",
        description="Sessions already running are not affected; new sessions of agents that need it get 409.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def delete_credential(self, tx_admin: TenantTx, credential_id: FromPath[uuid.UUID]) -> None:
        db, caller = tx_admin
        row = await owned_or_404(db, ProviderCredential, caller.tenant, credential_id, "credential")
        await record(db, caller, "credential.deleted", "credential", row.id, before=_out(row))
        await db.delete(row)
