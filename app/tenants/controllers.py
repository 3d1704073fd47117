"""`/v1/members`, `/v1/invitations`, and the invitation landing page `/auth/invitations/{token}`."""

from __future__ import annotations

import html
import uuid
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from sqlalchemy import func, select

from app import api_docs
from app.access.guards import ADMIN_PROBLEMS, tenant_transaction
from app.access.keys import hash_token
from app.audit.service import record
from app.db.engine import transaction
from app.errors import Problem, problem_responses
from app.identity.pages import page, problem_page
from app.tenants.models import Invitation, Membership, User
from app.tenants.schemas import (
    InvitationCreated, InvitationIn, InvitationList, InvitationOut, MemberList, MemberOut, MemberPatch,
)
from app.tenants.service import change_role, create_invitation, pending_invitation


def _actor(caller: Any) -> tuple[str | None, uuid.UUID | None]:
    """A session caller acts with their role; a server key with `admin` scope acts as an admin (never as an owner)."""
    return getattr(caller, "role", None), getattr(caller, "user_id", None)


def _member_out(m: Membership, u: User) -> MemberOut:
    return MemberOut(id=m.id, user_id=u.id, email=u.email, name=u.name, issuer=u.issuer, role=m.role, created_at=m.created_at)


def _invitation_out(i: Invitation, **extra: Any) -> Any:
    model = InvitationCreated if extra else InvitationOut
    return model(id=i.id, email=i.email, role=i.role, expires_at=i.expires_at, accepted_at=i.accepted_at,
                 revoked_at=i.revoked_at, created_at=i.created_at, **extra)


async def _member(db: Any, tenant_id: uuid.UUID, member_id: uuid.UUID) -> MemberOut | None:
    row = (await db.execute(select(Membership, User).join(User, User.id == Membership.user_id)
                            .where(Membership.tenant_id == tenant_id, Membership.id == member_id))).first()
    return _member_out(*row) if row else None


class MembersController(Controller):
    path = "/v1/members"
    security = api_docs.TENANT
    tags = ["Members"]

    @get("/", summary="List members", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_members(self, request: Request) -> MemberList:
        async with tenant_transaction(request, "admin") as (db, caller):
            rows = await db.execute(select(Membership, User).join(User, User.id == Membership.user_id)
                                    .where(Membership.tenant_id == caller.tenant_id).order_by(Membership.created_at))
            return MemberList(items=[_member_out(m, u) for m, u in rows])

    @patch("/{member_id:uuid}", summary="Change a member's role",
           description="Only an owner may make or unmake an owner; the last owner cannot be demoted.",
           responses=problem_responses(*ADMIN_PROBLEMS, "not-found", "last-owner"))
    async def change(self, request: Request, member_id: FromPath[uuid.UUID], data: JSONBody[MemberPatch]) -> MemberOut:
        async with tenant_transaction(request, "admin") as (db, caller):
            before = await _member(db, caller.tenant_id, member_id)
            member = await change_role(db, caller.tenant_id, member_id, data.role, actor_role=_actor(caller)[0])
            assert member is not None
            after = _member_out(member, await db.get_one(User, member.user_id))
            await record(db, request, caller, "member.role_changed", "member", member_id, before=before, after=after)
            return after

    @delete("/{member_id:uuid}", status_code=204, summary="Remove a member",
            description="Their sessions lose access to this tenant at once. The last owner cannot be removed.",
            responses=problem_responses(*ADMIN_PROBLEMS, "not-found", "last-owner"))
    async def remove(self, request: Request, member_id: FromPath[uuid.UUID]) -> None:
        async with tenant_transaction(request, "admin") as (db, caller):
            before = await _member(db, caller.tenant_id, member_id)
            await change_role(db, caller.tenant_id, member_id, None, actor_role=_actor(caller)[0])
            await record(db, request, caller, "member.removed", "member", member_id, before=before)


class InvitationsController(Controller):
    path = "/v1/invitations"
    security = api_docs.TENANT
    tags = ["Members"]

    @post("/", status_code=201, summary="Invite someone by email",
          description="Answers the invite link once. It is single-use, expires, and only the invited (verified) email may accept it.",
          responses=problem_responses(*ADMIN_PROBLEMS))
    async def create(self, request: Request, data: JSONBody[InvitationIn]) -> InvitationCreated:
        settings = request.app.state.settings
        async with tenant_transaction(request, "admin") as (db, caller):
            role, user_id = _actor(caller)
            row, token = await create_invitation(db, caller.tenant_id, email=data.email, role=data.role,
                                                 ttl_s=settings.invitation_ttl_s, actor_role=role, invited_by=user_id)
            await record(db, request, caller, "invitation.created", "invitation", row.id, after=_invitation_out(row))
            return _invitation_out(row, url=f"{settings.public_url.rstrip('/')}/auth/invitations/{token}")

    @get("/", summary="List invitations", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_invitations(self, request: Request) -> InvitationList:
        async with tenant_transaction(request, "admin") as (db, caller):
            rows = await db.scalars(select(Invitation).where(Invitation.tenant_id == caller.tenant_id).order_by(Invitation.created_at))
            return InvitationList(items=[_invitation_out(i) for i in rows])

    @delete("/{invitation_id:uuid}", status_code=200, summary="Revoke an invitation",
            responses=problem_responses(*ADMIN_PROBLEMS, "not-found"))
    async def revoke(self, request: Request, invitation_id: FromPath[uuid.UUID]) -> InvitationOut:
        async with tenant_transaction(request, "admin") as (db, caller):
            row = await db.scalar(select(Invitation).where(Invitation.tenant_id == caller.tenant_id, Invitation.id == invitation_id)
                                  .with_for_update())
            if row is None:
                raise Problem("not-found", "No such invitation.")
            if row.revoked_at is None and row.accepted_at is None:
                row.revoked_at = await db.scalar(select(func.now()))
                await record(db, request, caller, "invitation.revoked", "invitation", row.id, after=_invitation_out(row))
            await db.flush()
            return _invitation_out(row)


@get("/auth/invitations/{token:str}", include_in_schema=False)
async def invitation_page(request: Request, token: FromPath[str]) -> Response[Any]:
    """The link in the invitation: says who invited whom to what, then signs in carrying the token."""
    try:
        async with transaction(request.app.state.sessions) as db:
            invitation, tenant = await pending_invitation(db, hash_token(token))
    except Problem as problem:
        return problem_page(request, problem)
    providers = request.app.state.settings.identity_providers
    links = "".join(f"<li><a class=button href='/auth/login/{quote(name)}?invitation={quote(token)}'>Sign in with "
                    f"{html.escape(cfg.display(name))}</a></li>" for name, cfg in providers.items())
    return page(f"Join {tenant.name}", f"<p>You are invited to <b>{html.escape(tenant.name)}</b> as "
                f"<b>{html.escape(invitation.role)}</b>. Sign in with the account whose verified email is "
                f"<b>{html.escape(invitation.email)}</b>.</p><ul>{links}</ul>")
