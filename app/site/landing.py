"""The start page `/`: sign-in links when signed out; who you are, a tenant picker and sign-out when signed in."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.admin_sessions import csrf_token, load_session, session_cookie
from app.db.engine import transaction
from app.kit.html import page
from app.settings import Settings
from app.tenants.service import memberships_of


@get("/", include_in_schema=False)
async def landing(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
) -> Response[Any]:
    raw = request.cookies.get(session_cookie(settings))
    async with transaction(db_sessions) as db:
        loaded = await load_session(db, settings, raw)
        members = await memberships_of(db, loaded[1].id) if loaded else []
    if loaded is None or raw is None:
        links = "".join(
            f"<li><a class=button href='/auth/login/{quote(name)}'>"
            f"Sign in with {html.escape(cfg.display(name))}</a></li>"
            for name, cfg in settings.identity_providers.items()
        )
        body = (
            f"<ul>{links}</ul>" if links else "<p>No sign-in provider is configured (GREENROOM_IDENTITY_PROVIDERS).</p>"
        )
        return page("Sign in to Greenroom", body + "<p><a href='/schema'>API documentation</a></p>")
    session, user = loaded
    csrf = html.escape(csrf_token(settings, raw))
    who = html.escape(user.name or user.email or user.subject)
    options = "".join(
        f"<option value='{t.id}'{' selected' if t.id == session.active_tenant_id else ''}>"
        f"{html.escape(t.name)} ({m.role})</option>"
        for m, t in members
    )
    picker = (
        f"<form method=post action='/auth/tenant'><input type=hidden name=csrf_token value='{csrf}'>"
        f"<label>Tenant <select name=tenant_id>{options}</select></label> <button>Switch</button></form>"
        if members
        else "<p>You are not a member of any tenant yet.</p>"
    )
    return page(
        "Greenroom",
        f"<p>Signed in as <b>{who}</b> <small>({html.escape(user.email or '')} via "
        f"{html.escape(user.issuer)})</small></p>{picker}"
        + ("<p><a class=button href='/usage'>Usage, budget and CSV downloads</a></p>" if members else "")
        + f"<p><a href='/auth/me'>/auth/me</a> · <a href='/schema'>API documentation</a></p>"
        f"<form method=post action='/auth/logout'><input type=hidden name=csrf_token value='{csrf}'>"
        f"<button>Sign out</button></form>",
    )
