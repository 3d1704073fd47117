"""Every statement on `sign_in_attempts` (identity's own table): a sign-in in progress, single use.

The admin sessions a sign-in ends in are auth's (app/auth/session_repository.py); users, memberships and tenants
are app/tenants'.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import SignInAttempt


async def save_attempt(
    db: AsyncSession,
    *,
    id_hash: str,
    provider: str,
    state: str,
    nonce: str,
    code_verifier: str,
    invitation_hash: str | None,
    next_path: str,
    ttl_s: int,
) -> None:
    """Stored when the transaction commits; expired attempts are deleted on the way (no sweeper needed)."""
    await db.execute(delete(SignInAttempt).where(SignInAttempt.expires_at < func.now()))
    db.add(
        SignInAttempt(
            id_hash=id_hash,
            provider=provider,
            state=state,
            nonce=nonce,
            code_verifier=code_verifier,
            invitation_hash=invitation_hash,
            next_path=next_path,
            expires_at=func.now() + timedelta(seconds=ttl_s),
        )
    )


async def take_attempt(db: AsyncSession, id_hash: str) -> SignInAttempt | None:
    """Deletes the attempt as it reads it (single use, right or wrong); None if unknown or expired."""
    return (
        await db.scalars(
            delete(SignInAttempt)
            .where(SignInAttempt.id_hash == id_hash, SignInAttempt.expires_at > func.now())
            .returning(SignInAttempt)
        )
    ).first()
