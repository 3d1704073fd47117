"""`/v1/members`, `/v1/invitations`, and the invitation landing page `/auth/invitations/{token}`."""

from __future__ import annotations

import html
import uuid
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.audit.service import record
from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.auth.principal import Principal
from app.db.engine import transaction
from app.errors import Problem, problem_responses
from app.kit import api_docs
from app.kit.html import page, problem_page
from app.kit.tokens import hash_token
from app.settings import Settings
from app.tenants.models import Invitation, Membership, User
from app.tenants.schemas import (
    InvitationCreated,
    InvitationIn,
    InvitationList,
    InvitationOut,
    MemberList,
    MemberOut,
    MemberPatch,
)
from app.tenants.service import change_role, create_invitation, pending_invitation


def _actor(caller: Principal) -> tuple[str | None, uuid.UUID | None]:
    """A signed-in admin acts with their role; a server key with `admin` scope acts as an admin (never as an owner)."""
    return caller.role, caller.user_id


def _member_out(m: Membership, u: User) -> MemberOut:
    return MemberOut(
        id=m.id, user_id=u.id, email=u.email, name=u.name, issuer=u.issuer, role=m.role, created_at=m.created_at
    )


def _invitation_out(i: Invitation) -> InvitationOut:
    return InvitationOut.model_validate(i, from_attributes=True)


async def _member(db: Any, tenant_id: uuid.UUID, member_id: uuid.UUID) -> MemberOut | None:
    row = (
        await db.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id == tenant_id, Membership.id == member_id)
        )
    ).first()
    return _member_out(*row) if row else None


class MembersController(Controller):
    path = "/v1/members"
    security = api_docs.TENANT
    tags = ["Members"]

    @get("/", summary="List members", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_members(self, tx_admin: TenantTx) -> MemberList:
        db, caller = tx_admin
        rows = await db.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id == caller.tenant)
            .order_by(Membership.created_at)
        )
        return MemberList(items=[_member_out(m, u) for m, u in rows])

    @patch(
        "/{member_id:uuid}",
        summary="Change a member's role",
        description="Only an owner may make or unmake an owner; the last owner cannot be demoted.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found", "last-owner"),
    )
    async def change(
        self, tx_admin: TenantTx, member_id: FromPath[uuid.UUID], data: JSONBody[MemberPatch]
    ) -> MemberOut:
        db, caller = tx_admin
        before = await _member(db, caller.tenant, member_id)
        member = await change_role(db, caller.tenant, member_id, data.role, actor_role=_actor(caller)[0])
        assert member is not None
        after = _member_out(member, await db.get_one(User, member.user_id))
        await record(db, caller, "member.role_changed", "member", member_id, before=before, after=after)
        return after

    @delete(
        "/{member_id:uuid}",
        status_code=204,
        summary="Remove a member",
        description="Their sessions lose access to this tenant at once. The last owner cannot be removed.",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found", "last-owner"),
    )
    async def remove(self, tx_admin: TenantTx, member_id: FromPath[uuid.UUID]) -> None:
        db, caller = tx_admin
        before = await _member(db, caller.tenant, member_id)
        await change_role(db, caller.tenant, member_id, None, actor_role=_actor(caller)[0])
        await record(db, caller, "member.removed", "member", member_id, before=before)


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
        db, caller = tx_admin
        role, user_id = _actor(caller)
        row, token = await create_invitation(
            db,
            caller.tenant,
            email=data.email,
            role=data.role,
            ttl_s=settings.invitation_ttl_s,
            actor_role=role,
            invited_by=user_id,
        )
        await record(db, caller, "invitation.created", "invitation", row.id, after=_invitation_out(row))
        url = f"{settings.public_url.rstrip('/')}/auth/invitations/{token}"
        return InvitationCreated(**_invitation_out(row).model_dump(), url=url)

    @get("/", summary="List invitations", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_invitations(self, tx_admin: TenantTx) -> InvitationList:
        db, caller = tx_admin
        rows = await db.scalars(
            select(Invitation).where(Invitation.tenant_id == caller.tenant).order_by(Invitation.created_at)
        )
        return InvitationList(items=[_invitation_out(i) for i in rows])

    @delete(
        "/{invitation_id:uuid}",
        status_code=200,
        summary="Revoke an invitation",
        responses=problem_responses(*ADMIN_PROBLEMS, "not-found"),
    )
    async def revoke(self, tx_admin: TenantTx, invitation_id: FromPath[uuid.UUID]) -> InvitationOut:
        db, caller = tx_admin
        row = await db.scalar(
            select(Invitation)
            .where(Invitation.tenant_id == caller.tenant, Invitation.id == invitation_id)
            .with_for_update()
        )
        if row is None:
            raise Problem("not-found", "No such invitation.")
        if row.revoked_at is None and row.accepted_at is None:
            row.revoked_at = await db.scalar(select(func.now()))
            await record(db, caller, "invitation.revoked", "invitation", row.id, after=_invitation_out(row))
        await db.flush()
        return _invitation_out(row)


@get("/auth/invitations/{token:str}", include_in_schema=False)
async def invitation_page(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
    token: FromPath[str],
) -> Response[Any]:
    """The link in the invitation: says who invited whom to what, then signs in carrying the token."""
    try:
        async with transaction(db_sessions) as db:
            invitation, tenant = await pending_invitation(db, hash_token(token))
    except Problem as problem:
        return problem_page(request, problem)
    providers = settings.identity_providers
    links = "".join(
        f"<li><a class=button href='/auth/login/{quote(name)}?invitation={quote(token)}'>Sign in with "
        f"{html.escape(cfg.display(name))}</a></li>"
        for name, cfg in providers.items()
    )
    return page(
        f"Join {tenant.name}",
        f"<p>You are invited to <b>{html.escape(tenant.name)}</b> as "
        f"<b>{html.escape(invitation.role)}</b>. Sign in with the account whose verified email is "
        f"<b>{html.escape(invitation.email)}</b>.</p><ul>{links}</ul>",
    )
