"""Public pages: the widget asset, the demo tenant page, health checks and problem docs."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.errors import CATALOGUE, Problem, problem_responses
from app.kit import api_docs
from app.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from app.metrics import exposition, refresh_from_database, refusal
from app.settings import Settings
from app.site.repository import database_answers

log = logging.getLogger("greenroom.metrics")

WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
WIDGET_JS = WEB_DIST / "widget.js"
# The API docs' browser assets, pinned in web/package.json and copied by its build: /schema works offline.
API_DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "scalar.js": "text/javascript",
    "scalar.css": "text/css",
}
DEMO_HTML = (Path(__file__).parent / "demo.html").read_text()


@get("/widget.js", include_in_schema=False, cache_control=None)
async def widget_js() -> Response[bytes]:
    if not WIDGET_JS.exists():
        raise Problem("not-found", "The widget is not built: run `npm ci && npm run build` in web/.")
    return Response(
        WIDGET_JS.read_bytes(),
        media_type="text/javascript",  # Litestar adds the charset to text/ types
        headers={"Cache-Control": "public, max-age=300"},
    )


@get("/schema-assets/{name:str}", include_in_schema=False, cache_control=None)
async def api_docs_asset(name: FromPath[str]) -> Response[bytes]:
    path = WEB_DIST / "api-docs" / name
    if name not in API_DOCS_ASSETS or not path.exists():
        raise Problem("not-found", f"No API docs asset `{name}` (built by `npm run build` in web/).")
    return Response(
        path.read_bytes(),
        media_type=API_DOCS_ASSETS[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )


@get("/demo", include_in_schema=False)
async def demo_page(settings: NamedDependency[Settings]) -> Response[str]:
    """A stand-in tenant page embedding the widget with the demo key (set by `greenroom dev`)."""
    key = settings.demo_widget_key or ""
    page = DEMO_HTML.replace("{{KEY}}", html.escape(key)).replace("{{AGENT}}", "demo")
    return Response(page, media_type="text/html")


@get("/healthz", tags=["Ops"], summary="Liveness", security=api_docs.PUBLIC)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", tags=["Ops"], summary="Readiness: the database answers", security=api_docs.PUBLIC)
async def readyz(db_sessions: NamedDependency[async_sessionmaker[AsyncSession]]) -> Response[dict[str, str]]:
    if not await database_answers(db_sessions):
        return Response({"status": "database unavailable"}, status_code=503)
    return Response({"status": "ready"})


@get(
    "/metrics",
    tags=["Ops"],
    summary="Prometheus metrics",
    description="This instance's counters and histograms, plus cluster-wide gauges of live sessions and the job queue "
    "read from the database, in Prometheus' text format 0.0.4. Send `GREENROOM_METRICS_TOKEN` as a bearer token; "
    "with none configured the endpoint is closed (401), except in dev mode, where it is open.",
    security=api_docs.METRICS_TOKEN,
    responses={
        200: ResponseSpec(
            data_container=str,
            media_type=METRICS_CONTENT_TYPE,
            generate_examples=False,
            description="Prometheus text exposition format 0.0.4",
        ),
        **problem_responses("unknown-key"),
    },
)
async def metrics(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    db_sessions: NamedDependency[async_sessionmaker[AsyncSession]],
) -> Response[bytes]:
    refused = refusal(settings, request.headers.get("authorization"))
    if refused:
        raise Problem("unknown-key", refused)
    try:
        await refresh_from_database(db_sessions)
    except Exception:  # the process's own figures still help when the database does not answer
        log.warning("metrics: could not read the database gauges")
    body, content_type = exposition()
    # The whole header as app/metrics.py pins it: given as a media type, Litestar would append a second charset.
    return Response(body, headers={"content-type": content_type})


@get("/problems/{slug:str}", include_in_schema=False)
async def problem_doc(slug: FromPath[str]) -> Response[str]:
    if slug not in CATALOGUE:
        raise Problem("not-found", f"No problem type `{slug}`.")
    status, title = CATALOGUE[slug]
    body = (
        f"<!doctype html><title>{html.escape(title)}</title><h1>{html.escape(title)}</h1>"
        f"<p>HTTP {status} · type <code>/problems/{slug}</code></p>"
    )
    return Response(body, media_type="text/html")


routes = [widget_js, api_docs_asset, demo_page, healthz, readyz, metrics, problem_doc]
