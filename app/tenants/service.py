"""Users, memberships and invitations: the rules. Services never commit; every query names its tenant."""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.roles import may_grant
from app.db.engine import set_tenant
from app.errors import Problem
from app.kit.tokens import hash_token
from app.tenants.models import Invitation, Membership, Tenant, User

INVITATION_PREFIX = "gr_inv_"


async def upsert_user(
    db: AsyncSession, *, issuer: str, subject: str, email: str | None, email_verified: bool, name: str | None
) -> User:
    """(issuer, subject) is the identity; email and name are refreshed at every sign-in, never used to match."""
    stmt = (
        insert(User)
        .values(
            id=uuid.uuid4(),
            issuer=issuer,
            subject=subject,
            email=email,
            email_verified=email_verified,
            name=name,
            last_sign_in_at=func.now(),
        )
        .on_conflict_do_update(
            constraint="uq_users_issuer_subject",
            set_={"email": email, "email_verified": email_verified, "name": name, "last_sign_in_at": func.now()},
        )
        .returning(User)
    )
    return (await db.scalars(stmt, execution_options={"populate_existing": True})).one()


async def memberships_of(db: AsyncSession, user_id: uuid.UUID) -> list[tuple[Membership, Tenant]]:
    """Across tenants: row-level security lets a transaction that names its user see that user's memberships."""
    await db.execute(text("select set_config('app.user_id', :u, true)"), {"u": str(user_id)})
    rows = await db.execute(
        select(Membership, Tenant)
        .join(Tenant, Tenant.id == Membership.tenant_id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at, Tenant.name)
    )
    return [(m, t) for m, t in rows]


def _slug(base: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:40] or "tenant"
    return f"{cleaned}-{secrets.token_hex(3)}"


async def create_tenant_for(db: AsyncSession, user: User) -> Tenant:
    """Self-serve sign-up: a new tenant with this user as its owner."""
    who = user.name or (user.email or "").split("@")[0] or "My"
    tenant = Tenant(name=f"{who}'s workspace"[:200], slug=_slug(who))
    db.add(tenant)
    await db.flush()
    await set_tenant(db, tenant.id)
    db.add(Membership(tenant_id=tenant.id, user_id=user.id, role="owner"))
    await db.flush()
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
    row = Invitation(
        tenant_id=tenant_id,
        email=email.strip(),
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=func.now() + timedelta(seconds=ttl_s),
    )
    db.add(row)
    await db.flush()
    await db.refresh(row)
    return row, token


async def pending_invitation(db: AsyncSession, token_hash: str, *, lock: bool = False) -> tuple[Invitation, Tenant]:
    """Looked up by the token's hash alone (the bearer does not know the tenant yet): a SECURITY DEFINER
    function names the tenant, then the usual tenant-scoped read."""
    tenant_id = await db.scalar(text("select greenroom_invitation_tenant(:h)"), {"h": token_hash})
    if tenant_id is not None:
        await set_tenant(db, tenant_id)
    stmt = (
        select(Invitation, Tenant)
        .join(Tenant, Tenant.id == Invitation.tenant_id)
        .where(
            Invitation.token_hash == token_hash,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > func.now(),
        )
    )
    row = (await db.execute(stmt.with_for_update(of=Invitation) if lock else stmt)).first()
    if row is None:
        raise Problem(
            "invitation-invalid", "Ask for a new invitation: this one was used, revoked, has expired or never existed."
        )
    return row[0], row[1]


async def accept_invitation(db: AsyncSession, token_hash: str, user: User) -> uuid.UUID:
    """Single use, and only for the verified email it was sent to. An existing membership keeps its role."""
    invitation, tenant = await pending_invitation(db, token_hash, lock=True)
    if not (user.email_verified and user.email and user.email.strip().lower() == invitation.email.lower()):
        raise Problem(
            "invitation-email-mismatch",
            "This invitation is for another email address; sign in with the account that has it (verified).",
        )
    await db.execute(
        insert(Membership)
        .values(id=uuid.uuid4(), tenant_id=tenant.id, user_id=user.id, role=invitation.role)
        .on_conflict_do_nothing(constraint="uq_memberships_tenant_user")
    )
    invitation.accepted_at = func.now()
    invitation.accepted_by = user.id
    await db.flush()
    return tenant.id


async def change_role(
    db: AsyncSession, tenant_id: uuid.UUID, member_id: uuid.UUID, role: str | None, *, actor_role: str | None
) -> Membership | None:
    """Change a member's role (`role`) or remove them (`None`). Returns the row, or None once removed."""
    member = await db.scalar(
        select(Membership).where(Membership.tenant_id == tenant_id, Membership.id == member_id).with_for_update()
    )
    if member is None:
        raise Problem("not-found", "No such member.")
    if not may_grant(actor_role, member.role) or (role is not None and not may_grant(actor_role, role)):
        raise _owners_only(actor_role, "Only an owner may make, change or remove an owner.")
    if member.role == "owner" and role != "owner":
        # Lock every owner row of the tenant: two owners demoting each other at once cannot both succeed.
        owners = (
            await db.scalars(
                select(Membership.id)
                .where(Membership.tenant_id == tenant_id, Membership.role == "owner")
                .with_for_update()
            )
        ).all()
        if len(owners) <= 1:
            raise Problem("last-owner", "Make someone else an owner first.")
    if role is None:
        await db.delete(member)
        await db.flush()
        return None
    member.role = role
    await db.flush()
    return member
