"""Sign-in routes: `/auth/login/{provider}`, `/auth/callback/{provider}`, `/auth/logout`, `/auth/me`, `/auth/tenant`.

HTTP only: cookies, forms, redirects and the pages a person sees when a sign-in fails. The flows are in
app/identity/service.py.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath
from litestar.response import Redirect

from app.auth.admin_sessions import clear_cookie, csrf_proof, make_cookie, session_cookie, signin_cookie
from app.auth.dependencies import DbSessions, client_of
from app.errors import Problem, problem_responses, refused_body
from app.identity import service
from app.identity.oidc import ProviderDirectory
from app.identity.schemas import Me
from app.kit import api_docs
from app.kit.api_schema import WithoutOk
from app.kit.html import problem_page
from app.settings import Settings

NO_STORE = {"Cache-Control": "no-store"}


async def read_form_or_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return dict(await request.form())
    body = await request.body()
    if not body:
        return {}
    data = await request.json()
    if refused := refused_body(request):  # not JSON, or not sent as JSON: the request guard's own problem
        raise refused
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
        db_sessions: DbSessions,
        identity: NamedDependency[ProviderDirectory],
        provider: FromPath[str],
    ) -> Response[Any]:
        query = request.query_params
        try:
            url, attempt = await service.start_sign_in(
                db_sessions,
                identity,
                settings,
                provider,
                next_path=query.get("next"),
                invitation=query.get("invitation"),
            )
        except Problem as problem:
            return problem_page(request, problem)
        cookie = make_cookie(settings, signin_cookie(settings), attempt, settings.sign_in_ttl_s)
        return Redirect(url, status_code=302, headers=NO_STORE, cookies=[cookie])

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
            "unknown-provider",
        ),
        security=api_docs.PUBLIC,
    )
    async def callback(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        db_sessions: DbSessions,
        identity: NamedDependency[ProviderDirectory],
        provider: FromPath[str],
    ) -> Response[Any]:
        gone = clear_cookie(settings, signin_cookie(settings))
        try:
            session, next_path = await service.finish_sign_in(
                db_sessions,
                identity,
                settings,
                provider,
                request.query_params,
                attempt_raw=request.cookies.get(signin_cookie(settings)),
                old_session=request.cookies.get(session_cookie(settings)),
                client=client_of(request),
            )
        except Problem as problem:
            return problem_page(request, problem, cookies=[gone])
        cookie = make_cookie(settings, session_cookie(settings), session, settings.session_absolute_s)
        return Redirect(next_path, status_code=303, cookies=[cookie, gone], headers=NO_STORE)

    @post(
        "/logout",
        summary="Sign out",
        status_code=200,
        operation_class=WithoutOk,
        responses={
            204: ResponseSpec(None, description="Signed out: the session cookie is cleared."),
            303: ResponseSpec(None, description="From the sign-out form of a page: back to the start page."),
            **problem_responses("csrf-failed"),
        },
        description="Revokes the session and clears its cookie; signed out already, it only clears the cookie "
        "(signing out never fails for want of a session). With a session, it needs the CSRF token (`X-CSRF-Token` or "
        "a `csrf_token` form field) and our Origin.",
        security=api_docs.SIGNED_IN_OR_NOT,
    )
    async def logout(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings], db_sessions: DbSessions
    ) -> Response[Any]:
        form = await read_form_or_json(request)
        raw = request.cookies.get(session_cookie(settings))
        await service.sign_out(db_sessions, settings, raw, csrf_proof(request, form.get("csrf_token")))
        gone = clear_cookie(settings, session_cookie(settings))
        if "csrf_token" in form:  # a form in a page: to the sign-in page
            return Redirect("/", status_code=303, cookies=[gone], headers=NO_STORE)
        return Response(None, status_code=204, cookies=[gone])

    @get(
        "/me",
        summary="Who is signed in",
        responses=problem_responses("not-signed-in"),
        description="The user, their tenants and roles, the active tenant, and the CSRF token for unsafe requests.",
        security=api_docs.SIGNED_IN,
    )
    async def me(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings], db_sessions: DbSessions
    ) -> Me:
        return await service.who_is_signed_in(db_sessions, settings, request.cookies.get(session_cookie(settings)))

    @post(
        "/tenant",
        summary="Pick the active tenant",
        status_code=200,
        description='Body `{"tenant_id": …}` (JSON: answers the new `/auth/me`; or a form with `csrf_token` and an '
        "optional `next` path: redirects there). Alternatively send `X-Greenroom-Tenant` per request.",
        responses=problem_responses("not-signed-in", "csrf-failed", "not-a-member", "invalid-request"),
        security=api_docs.SIGNED_IN_WRITE,
    )
    async def pick_tenant(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings], db_sessions: DbSessions
    ) -> Response[Any]:
        form = await read_form_or_json(request)
        me = await service.choose_tenant(
            db_sessions,
            settings,
            request.cookies.get(session_cookie(settings)),
            csrf_proof(request, form.get("csrf_token")),
            str(form.get("tenant_id") or ""),
        )
        if "csrf_token" in form:  # a form in a page: back to that page (`next`, a path here), else to the console
            return Redirect(service.safe_next(form.get("next")), status_code=303, headers=NO_STORE)
        return Response(me)
