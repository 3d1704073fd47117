"""Every statement on admin_sessions (auth's table), and the reads of users, memberships and tenants that signing in
and checking a signed-in caller need.

Users, memberships and tenants belong to app/tenants. Auth sits below the domains (the import rules), so it does not
import their models: the few columns it reads are named here as lightweight table clauses, which give the very SQL
the ORM would write. Read-only: app/tenants alone writes those tables.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, column, func, select, table, update
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import AdminSession

_users = table(
    "users",
    column("id", UUID(as_uuid=True)),
    column("issuer", String),
    column("subject", String),
    column("email", String),
    column("name", String),
)
_memberships = table(
    "memberships",
    column("tenant_id", UUID(as_uuid=True)),
    column("user_id", UUID(as_uuid=True)),
    column("role", String),
)
_tenants = table("tenants", column("id", UUID(as_uuid=True)), column("status", String))


@dataclass(frozen=True)
class SignedInUser:
    """The user behind an admin session, as auth reads it (never an email to match on: see docs/security.md)."""

    id: uuid.UUID
    issuer: str
    subject: str
    email: str | None
    name: str | None

    @property
    def account(self) -> str:
        """`<issuer>#<subject>`, as GREENROOM_OPERATOR_ACCOUNTS names operator accounts."""
        return f"{self.issuer}#{self.subject}"


async def insert_session(
    db: AsyncSession,
    *,
    id_hash: str,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID | None,
    absolute_s: int,
    ip: str | None,
    user_agent: str | None,
) -> None:
    now = func.now()
    db.add(
        AdminSession(
            id_hash=id_hash,
            user_id=user_id,
            active_tenant_id=tenant_id,
            last_seen_at=now,
            expires_at=now + timedelta(seconds=absolute_s),
            ip=ip,
            user_agent=user_agent,
        )
    )
    await db.flush()


async def revoke_session(db: AsyncSession, id_hash: str) -> None:
    await db.execute(
        update(AdminSession)
        .where(AdminSession.id_hash == id_hash, AdminSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


async def live_session(
    db: AsyncSession, id_hash: str, idle: timedelta
) -> tuple[AdminSession, SignedInUser, datetime] | None:
    """The session (not revoked, not past its absolute expiry, seen within `idle`), its user and the database's now."""
    row = (
        await db.execute(
            select(AdminSession, *_users.c, func.now().label("now"))
            .join(_users, _users.c.id == AdminSession.user_id)
            .where(
                AdminSession.id_hash == id_hash,
                AdminSession.revoked_at.is_(None),
                AdminSession.expires_at > func.now(),
                AdminSession.last_seen_at > func.now() - idle,
            )
        )
    ).first()
    if row is None:
        return None
    session, user_id, issuer, subject, email, name, now = row
    return session, SignedInUser(user_id, issuer, subject, email, name), now


async def touch_session(db: AsyncSession, session_id: uuid.UUID) -> None:
    await db.execute(update(AdminSession).where(AdminSession.id == session_id).values(last_seen_at=func.now()))


async def set_active_tenant(db: AsyncSession, session: AdminSession, tenant_id: uuid.UUID) -> None:
    session.active_tenant_id = tenant_id
    await db.flush()


async def membership_role(db: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> tuple[str, str] | None:
    """(role, tenant status) of the user in the tenant, or None. Needs the tenant set (row-level security)."""
    row = (
        await db.execute(
            select(_memberships.c.role, _tenants.c.status)
            .join(_tenants, _tenants.c.id == _memberships.c.tenant_id)
            .where(_memberships.c.tenant_id == tenant_id, _memberships.c.user_id == user_id)
        )
    ).first()
    return (row.role, row.status) if row else None
