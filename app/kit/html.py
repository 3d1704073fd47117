"""Readable pages for people in a browser; API clients get the same problem as RFC 9457 JSON."""

from __future__ import annotations

import html
from typing import Any

from litestar import Request, Response

from app.errors import Problem, problem_response

STYLE = (
    "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}"
    "a.button,button{display:inline-block;padding:.4rem .9rem;border:1px solid #888;border-radius:6px;"
    "background:#f6f6f6;color:#222;text-decoration:none;font:inherit;cursor:pointer;margin:.2rem 0}"
    "code{background:#f2f2f2;padding:0 .2rem}li{margin:.3rem 0}</style>"
)


def page(title: str, body: str, status: int = 200, **kw: Any) -> Response[str]:
    doc = (
        f"<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        f"<title>{html.escape(title)} · Greenroom</title>{STYLE}<h1>{html.escape(title)}</h1>{body}</html>"
    )
    return Response(
        doc,
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        },
        **kw,
    )


def wants_html(request: Request[Any, Any, Any]) -> bool:
    return "text/html" in request.headers.get("accept", "")


def problem_page(request: Request[Any, Any, Any], problem: Problem, **kw: Any) -> Response[Any]:
    """Sign-in runs through browser redirects: a person gets a page that says what happened and what to do."""
    if not wants_html(request):
        resp = problem_response(problem, request)
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
