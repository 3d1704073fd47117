"""Signing in and out, and who is signed in: the flows behind /auth/*, free of HTTP.

Each flow opens its own short transactions, and never holds one over a call to the identity provider: the
authorization URL and the code exchange happen between them (docs/security.md describes the checks).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from authlib.common.security import generate_token
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.admin_sessions import (
    CsrfProof,
    csrf_token,
    load_session,
    parse_tenant,
    pick_tenant,
    revoke_session,
    start_session,
    verify_csrf,
)
from app.auth.principal import Client
from app.db.engine import transaction
from app.errors import Problem
from app.identity import repository
from app.identity.oidc import ProviderDirectory
from app.identity.schemas import DevHint, Me, MembershipOut, UserOut
from app.identity.signin import complete_sign_in
from app.kit.tokens import hash_token
from app.settings import Settings
from app.tenants.service import memberships_of
from app.vault.shape import DEV_SIMULATOR_PREFIXES


def safe_next(value: object) -> str:
    """Only same-site paths: `next` must never send a freshly signed-in browser elsewhere (open redirect). Browsers
    drop tabs and line breaks from a URL (`/<tab>/evil.example` is `//evil.example` to them): any control character
    is refused too."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return "/"
    return value


async def start_sign_in(
    db_sessions: async_sessionmaker[AsyncSession],
    providers: ProviderDirectory,
    settings: Settings,
    provider: str,
    *,
    next_path: str | None,
    invitation: str | None,
) -> tuple[str, str]:
    """(the provider's authorization URL, the attempt's id for the browser's cookie). PKCE S256, state, nonce."""
    providers.config(provider)
    raw, state, nonce, verifier = secrets.token_urlsafe(32), generate_token(32), generate_token(32), generate_token(64)
    url = await providers.authorization_url(provider, state=state, nonce=nonce, code_verifier=verifier)
    async with transaction(db_sessions) as db:
        await repository.save_attempt(
            db,
            id_hash=hash_token(raw),
            provider=provider,
            state=state,
            nonce=nonce,
            code_verifier=verifier,
            invitation_hash=hash_token(invitation) if invitation else None,
            next_path=safe_next(next_path),
            ttl_s=settings.sign_in_ttl_s,
        )
    return url, raw


async def finish_sign_in(
    db_sessions: async_sessionmaker[AsyncSession],
    providers: ProviderDirectory,
    settings: Settings,
    provider: str,
    answer: Mapping[str, str],
    *,
    attempt_raw: str | None,
    old_session: str | None,
    client: Client,
) -> tuple[str, str]:
    """The provider's answer (query parameters) → a verified identity → a new admin session.

    Returns (the new session's cookie value, where to send the browser). The attempt is used up whatever happens."""
    cfg = providers.config(provider)
    async with transaction(db_sessions) as db:
        attempt = await repository.take_attempt(db, hash_token(attempt_raw or ""))
    if (
        attempt is None
        or attempt.provider != provider
        or not secrets.compare_digest(attempt.state, answer.get("state") or "")
    ):
        raise Problem(
            "sign-in-state-mismatch",
            "Start again from the sign-in link (this answer does not match a "
            "sign-in started in this browser, or it took too long).",
        )
    if answer.get("error"):
        raise Problem("sign-in-failed", f"The provider said: {answer.get('error_description') or answer.get('error')}.")
    endpoints = await providers.endpoints(provider)
    iss = answer.get("iss")  # RFC 9207: mix-up defence when several providers are configured
    if (iss is not None and iss != cfg.issuer) or (iss is None and endpoints.iss_parameter):
        raise Problem("issuer-mismatch", f"This answer names issuer {iss!r}, not {cfg.issuer!r}.")
    if not answer.get("code"):
        raise Problem("sign-in-failed", "The provider sent no authorization code.")
    identity = await providers.exchange(
        provider, code=answer["code"], code_verifier=attempt.code_verifier, nonce=attempt.nonce
    )
    async with transaction(db_sessions) as db:
        user, tenant_id = await complete_sign_in(db, settings, identity, attempt.invitation_hash)
        if old_session:
            await revoke_session(db, old_session)
        new = await start_session(db, settings, user.id, tenant_id, client.ip, client.user_agent)
    return new, attempt.next_path


async def sign_out(
    db_sessions: async_sessionmaker[AsyncSession], settings: Settings, raw: str | None, proof: CsrfProof
) -> None:
    """Revokes a live session (CSRF-checked); an unknown or dead one needs no check and nothing happens."""
    async with transaction(db_sessions) as db:
        if raw and await load_session(db, settings, raw) is not None:
            verify_csrf(settings, raw, proof)
            await revoke_session(db, raw)


async def who_is_signed_in(db_sessions: async_sessionmaker[AsyncSession], settings: Settings, raw: str | None) -> Me:
    async with transaction(db_sessions) as db:
        return await _me(db, settings, raw)


async def choose_tenant(
    db_sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    raw: str | None,
    proof: CsrfProof,
    tenant_value: str,
) -> Me:
    """The session's active tenant, if the user is a member of it; answers the new /auth/me."""
    async with transaction(db_sessions) as db:
        loaded = await load_session(db, settings, raw)
        if loaded is None or raw is None:
            raise Problem("not-signed-in", "Sign in first.")
        verify_csrf(settings, raw, proof)
        tenant_id = parse_tenant(tenant_value)
        session, user = loaded
        if tenant_id is None or tenant_id not in {m.tenant_id for m, _ in await memberships_of(db, user.id)}:
            raise Problem("not-a-member", "You are not a member of this tenant.")
        await pick_tenant(db, session, tenant_id)
        return await _me(db, settings, raw)


async def _me(db: AsyncSession, settings: Settings, raw: str | None) -> Me:
    loaded = await load_session(db, settings, raw)
    if loaded is None or raw is None:
        raise Problem("not-signed-in", "Sign in at /.")
    session, user = loaded
    members = await memberships_of(db, user.id)
    active = session.active_tenant_id if any(m.tenant_id == session.active_tenant_id for m, _ in members) else None
    return Me(
        user=UserOut.model_validate(user, from_attributes=True),
        operator=user.account in settings.operator_accounts,
        active_tenant_id=active,
        csrf_token=csrf_token(settings, raw),
        dev_hint=dev_hint(settings),
        memberships=[
            MembershipOut(tenant_id=t.id, tenant_name=t.name, tenant_slug=t.slug, tenant_status=t.status, role=m.role)
            for m, t in members
        ],
    )


def dev_hint(settings: Settings) -> DevHint | None:
    """In dev mode only: the provider keys the dev stack's simulator takes, so the console can say so where keys are
    typed (a newcomer's own key would otherwise be refused as invalid)."""
    if not settings.dev_mode:
        return None
    examples = ", ".join(f"`{prefix}…` ({provider})" for provider, prefix in DEV_SIMULATOR_PREFIXES.items())
    return DevHint(
        simulator_key_prefixes=dict(DEV_SIMULATOR_PREFIXES),
        note="Development mode: the providers are a local simulator. It accepts the demo tenant's generated keys and "
        f"any key that starts with {examples} and goes on, e.g. `sk-dev-mine`; real keys are refused.",
    )
