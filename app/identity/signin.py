"""What a verified identity becomes: a user, perhaps a membership (invitation) or a new tenant (sign-up)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Problem
from app.identity.oidc import Identity
from app.settings import Settings
from app.tenants.models import User
from app.tenants.service import (
    accept_invitation,
    create_tenant_for,
    memberships_of,
    upsert_user,
)


def is_operator(settings: Settings, user: User) -> bool:
    return f"{user.issuer}#{user.subject}" in settings.operator_accounts


async def complete_sign_in(
    db: AsyncSession, settings: Settings, identity: Identity, invitation_hash: str | None
) -> tuple[User, uuid.UUID | None]:
    """Returns the user and the tenant to start in. Raises (and so rolls everything back) on a refused sign-in."""
    user = await upsert_user(
        db,
        issuer=identity.issuer,
        subject=identity.subject,
        email=identity.email,
        email_verified=identity.email_verified,
        name=identity.name,
    )
    if invitation_hash:
        return user, await accept_invitation(db, invitation_hash, user)
    members = await memberships_of(db, user.id)
    if members:
        return user, members[0][0].tenant_id
    if is_operator(settings, user):
        return user, None  # operators need no tenant of their own
    if not settings.signup_enabled:
        raise Problem(
            "signup-disabled", "This Greenroom does not take new sign-ups. Ask a tenant's owner for an invitation."
        )
    return user, (await create_tenant_for(db, user)).id
