"""`/v1/members`, `/v1/invitations`, and the invitation landing page `/auth/invitations/{token}`.

Rules and answers in app/tenants/service.py; each handler calls one of its functions.
"""

from __future__ import annotations

import html
import uuid
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.auth.dependencies import ADMIN_PROBLEMS, DbSessions, TenantTx
from app.errors import Problem, problem_responses
from app.kit import api_docs
from app.kit.html import page, problem_page
from app.settings import Settings
from app.tenants import service
from app.tenants.schemas import (
    InvitationCreated,
    InvitationIn,
    InvitationList,
    InvitationOut,
    MemberList,
    MemberOut,
    MemberPatch,
    TenantOut,
    TenantPatch,
)


class MembersController(Controller):
    path = "/v1/members"
    security = api_docs.TENANT
    tags = ["Members"]

    @get("/", summary="List members", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_members(self, tx_admin: TenantTx) -> MemberList:
        return await service.list_members(*tx_admin)

    @patch(
        "/{member_id:uuid}",
        summary="Change a member's role",
        description="Only an owner may make or unmake an owner; the last owner cannot be demoted.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found", "last-owner"),
    )
    async def change(
        self, tx_admin: TenantTx, member_id: FromPath[uuid.UUID], data: JSONBody[MemberPatch]
    ) -> MemberOut:
        return await service.change_member_role(*tx_admin, member_id, data.role)

    @delete(
        "/{member_id:uuid}",
        status_code=204,
        summary="Remove a member",
        description="Their sessions lose access to this tenant at once. The last owner cannot be removed.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found", "last-owner"),
    )
    async def remove(self, tx_admin: TenantTx, member_id: FromPath[uuid.UUID]) -> None:
        await service.remove_member(*tx_admin, member_id)


class InvitationsController(Controller):
    path = "/v1/invitations"
    security = api_docs.TENANT
    tags = ["Members"]

    @post(
        "/",
        status_code=201,
        summary="Invite someone by email",
        description="Answers the invite link once. It is single-use, expires, and only the invited (verified) email "
        "may accept it.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def create(
        self, tx_admin: TenantTx, settings: NamedDependency[Settings], data: JSONBody[InvitationIn]
    ) -> InvitationCreated:
        return await service.invite(*tx_admin, data, ttl_s=settings.invitation_ttl_s, public_url=settings.public_url)

    @get("/", summary="List invitations", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_invitations(self, tx_admin: TenantTx) -> InvitationList:
        return await service.list_invitations(*tx_admin)

    @delete(
        "/{invitation_id:uuid}",
        status_code=200,
        summary="Revoke an invitation",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def revoke(self, tx_admin: TenantTx, invitation_id: FromPath[uuid.UUID]) -> InvitationOut:
        return await service.revoke_invitation(*tx_admin, invitation_id)


class TenantController(Controller):
    path = "/v1/tenant"
    security = api_docs.TENANT
    tags = ["Tenant"]

    @get(
        "/",
        summary="This tenant: name, status and limits",
        description="The tenant the caller acts in: its name and slug, whether it is active or suspended, and the "
        "limits, minute budget and rounding the operator set. Readable by every role (`usage:read`), also while "
        "the tenant is suspended.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def get_tenant(self, tx_usage_read: TenantTx) -> TenantOut:
        return await service.tenant_settings(*tx_usage_read)

    @patch(
        "/",
        summary="Rename this tenant",
        description="A JSON merge patch of what the tenant's owners and admins may change: its `name` (1 to 200 "
        "characters, at least one visible, no control characters; spaces around it are dropped). The slug never "
        "changes; limits and budget are the operator's. Audited as `tenant.updated`.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def change_tenant(self, tx_admin: TenantTx, data: JSONBody[TenantPatch]) -> TenantOut:
        return await service.change_tenant(*tx_admin, data)


@get("/auth/invitations/{token:str}", include_in_schema=False)
async def invitation_page(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    db_sessions: DbSessions,
    token: FromPath[str],
) -> Response[Any]:
    """The link in the invitation: says who invited whom to what, then signs in carrying the token."""
    try:
        invitation, tenant = await service.invitation_for_page(db_sessions, token)
    except Problem as problem:
        return problem_page(request, problem)
    links = "".join(
        f"<li><a class=button href='/auth/login/{quote(name)}?invitation={quote(token)}'>Sign in with "
        f"{html.escape(cfg.display(name))}</a></li>"
        for name, cfg in settings.identity_providers.items()
    )
    return page(
        f"Join {tenant.name}",
        f"<p>You are invited to <b>{html.escape(tenant.name)}</b> as "
        f"<b>{html.escape(invitation.role)}</b>. Sign in with the account whose verified email is "
        f"<b>{html.escape(invitation.email)}</b>.</p><ul>{links}</ul>",
    )
