"""The admin console at `/console/`: a single-page app that Vite builds from web/console into web/dist/console.

- `/console/assets/<file>`: the content-hashed files the build wrote, cached for a year (`immutable`: a new build
  writes new names). Only a plain name inside the assets folder is served: a name with `..`, a hidden file or
  anything that resolves outside the folder is a 404, like a name that is not there.
- Every other `/console` path: `index.html` (the app routes on the client), `no-cache` (revalidated on every load,
  so a new build is picked up at once), with a Content-Security-Policy that allows only what the console needs:
  its own scripts, styles, images, fonts and same-origin API calls.
- Not built (no `index.html`): a 503 that says to run `./run setup`, as a page for a browser.

Where the build is: the `console_dist` setting (`GREENROOM_CONSOLE_DIST`), by default web/dist/console beside the app.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import File

from app.errors import Problem, problem_response
from app.kit.html import REFERRER_POLICY, page, wants_html
from app.settings import Settings

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
IMMUTABLE = "public, max-age=31536000, immutable"
# The types a Vite build writes; anything else is sent as bytes to download, never sniffed.
TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".map": "application/json",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".txt": "text/plain",
    ".wasm": "application/wasm",
}
SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")  # no leading dot: neither `..` nor a hidden file


def _not_built(request: Request[Any, Any, Any], settings: Settings) -> Response[Any]:
    problem = Problem(
        "console-not-built",
        "The admin console is not built on this server: run `./run setup` (or `npm ci && npm run build` in web/), "
        f"which writes {settings.console_dist.name}/index.html under web/dist.",
        headers={"Retry-After": "60", "Cache-Control": "no-store"},
    )
    if not wants_html(request):
        return problem_response(problem, request)
    # Not the generic problem page: its "start page" link would come straight back here for a signed-in browser.
    return page(
        problem.title,
        f"<p>{html.escape(problem.detail or '')}</p><p>Meanwhile the API works (<a href='/schema'>API documentation"
        "</a>), and so does the <a href='/usage'>usage page</a>.</p>"
        "<p><small>Error type <code>/problems/console-not-built</code></small></p>",
        problem.status,
        headers=problem.headers,
    )


def _index(request: Request[Any, Any, Any], settings: Settings) -> Response[Any]:
    try:
        body = (settings.console_dist / "index.html").read_bytes()
    except FileNotFoundError:
        return _not_built(request, settings)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "Cache-Control": "no-cache",
        "ETag": etag,
        "Content-Security-Policy": CSP,
        "Referrer-Policy": REFERRER_POLICY,
        "X-Content-Type-Options": "nosniff",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(b"", status_code=304, headers=headers, media_type="text/html")
    return Response(body, media_type="text/html", headers=headers)  # Litestar adds the charset


@get(["/console", "/console/"], include_in_schema=False, cache_control=None)
async def console_home(request: Request[Any, Any, Any], settings: NamedDependency[Settings]) -> Response[Any]:
    return _index(request, settings)


@get("/console/{route:path}", include_in_schema=False, cache_control=None)
async def console_page(request: Request[Any, Any, Any], settings: NamedDependency[Settings]) -> Response[Any]:
    """A route of the single-page app (`/console/sessions`, `/console/agents/new`, …): the app itself routes."""
    return _index(request, settings)


def asset_path(assets: Path, name: str) -> Path | None:
    """The file `name` (a path under `assets/`, as the URL gives it) names, or None if it is not one we may serve."""
    parts = name.strip("/").split("/")
    if not all(SEGMENT.match(part) for part in parts):
        return None
    root = assets.resolve()
    path = (root / Path(*parts)).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


@get("/console/assets/{name:path}", include_in_schema=False, cache_control=None)
async def console_asset(settings: NamedDependency[Settings], name: FromPath[str]) -> Response[Any]:
    path = asset_path(settings.console_dist / "assets", name)
    if path is None:
        raise Problem("not-found", "No such console asset (an old build's file, or never one).")
    headers = {"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"}
    if path.suffix == ".svg":  # opened on its own, an SVG is a document: no scripts in it
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return File(
        path,
        content_disposition_type="inline",
        media_type=TYPES.get(path.suffix.lower(), "application/octet-stream"),
        headers=headers,
    )


routes = [console_home, console_page, console_asset]
