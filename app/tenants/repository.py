"""Every statement on users, tenants, memberships and invitations: app/tenants owns them and is their only writer.

Auth reads users and memberships to authenticate a signed-in caller (app/auth/session_repository.py, read-only);
the operator changes a tenant's limits and status through its own service (app/operator).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.rows import reload
from app.tenants.models import Invitation, Membership, Tenant, User

# --- Users ---


async def upsert_user(
    db: AsyncSession, *, issuer: str, subject: str, email: str | None, email_verified: bool, name: str | None
) -> User:
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


async def user(db: AsyncSession, user_id: uuid.UUID) -> User:
    return await db.get_one(User, user_id)


# --- Tenants and memberships ---


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


async def tenant(db: AsyncSession, tenant_id: uuid.UUID, *, lock: bool = False) -> Tenant:
    query = select(Tenant).where(Tenant.id == tenant_id)
    return (await db.scalars(query.with_for_update() if lock else query)).one()


async def rename_tenant(db: AsyncSession, tenant: Tenant, name: str) -> None:
    tenant.name = name
    await db.flush()


async def insert_tenant(db: AsyncSession, *, name: str, slug: str) -> Tenant:
    tenant = Tenant(name=name, slug=slug)
    db.add(tenant)
    await db.flush()
    return tenant


async def insert_membership(db: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, role: str) -> None:
    db.add(Membership(tenant_id=tenant_id, user_id=user_id, role=role))
    await db.flush()


async def insert_membership_unless_member(
    db: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, role: str
) -> None:
    """An existing membership keeps its role."""
    await db.execute(
        insert(Membership)
        .values(id=uuid.uuid4(), tenant_id=tenant_id, user_id=user_id, role=role)
        .on_conflict_do_nothing(constraint="uq_memberships_tenant_user")
    )


async def members(db: AsyncSession, tenant_id: uuid.UUID) -> list[tuple[Membership, User]]:
    rows = await db.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant_id)
        .order_by(Membership.created_at)
    )
    return [(m, u) for m, u in rows]


async def member(db: AsyncSession, tenant_id: uuid.UUID, member_id: uuid.UUID) -> tuple[Membership, User] | None:
    row = (
        await db.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.tenant_id == tenant_id, Membership.id == member_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def membership_for_update(db: AsyncSession, tenant_id: uuid.UUID, member_id: uuid.UUID) -> Membership | None:
    return await db.scalar(
        select(Membership).where(Membership.tenant_id == tenant_id, Membership.id == member_id).with_for_update()
    )


async def lock_owners(db: AsyncSession, tenant_id: uuid.UUID) -> Sequence[uuid.UUID]:
    """Every owner row of the tenant, locked: two owners demoting each other at once cannot both succeed."""
    return (
        await db.scalars(
            select(Membership.id).where(Membership.tenant_id == tenant_id, Membership.role == "owner").with_for_update()
        )
    ).all()


async def set_role(db: AsyncSession, membership: Membership, role: str) -> None:
    membership.role = role
    await db.flush()


async def delete_membership(db: AsyncSession, membership: Membership) -> None:
    await db.delete(membership)
    await db.flush()


# --- Invitations ---


async def insert_invitation(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    email: str,
    role: str,
    token_hash: str,
    invited_by: uuid.UUID | None,
    ttl_s: int,
) -> Invitation:
    row = Invitation(
        tenant_id=tenant_id,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=func.now() + timedelta(seconds=ttl_s),
    )
    db.add(row)
    await db.flush()
    await reload(db, row)
    return row


async def invitation_tenant(db: AsyncSession, token_hash: str) -> uuid.UUID | None:
    """The tenant of an invitation known only by its token's hash (a SECURITY DEFINER function: the bearer does not
    know the tenant yet, and row-level security hides every invitation until it is set)."""
    tenant_id: uuid.UUID | None = await db.scalar(text("select greenroom_invitation_tenant(:h)"), {"h": token_hash})
    return tenant_id


async def pending_invitation(db: AsyncSession, token_hash: str, *, lock: bool) -> tuple[Invitation, Tenant] | None:
    """Not accepted, not revoked, not expired; with `lock`, the invitation row is locked (single use)."""
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
    return (row[0], row[1]) if row else None


async def mark_accepted(db: AsyncSession, invitation: Invitation, user_id: uuid.UUID) -> None:
    invitation.accepted_at = func.now()
    invitation.accepted_by = user_id
    await db.flush()


async def invitations(db: AsyncSession, tenant_id: uuid.UUID) -> Sequence[Invitation]:
    return (
        await db.scalars(select(Invitation).where(Invitation.tenant_id == tenant_id).order_by(Invitation.created_at))
    ).all()


async def invitation_for_update(db: AsyncSession, tenant_id: uuid.UUID, invitation_id: uuid.UUID) -> Invitation | None:
    return await db.scalar(
        select(Invitation).where(Invitation.tenant_id == tenant_id, Invitation.id == invitation_id).with_for_update()
    )


async def mark_revoked(db: AsyncSession, invitation: Invitation) -> None:
    invitation.revoked_at = await db.scalar(select(func.now()))
    await db.flush()
