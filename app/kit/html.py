"""Readable pages for people in a browser; API clients get the same problem as RFC 9457 JSON.

No page of the app may be shown inside another site's frame (clickjacking: a page that frames the sign-in page, the
usage page or the API docs under a decoy and gets a signed-in admin to click). `RefuseFraming` says so on every HTML
answer, whoever made it (these pages, the OpenAPI docs, /demo, problem pages): `frame-ancestors 'none'` in its
Content-Security-Policy, and `X-Frame-Options: DENY` for browsers older than CSP 2. None needs to be framed: the
widget is a script and a custom element in the tenant's own page, not a frame of ours (docs/security.md).
"""

from __future__ import annotations

import html
from typing import Any

from litestar import Request, Response
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import Problem, problem_response

NO_FRAMING = "frame-ancestors 'none'"
# Not `no-referrer`: with it Chromium posts a page's own forms with `Origin: null`, which the CSRF check must refuse
# (tests/browser/test_sign_in_and_out.py). `same-origin` sends our origin to ourselves and nothing to other sites.
REFERRER_POLICY = "same-origin"

STYLE = (
    "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}"
    "a.button,button{display:inline-block;padding:.4rem .9rem;border:1px solid #888;border-radius:6px;"
    "background:#f6f6f6;color:#222;text-decoration:none;font:inherit;cursor:pointer;margin:.2rem 0}"
    "code{background:#f2f2f2;padding:0 .2rem}li{margin:.3rem 0}</style>"
)


def page(title: str, body: str, status: int = 200, headers: dict[str, str] | None = None, **kw: Any) -> Response[str]:
    doc = (
        f"<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        f"<title>{html.escape(title)} · Greenroom</title>{STYLE}<h1>{html.escape(title)}</h1>{body}</html>"
    )
    return Response(
        doc,
        status_code=status,
        media_type="text/html",  # Litestar adds `; charset=utf-8` to every text/ type
        headers={
            "Cache-Control": "no-store",
            "Referrer-Policy": REFERRER_POLICY,
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
            **(headers or {}),
        },
        **kw,
    )


def wants_html(request: Request[Any, Any, Any]) -> bool:
    return "text/html" in request.headers.get("accept", "")


def problem_page(request: Request[Any, Any, Any], problem: Problem, **kw: Any) -> Response[Any]:
    """Sign-in runs through browser redirects: a person gets a page that says what happened and what to do."""
    if not wants_html(request):
        resp = problem_response(problem, request)  # with the problem's own headers
        for cookie in kw.get("cookies", []):
            resp.set_cookie(cookie)
        return resp
    detail = f"<p>{html.escape(problem.detail)}</p>" if problem.detail else ""
    return page(
        problem.title,
        f"{detail}<p><a class=button href='/'>Back to the start page</a></p>"
        f"<p><small>Error type <code>/problems/{problem.slug}</code></small></p>",
        problem.status,
        **kw,
    )


def refuse_framing(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """An HTML answer's headers with `frame-ancestors 'none'` (added to its CSP, or a CSP of its own) and
    `X-Frame-Options: DENY`; any other answer's as they were."""
    if not any(n.lower() == b"content-type" and v.lower().startswith(b"text/html") for n, v in headers):
        return headers
    out, names = [], set()
    for name, value in headers:
        names.add(name.lower())
        if name.lower() == b"content-security-policy" and b"frame-ancestors" not in value:
            value += b"; " + NO_FRAMING.encode()
        out.append((name, value))
    if b"content-security-policy" not in names:
        out.append((b"content-security-policy", NO_FRAMING.encode()))
    if b"x-frame-options" not in names:
        out.append((b"x-frame-options", b"DENY"))
    return out


class RefuseFraming(ASGIMiddleware):
    """Every HTML answer, whichever handler made it, refuses to be framed by any page (see the module's docstring)."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_refusing_framing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": refuse_framing(list(message.get("headers", [])))}
            await send(message)

        await next_app(scope, receive, send_refusing_framing)
