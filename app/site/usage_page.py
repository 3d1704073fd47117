"""`/usage`: the signed-in admin's month at a glance — budget, a chart of minutes per day, recent sessions, and the
CSV downloads (plain links to the report endpoints, which the admin session cookie authenticates).

Kept until the console has a usage page of its own (issue 12), then removed. Its tenant switch and sign-out are plain
form posts with the CSRF token in a field: they work because our pages send `Referrer-Policy: same-origin` (with
`no-referrer`, Chromium posts forms with `Origin: null`, which the CSRF check refuses).
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.admin_sessions import csrf_token, load_session, session_cookie
from app.auth.dependencies import authenticator
from app.auth.principal import Principal
from app.broker.history import HistoryFilter, sessions_page
from app.db.engine import transaction
from app.errors import Problem
from app.kit.html import page, problem_page
from app.metering.budgets import starts_refused
from app.metering.service import Budget, budget
from app.reports.reconciliation import month_bounds
from app.reports.usage import UsageQuery, last_day, tenant_usage
from app.settings import Settings
from app.tenants.service import memberships_of

RECENT = 20


@get("/usage", include_in_schema=False)
async def usage_page(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
) -> Response[Any]:
    try:  # a page, not an API: a refused caller sees the problem as a page (so no auth dependency here)
        async with transaction(db_sessions) as db:
            caller = await authenticator(request, settings, "usage:read")(db)
            b = await budget(db, caller.tenant)
            first = b.now.date().replace(day=1)
            last = last_day(first)
            report = await tenant_usage(db, caller.tenant, UsageQuery(first, last))
            recent, _ = await sessions_page(db, caller.tenant, HistoryFilter(), limit=RECENT)
            bar = await _signed_in_bar(db, request, settings, caller)
    except Problem as problem:
        return problem_page(request, problem)
    body = (
        bar
        + _summary(report.totals, b)
        + _chart(first, last, {r["period"]: r["billed_seconds"] for r in report.rows})
        + _downloads(first, last)
        + _recent(recent)
        + "<p><a href='/console/'>Console</a> · <a href='/schema'>API documentation</a></p>"
    )
    return page(f"Usage in {first:%B %Y}", body)


async def _signed_in_bar(
    db: AsyncSession, request: Request[Any, Any, Any], settings: Settings, caller: Principal
) -> str:
    """Who is signed in, a tenant switch (with more than one tenant) and sign-out; nothing for a server key."""
    raw = request.cookies.get(session_cookie(settings))
    loaded = await load_session(db, settings, raw) if caller.kind == "admin" and raw else None
    if loaded is None or raw is None:
        return ""
    user = loaded[1]
    csrf = f"<input type=hidden name=csrf_token value='{html.escape(csrf_token(settings, raw))}'>"
    members = await memberships_of(db, user.id)
    options = "".join(
        f"<option value='{t.id}'{' selected' if t.id == caller.tenant else ''}>"
        f"{html.escape(t.name)} ({m.role})</option>"
        for m, t in members
    )
    switch = (
        f"<form method=post action='/auth/tenant' style='display:inline'>{csrf}"
        f"<input type=hidden name=next value='/usage'><label>Tenant <select name=tenant_id>{options}</select></label> "
        "<button>Switch</button></form> "
        if len(members) > 1
        else ""
    )
    return (
        f"<p>Signed in as <b>{html.escape(user.name or user.email or user.subject)}</b></p><p>{switch}"
        f"<form method=post action='/auth/logout' style='display:inline'>{csrf}<button>Sign out</button></form></p>"
    )


def _summary(totals: dict[str, int], b: Budget) -> str:
    used_min = b.used_s / 60
    refused = starts_refused(b)
    alert = (
        "<p role=alert style='border:2px solid #c0392b;border-radius:6px;padding:.5rem .8rem'>"
        f"<b>New sessions are refused.</b> {html.escape(refused[1])}</p>"
        if refused
        else ""
    )
    line = alert + (
        f"<p><b>{totals['sessions']}</b> finished sessions, <b>{totals['billed_seconds'] / 60:.1f}</b> billed minutes "
        f"({totals['upstream_seconds'] / 60:.1f} at the provider). With live sessions: {used_min:.1f} minutes used.</p>"
    )
    if b.monthly_minutes is None:
        return line + f"<p>No monthly minute budget. Billed per {b.rounding}.</p>"
    share = min(1.0, b.used_s / max(1, b.monthly_minutes * 60))
    # Red once sessions are refused, which happens before 100 %: a session needs a whole minute of budget.
    colour = "#c0392b" if share >= 1 or refused else "#e67e22" if share >= 0.8 else "#27ae60"
    return line + (
        f"<p>Budget: {used_min:.1f} of {b.monthly_minutes} minutes ({share:.0%}); resets "
        f"{b.resets_at:%Y-%m-%d} (UTC). Billed per {b.rounding}.</p>"
        f"<svg width=100% height=14 role=img aria-label='{share:.0%} of the budget used'>"
        f"<rect width=100% height=14 rx=4 fill='#eee'/><rect width='{share * 100:.1f}%' height=14 rx=4 "
        f"fill='{colour}'/></svg>"
    )


def _chart(first: date, last: date, billed: dict[date, int]) -> str:
    """Billed minutes per day as bars; the day a session started (UTC) carries all of it."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    peak = max([*billed.values(), 60]) / 60
    width, height, bar = 620, 160, 620 / len(days)
    bars = []
    for i, d in enumerate(days):
        minutes = billed.get(d, 0) / 60
        h = 0 if not minutes else max(1.0, minutes / peak * (height - 20))
        bars.append(
            f"<rect x='{i * bar + 1:.1f}' y='{height - 16 - h:.1f}' width='{bar - 2:.1f}' height='{h:.1f}' "
            f"fill='#3b7dd8'><title>{d:%d %b}: {minutes:.1f} min</title></rect>"
        )
        if d.day in (1, 8, 15, 22, 29):
            bars.append(f"<text x='{i * bar:.1f}' y='{height - 2}' font-size=11 fill='#666'>{d.day}</text>")
    return (
        f"<h2>Billed minutes per day</h2><svg viewBox='0 0 {width} {height}' width=100% role=img "
        f"aria-label='Billed minutes per day, highest {peak:.1f}'><text x=0 y=11 font-size=11 fill='#666'>"
        f"{peak:.0f} min</text><line x1=0 x2='{width}' y1='{height - 16}' y2='{height - 16}' stroke='#bbb'/>"
        f"{''.join(bars)}</svg>"
    )


def _downloads(first: date, last: date) -> str:
    start, end = month_bounds(first)
    usage = urlencode(
        {"from": first.isoformat(), "to": last.isoformat(), "by": "agent,widget_key,origin,end_reason", "format": "csv"}
    )
    sessions = urlencode({"created_from": start.isoformat(), "created_to": end.isoformat(), "format": "csv"})
    return (
        "<h2>Download</h2><p><a class=button href='/v1/reports/usage?"
        + html.escape(usage)
        + "'>Usage by day (CSV)</a> "
        "<a class=button href='/v1/reports/sessions?"
        + html.escape(sessions)
        + "'>Every session this month (CSV)</a></p>"
    )


def _recent(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<h2>Recent sessions</h2><p>None yet.</p>"
    cells = "".join(
        f"<tr><td>{r['created_at']:%d %b %H:%M:%S}</td><td>{html.escape(r['agent'])}</td>"
        f"<td>{html.escape(r['state'])}</td>"
        f"<td>{html.escape(r['end_reason'] or '')}</td><td style=text-align:right>"
        f"{'' if r['billed_seconds'] is None else r['billed_seconds']}</td></tr>"
        for r in rows
    )
    return (
        "<h2>Recent sessions</h2><table style='width:100%;border-collapse:collapse'><tr style=text-align:left>"
        "<th>Created (UTC)</th><th>Agent</th><th>State</th><th>Why it ended</th>"
        "<th style=text-align:right>Billed s</th>"
        f"</tr>{cells}</table>"
    )
