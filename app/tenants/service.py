"""Users, memberships and invitations: the rules. Services never commit; every query names its tenant.

Statements are in app/tenants/repository.py. Who may grant which role is auth's role matrix (app/auth/roles.py);
the last owner of a tenant can be neither demoted nor removed.
"""

from __future__ import annotations

import re
import secrets
import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.audit.service import record
from app.auth.principal import Principal
from app.auth.roles import may_grant
from app.db.engine import set_tenant, transaction
from app.errors import Problem
from app.kit.tokens import hash_token
from app.tenants import repository
from app.tenants.models import Invitation, Membership, Tenant, User
from app.tenants.schemas import (
    InvitationCreated,
    InvitationIn,
    InvitationList,
    InvitationOut,
    MemberList,
    MemberOut,
    TenantOut,
    TenantPatch,
)

INVITATION_PREFIX = "gr_inv_"
WORKSPACE = "'s workspace"  # a sign-up's tenant: "<name>'s workspace"

USER_NAME_MAX = 200  # users.name


async def upsert_user(
    db: AsyncSession, *, issuer: str, subject: str, email: str | None, email_verified: bool, name: str | None
) -> User:
    """(issuer, subject) is the identity; email and name are refreshed at every sign-in, never used to match. A
    display name longer than the column keeps its first 200 characters: it is a label, not an identity."""
    name = name[:USER_NAME_MAX] if name else name
    return await repository.upsert_user(
        db, issuer=issuer, subject=subject, email=email, email_verified=email_verified, name=name
    )


async def memberships_of(db: AsyncSession, user_id: uuid.UUID) -> list[tuple[Membership, Tenant]]:
    """Across tenants: row-level security lets a transaction that names its user see that user's memberships."""
    return await repository.memberships_of(db, user_id)


def _slug(base: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:40] or "tenant"
    return f"{cleaned}-{secrets.token_hex(3)}"


async def create_tenant_for(db: AsyncSession, user: User) -> Tenant:
    """Self-serve sign-up: a new tenant with this user as its owner."""
    who = user.name or (user.email or "").split("@")[0] or "My"
    # The name holds 200 characters: shorten the user's name, never the suffix (a name of 200 lost it whole).
    tenant = await repository.insert_tenant(db, name=f"{who[: 200 - len(WORKSPACE)]}{WORKSPACE}", slug=_slug(who))
    await set_tenant(db, tenant.id)
    await repository.insert_membership(db, tenant.id, user.id, "owner")
    return tenant


def _owners_only(actor_role: str | None, detail: str) -> Problem:
    """Refused like any other call: `insufficient-role` for a signed-in member, `insufficient-scope` for a server key
    (`None`), which acts as an admin and so never makes or unmakes an owner (docs/security.md)."""
    if actor_role is None:
        return Problem("insufficient-scope", detail + " A server key acts as an admin: a signed-in owner must do this.")
    return Problem("insufficient-role", detail)


async def create_invitation(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    email: str,
    role: str,
    ttl_s: int,
    actor_role: str | None,
    invited_by: uuid.UUID | None,
) -> tuple[Invitation, str]:
    """Returns the row and the token, which is shown once; only its hash is stored."""
    if not may_grant(actor_role, role):
        raise _owners_only(actor_role, "Only an owner may invite an owner.")
    token = INVITATION_PREFIX + secrets.token_urlsafe(32)
    row = await repository.insert_invitation(
        db, tenant_id, email=email.strip(), role=role, token_hash=hash_token(token), invited_by=invited_by, ttl_s=ttl_s
    )
    return row, token


async def pending_invitation(db: AsyncSession, token_hash: str, *, lock: bool = False) -> tuple[Invitation, Tenant]:
    """Looked up by the token's hash alone (the bearer does not know the tenant yet): a SECURITY DEFINER
    function names the tenant, then the usual tenant-scoped read."""
    tenant_id = await repository.invitation_tenant(db, token_hash)
    if tenant_id is not None:
        await set_tenant(db, tenant_id)
    found = await repository.pending_invitation(db, token_hash, lock=lock)
    if found is None:
        raise Problem(
            "invitation-invalid", "Ask for a new invitation: this one was used, revoked, has expired or never existed."
        )
    return found


async def invitation_for_page(db_sessions: async_sessionmaker[AsyncSession], token: str) -> tuple[Invitation, Tenant]:
    """The invitation behind an invite link, read in a transaction of its own (the landing page has no caller)."""
    async with transaction(db_sessions) as db:
        return await pending_invitation(db, hash_token(token))


async def accept_invitation(db: AsyncSession, token_hash: str, user: User) -> uuid.UUID:
    """Single use, and only for the verified email it was sent to. An existing membership keeps its role."""
    invitation, tenant = await pending_invitation(db, token_hash, lock=True)
    if not (user.email_verified and user.email and user.email.strip().lower() == invitation.email.lower()):
        raise Problem(
            "invitation-email-mismatch",
            "This invitation is for another email address; sign in with the account that has it (verified).",
        )
    await repository.insert_membership_unless_member(db, tenant.id, user.id, invitation.role)
    await repository.mark_accepted(db, invitation, user.id)
    return tenant.id


async def change_role(
    db: AsyncSession, tenant_id: uuid.UUID, member_id: uuid.UUID, role: str | None, *, actor_role: str | None
) -> Membership | None:
    """Change a member's role (`role`) or remove them (`None`). Returns the row, or None once removed."""
    member = await repository.membership_for_update(db, tenant_id, member_id)
    if member is None:
        raise Problem("not-found", "No such member.")
    if not may_grant(actor_role, member.role) or (role is not None and not may_grant(actor_role, role)):
        raise _owners_only(actor_role, "Only an owner may make, change or remove an owner.")
    if member.role == "owner" and role != "owner" and len(await repository.lock_owners(db, tenant_id)) <= 1:
        raise Problem("last-owner", "Make someone else an owner first.")
    if role is None:
        await repository.delete_membership(db, member)
        return None
    await repository.set_role(db, member, role)
    return member


# --- The admin API's answers (/v1/members, /v1/invitations), audited in the caller's transaction ---


def member_out(m: Membership, u: User) -> MemberOut:
    return MemberOut(
        id=m.id, user_id=u.id, email=u.email, name=u.name, issuer=u.issuer, role=m.role, created_at=m.created_at
    )


def invitation_out(row: Invitation) -> InvitationOut:
    return InvitationOut.model_validate(row, from_attributes=True)


async def _member_or_none(db: AsyncSession, tenant_id: uuid.UUID, member_id: uuid.UUID) -> MemberOut | None:
    found = await repository.member(db, tenant_id, member_id)
    return member_out(*found) if found else None


async def list_members(db: AsyncSession, caller: Principal) -> MemberList:
    return MemberList(items=[member_out(m, u) for m, u in await repository.members(db, caller.tenant)])


async def change_member_role(db: AsyncSession, caller: Principal, member_id: uuid.UUID, role: str) -> MemberOut:
    """A signed-in admin acts with their role; a server key with `admin` scope as an admin (never as an owner)."""
    before = await _member_or_none(db, caller.tenant, member_id)
    member = await change_role(db, caller.tenant, member_id, role, actor_role=caller.role)
    assert member is not None  # a role was given: the member stays
    after = member_out(member, await repository.user(db, member.user_id))
    await record(db, caller, "member.role_changed", "member", member_id, before=before, after=after)
    return after


async def remove_member(db: AsyncSession, caller: Principal, member_id: uuid.UUID) -> None:
    """Their sessions lose access to this tenant at once (roles are read on every request)."""
    before = await _member_or_none(db, caller.tenant, member_id)
    await change_role(db, caller.tenant, member_id, None, actor_role=caller.role)
    await record(db, caller, "member.removed", "member", member_id, before=before)


async def invite(
    db: AsyncSession, caller: Principal, data: InvitationIn, *, ttl_s: int, public_url: str
) -> InvitationCreated:
    row, token = await create_invitation(
        db,
        caller.tenant,
        email=data.email,
        role=data.role,
        ttl_s=ttl_s,
        actor_role=caller.role,
        invited_by=caller.user_id,
    )
    out = invitation_out(row)
    await record(db, caller, "invitation.created", "invitation", row.id, after=out)
    return InvitationCreated(**out.model_dump(), url=f"{public_url.rstrip('/')}/auth/invitations/{token}")


async def list_invitations(db: AsyncSession, caller: Principal) -> InvitationList:
    return InvitationList(items=[invitation_out(i) for i in await repository.invitations(db, caller.tenant)])


async def revoke_invitation(db: AsyncSession, caller: Principal, invitation_id: uuid.UUID) -> InvitationOut:
    """Revoking an accepted or revoked invitation changes nothing (and records nothing)."""
    row = await repository.invitation_for_update(db, caller.tenant, invitation_id)
    if row is None:
        raise Problem("not-found", "No such invitation.")
    if row.revoked_at is None and row.accepted_at is None:
        await repository.mark_revoked(db, row)
        await record(db, caller, "invitation.revoked", "invitation", row.id, after=invitation_out(row))
    return invitation_out(row)


# --- The tenant's own settings (/v1/tenant) ---


def tenant_out(t: Tenant) -> TenantOut:
    return TenantOut.model_validate(t, from_attributes=True)


async def tenant_settings(db: AsyncSession, caller: Principal) -> TenantOut:
    return tenant_out(await repository.tenant(db, caller.tenant))


async def change_tenant(db: AsyncSession, caller: Principal, patch: TenantPatch) -> TenantOut:
    """A merge patch of what the tenant's admins may change (its name); audited when something changed."""
    tenant = await repository.tenant(db, caller.tenant, lock=True)
    before = tenant_out(tenant)
    sent = patch.model_dump(exclude_unset=True)
    if "name" in sent and sent["name"].strip(" ") != tenant.name:
        await repository.rename_tenant(db, tenant, sent["name"].strip(" "))
        after = tenant_out(tenant)
        await record(db, caller, "tenant.updated", "tenant", tenant.id, before=before, after=after)
        return after
    return before
