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
        description="First checks the key's shape: printable ASCII without spaces, with the provider's prefix where it "
        "has one (OpenAI `sk-`, Cartesia `sk_car_`); anything else could never be sent and is refused (422 "
        "`credential-malformed`, naming the field) before the provider is asked. Then verifies the key with the "
        "provider (a harmless call) and stores it encrypted. A key the provider rejects is not saved (422 "
        "`credential-invalid`, explained). If the provider cannot check it (timeout, 5xx), the key is saved as "
        "`unverified` and `detail` says why, except where it would replace a verified key of the same provider and "
        "label: then nothing is saved, the verified key stays in use and the answer (504 `upstream-timeout` or 502 "
        "`upstream-error`) says so; save it again once the provider answers. Saving the same provider and label "
        "again replaces the key.",
        responses=problem_responses(
            *ADMIN_PROBLEMS, "credential-malformed", "credential-invalid", "upstream-error", "upstream-timeout"
        ),
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
        description="New sessions of agents that need it get 409 `missing-credential`. An Avaturn key also ends "
        "sessions at Avaturn, and Greenroom does not record which of a tenant's Avaturn keys started a session: while "
        "any session of the tenant is live or its end has not yet been acknowledged by Avaturn, deleting an Avaturn "
        "key is refused (409 `credential-in-use`, naming those sessions in `sessions`). End them, wait for "
        "`upstream_ended_at`, then delete the key.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found", "credential-in-use"),
    )
    async def delete_credential(self, tx_admin: TenantTx, credential_id: FromPath[uuid.UUID]) -> None:
        db, caller = tx_admin
        await service.delete_credential(db, caller, credential_id)
