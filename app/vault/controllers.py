"""`/v1/credentials`: tenants' provider keys, write-only."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.dependencies import ADMIN_PROBLEMS, Caller, TenantTx
from app.errors import problem_responses
from app.kit import api_docs
from app.upstream import Upstreams
from app.vault import service
from app.vault.crypto import Vault
from app.vault.schemas import CredentialIn, CredentialList, CredentialOut


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
        vault: NamedDependency[Vault],
        upstreams: NamedDependency[Upstreams],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
        data: JSONBody[CredentialIn],
    ) -> CredentialOut:
        # Authenticated (in its own transaction) before any upstream call: we are no key-checking oracle.
        return await service.save_credential(db_sessions, vault, upstreams, caller_admin, data)

    @get("/", summary="List provider keys", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_credentials(self, tx_admin: TenantTx) -> CredentialList:
        db, caller = tx_admin
        return await service.list_credentials(db, caller.tenant)

    @get(
        "/{credential_id:uuid}",
        summary="Get a provider key's metadata",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def get_credential(self, tx_admin: TenantTx, credential_id: FromPath[uuid.UUID]) -> CredentialOut:
        db, caller = tx_admin
        return await service.get_credential(db, caller.tenant, credential_id)

    @delete(
        "/{credential_id:uuid}",
        status_code=204,
        summary="Delete a provider key",
        description="Sessions already running are not affected; new sessions of agents that need it get 409.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def delete_credential(self, tx_admin: TenantTx, credential_id: FromPath[uuid.UUID]) -> None:
        db, caller = tx_admin
        await service.delete_credential(db, caller, credential_id)
