"""Sign-in routes: `/auth/login/{provider}`, `/auth/callback/{provider}`, `/auth/logout`, `/auth/me`, `/auth/tenant`."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from authlib.common.security import generate_token
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.admin_sessions import (
    check_csrf,
    clear_cookie,
    csrf_token,
    load_session,
    make_cookie,
    parse_tenant,
    revoke_session,
    session_cookie,
    signin_cookie,
    start_session,
)
from app.db.engine import transaction
from app.errors import Problem, problem_responses
from app.identity.models import SignInAttempt
from app.identity.oidc import ProviderDirectory
from app.identity.schemas import Me, MembershipOut, UserOut
from app.identity.signin import complete_sign_in
from app.kit import api_docs
from app.kit.html import problem_page
from app.kit.tokens import hash_token
from app.settings import Settings
from app.tenants.service import memberships_of


def safe_next(value: str | None) -> str:
    """Only same-site paths: `next` must never send a freshly signed-in browser elsewhere (open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def read_form_or_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return dict(await request.form())
    body = await request.body()
    if not body:
        return {}
    data = await request.json()
    if not isinstance(data, dict):
        raise Problem("invalid-request", "Send a JSON object.")
    return data


class SignInController(Controller):
    path = "/auth"
    tags = ["Sign-in"]

    @get(
        "/login/{provider:str}",
        summary="Start signing in with a provider",
        status_code=302,
        description="Redirects to the provider (authorization code flow, PKCE S256, state bound to this browser, "
        "nonce). "
        "Optional query: `next` (a path here) and `invitation` (a token from an invite link).",
        responses=problem_responses("unknown-provider", "identity-provider-unavailable"),
        security=api_docs.PUBLIC,
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
        identity: NamedDependency[ProviderDirectory],
        provider: FromPath[str],
    ) -> Response[Any]:
        try:
            providers = identity
            providers.config(provider)
            raw, state, nonce, verifier = (
                secrets.token_urlsafe(32),
                generate_token(32),
                generate_token(32),
                generate_token(64),
            )
            url = await providers.authorization_url(provider, state=state, nonce=nonce, code_verifier=verifier)
        except Problem as problem:
            return problem_page(request, problem)
        invitation = request.query_params.get("invitation")
        async with transaction(db_sessions) as db:
            await db.execute(delete(SignInAttempt).where(SignInAttempt.expires_at < func.now()))  # tidy as we go
            db.add(
                SignInAttempt(
                    id_hash=hash_token(raw),
                    provider=provider,
                    state=state,
                    nonce=nonce,
                    code_verifier=verifier,
                    invitation_hash=hash_token(invitation) if invitation else None,
                    next_path=safe_next(request.query_params.get("next")),
                    expires_at=func.now() + timedelta(seconds=settings.sign_in_ttl_s),
                )
            )
        return Redirect(
            url,
            status_code=302,
            headers={"Cache-Control": "no-store"},
            cookies=[make_cookie(settings, signin_cookie(settings), raw, settings.sign_in_ttl_s)],
        )

    @get(
        "/callback/{provider:str}",
        summary="Where the provider sends the browser back",
        status_code=303,
        responses=problem_responses(
            "sign-in-state-mismatch",
            "sign-in-failed",
            "issuer-mismatch",
            "id-token-invalid",
            "signup-disabled",
            "invitation-invalid",
            "invitation-email-mismatch",
        ),
        security=api_docs.PUBLIC,
    )
    async def callback(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
        identity: NamedDependency[ProviderDirectory],
        provider: FromPath[str],
    ) -> Response[Any]:
        gone = clear_cookie(settings, signin_cookie(settings))
        try:
            return await self._callback(request, provider, settings, db_sessions, identity, gone)
        except Problem as problem:
            return problem_page(request, problem, cookies=[gone])

    async def _callback(
        self,
        request: Request[Any, Any, Any],
        provider: str,
        settings: NamedDependency[Settings],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
        providers: ProviderDirectory,
        gone: Any,
    ) -> Response[Any]:
        q = request.query_params
        cfg = providers.config(provider)
        raw = request.cookies.get(signin_cookie(settings))
        async with transaction(db_sessions) as db:  # single use: the attempt is gone whatever happens next
            attempt = (
                await db.scalars(
                    delete(SignInAttempt)
                    .where(SignInAttempt.id_hash == hash_token(raw or ""), SignInAttempt.expires_at > func.now())
                    .returning(SignInAttempt)
                )
            ).first()
        if (
            attempt is None
            or attempt.provider != provider
            or not secrets.compare_digest(attempt.state, q.get("state") or "")
        ):
            raise Problem(
                "sign-in-state-mismatch",
                "Start again from the sign-in link (this answer does not match a "
                "sign-in started in this browser, or it took too long).",
            )
        if q.get("error"):
            raise Problem("sign-in-failed", f"The provider said: {q.get('error_description') or q.get('error')}.")
        endpoints = await providers.endpoints(provider)
        iss = q.get("iss")  # RFC 9207: mix-up defence when several providers are configured
        if (iss is not None and iss != cfg.issuer) or (iss is None and endpoints.iss_parameter):
            raise Problem("issuer-mismatch", f"This answer names issuer {iss!r}, not {cfg.issuer!r}.")
        if not q.get("code"):
            raise Problem("sign-in-failed", "The provider sent no authorization code.")
        identity = await providers.exchange(
            provider, code=q["code"], code_verifier=attempt.code_verifier, nonce=attempt.nonce
        )
        async with transaction(db_sessions) as db:
            user, tenant_id = await complete_sign_in(db, settings, identity, attempt.invitation_hash)
            old = request.cookies.get(session_cookie(settings))
            if old:
                await revoke_session(db, old)
            new = await start_session(
                db,
                settings,
                user.id,
                tenant_id,
                request.client.host if request.client else None,
                request.headers.get("user-agent"),
            )
        cookie = make_cookie(settings, session_cookie(settings), new, settings.session_absolute_s)
        return Redirect(
            attempt.next_path, status_code=303, cookies=[cookie, gone], headers={"Cache-Control": "no-store"}
        )

    @post(
        "/logout",
        summary="Sign out",
        status_code=200,
        responses=problem_responses("csrf-failed"),
        description="Revokes the session. Needs the CSRF token (`X-CSRF-Token` or a `csrf_token` form field) and our "
        "Origin.",
        security=api_docs.SIGNED_IN_WRITE,
    )
    async def logout(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
    ) -> Response[Any]:
        raw = request.cookies.get(session_cookie(settings))
        form = await read_form_or_json(request)
        async with transaction(db_sessions) as db:
            if raw and await load_session(db, settings, raw) is not None:
                check_csrf(request, settings, raw, form.get("csrf_token"))
                await revoke_session(db, raw)
        gone = clear_cookie(settings, session_cookie(settings))
        if "csrf_token" in form:
            return Redirect("/", status_code=303, cookies=[gone])
        return Response(None, status_code=204, cookies=[gone])

    @get(
        "/me",
        summary="Who is signed in",
        responses=problem_responses("not-signed-in"),
        description="The user, their tenants and roles, the active tenant, and the CSRF token for unsafe requests.",
        security=api_docs.SIGNED_IN,
    )
    async def me(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
    ) -> Me:
        raw = request.cookies.get(session_cookie(settings))
        async with transaction(db_sessions) as db:
            return await _me(db, settings, raw)

    @post(
        "/tenant",
        summary="Pick the active tenant",
        status_code=200,
        description='Body `{"tenant_id": …}` (JSON or form). Alternatively send `X-Greenroom-Tenant` per request.',
        responses=problem_responses("not-signed-in", "csrf-failed", "not-a-member", "invalid-request"),
        security=api_docs.SIGNED_IN_WRITE,
    )
    async def pick_tenant(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
    ) -> Response[Any]:
        raw = request.cookies.get(session_cookie(settings))
        form = await read_form_or_json(request)
        async with transaction(db_sessions) as db:
            loaded = await load_session(db, settings, raw)
            if loaded is None or raw is None:
                raise Problem("not-signed-in", "Sign in first.")
            check_csrf(request, settings, raw, form.get("csrf_token"))
            tenant_id = parse_tenant(str(form.get("tenant_id") or ""))
            session, user = loaded
            if tenant_id is None or tenant_id not in {m.tenant_id for m, _ in await memberships_of(db, user.id)}:
                raise Problem("not-a-member", "You are not a member of this tenant.")
            session.active_tenant_id = tenant_id
            await db.flush()
            me = await _me(db, settings, raw)
        if "csrf_token" in form:
            return Redirect("/", status_code=303)
        return Response(me)


async def _me(db: Any, settings: NamedDependency[Settings], raw: str | None) -> Me:
    loaded = await load_session(db, settings, raw)
    if loaded is None or raw is None:
        raise Problem("not-signed-in", "Sign in at /.")
    session, user = loaded
    members = await memberships_of(db, user.id)
    active = session.active_tenant_id if any(m.tenant_id == session.active_tenant_id for m, _ in members) else None
    return Me(
        user=UserOut(id=user.id, issuer=user.issuer, subject=user.subject, email=user.email, name=user.name),
        operator=f"{user.issuer}#{user.subject}" in settings.operator_accounts,
        active_tenant_id=active,
        csrf_token=csrf_token(settings, raw),
        memberships=[
            MembershipOut(tenant_id=t.id, tenant_name=t.name, tenant_slug=t.slug, role=m.role) for m, t in members
        ],
    )
