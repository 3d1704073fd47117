"""`/`: the sign-in page, one button per configured identity provider; a signed-in browser goes to the console.

Everything a signed-in admin does (tenant switch, sign-out, every page) is in the console at `/console/`; this page
only starts a sign-in. A sign-in ends back here (its default `next`), and from here at the console.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.admin_sessions import load_session, session_cookie
from app.db.engine import transaction
from app.kit.html import page
from app.settings import Settings

CONSOLE = "/console/"


@get("/", include_in_schema=False)
async def landing(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
) -> Response[Any]:
    raw = request.cookies.get(session_cookie(settings))
    if raw:
        async with transaction(db_sessions) as db:
            signed_in = await load_session(db, settings, raw) is not None
        if signed_in:
            return Redirect(CONSOLE, status_code=303, headers={"Cache-Control": "no-store"})
    buttons = "".join(
        f"<li><a class=button href='/auth/login/{quote(name)}'>Sign in with {html.escape(cfg.display(name))}</a></li>"
        for name, cfg in settings.identity_providers.items()
    )
    body = (
        f"<ul style='list-style:none;padding:0'>{buttons}</ul>"
        if buttons
        else "<p>No sign-in provider is configured: set <code>GREENROOM_IDENTITY_PROVIDERS</code> (see the README).</p>"
    )
    if settings.dev_mode and buttons:
        body += (
            "<p><small>Development: sign in as <code>alice</code> (owner of the Demo tenant) or <code>bob</code> "
            "(no tenant yet: a first sign-in makes one), or type any name.</small></p>"
        )
    return page("Sign in to Greenroom", body + "<p><a href='/schema'>API documentation</a></p>")
