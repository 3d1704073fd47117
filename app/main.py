"""create_app(): the Litestar application with its routers, error handling and OpenAPI."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components
from litestar.plugins.pydantic import PydanticDIPlugin, PydanticInitPlugin
from litestar.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.agents.controllers import AgentsController
from app.audit.controllers import AuditEventsController
from app.auth.dependencies import AUTH_DEPENDENCIES
from app.broker.controllers import SessionsController
from app.broker.heartbeats import HeartbeatBatcher
from app.broker.service import Broker
from app.broker.widget_controllers import WidgetSessionsController
from app.db import registry as _all_models  # noqa: F401  every model registered, so foreign keys between domains resolve
from app.db.engine import make_engine, make_sessionmaker
from app.errors import exception_handlers
from app.identity.controllers import SignInController
from app.identity.oidc import ProviderDirectory
from app.keys.controllers import ApiKeysController, WidgetKeysController
from app.kit import api_docs
from app.kit.api_schema import ModelSchemaPlugin, allow_every_method, document_shared_answers
from app.kit.html import RefuseFraming
from app.kit.origins import OneOrigin
from app.kit.request_guard import MAX_BODY_BYTES, MAX_JSON_DEPTH, GuardedRequest, RefuseNulInQuery
from app.operator.controllers import OperatorJobsController, OperatorTenantsController
from app.reports.controllers import (
    OperatorReportsController,
    ReportsController,
    UsageController,
)
from app.settings import Settings
from app.site.console import routes as console_routes
from app.site.controllers import routes as site_routes
from app.site.landing import landing
from app.site.usage_page import usage_page
from app.tenants.controllers import (
    InvitationsController,
    MembersController,
    TenantController,
    invitation_page,
)
from app.upstream import Upstreams
from app.vault.controllers import CredentialsController
from app.vault.crypto import Vault
from app.webhooks.controllers import WebhooksController

MAX_BODY_MIB = MAX_BODY_BYTES // (1024 * 1024)
DESCRIPTION = f"""Greenroom brokers Avaturn Live avatar sessions for many tenants: provider keys stay
encrypted on the server, every session is recorded, metered and can be ended at once.

Authenticate tenant backends with `Authorization: Bearer gr_sk_…`; the widget uses a publishable
`gr_pk_…` key bound to exact page origins. Every error is an RFC 9457 problem document whose
`type` (`/problems/<slug>`) is stable.

A request body may hold at most {MAX_BODY_MIB} MiB (`413 /problems/request-too-large` past it); a JSON body must be
UTF-8, nest at most {MAX_JSON_DEPTH} levels and hold no NUL character (`\\u0000`), nor may a query parameter
(`400 /problems/invalid-request`, naming the field)."""
NO_FAVICON = "<link rel='icon' href='data:,'>"  # Litestar's default icon comes from a CDN
# Scalar with nothing that calls Scalar's hosted services (fonts, AI agent, MCP/SDK generators, developer tools).
SCALAR_OPTIONS = {
    "withDefaultFonts": False,
    "showDeveloperTools": "never",
    "agent": {"disabled": True},
    "mcp": {"disabled": True},
}


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings()
    settings.check_secrets()
    vault = Vault(settings.master_keyset)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url or "", pool_size=settings.database_pool_size)
        upstreams = Upstreams.from_settings(settings)
        app.state.sessions = make_sessionmaker(engine)
        app.state.broker = Broker(app.state.sessions, vault, upstreams, settings)
        app.state.vault, app.state.upstreams = vault, upstreams
        app.state.heartbeats = HeartbeatBatcher(app.state.sessions)
        app.state.heartbeats.start()
        app.state.identity = ProviderDirectory(settings)
        try:
            yield
        finally:
            await app.state.heartbeats.stop()
            await upstreams.close()
            await engine.dispose()

    app = Litestar(
        route_handlers=[
            SessionsController,
            WidgetSessionsController,
            AgentsController,
            CredentialsController,
            WidgetKeysController,
            ApiKeysController,
            AuditEventsController,
            *site_routes,
            *console_routes,
            SignInController,
            MembersController,
            InvitationsController,
            TenantController,
            invitation_page,
            landing,
            OperatorTenantsController,
            OperatorJobsController,
            UsageController,
            ReportsController,
            OperatorReportsController,
            usage_page,
            WebhooksController,
        ],
        # Bodies validated strictly (`false` is no integer, `0` no boolean), described with every rule they apply.
        plugins=[PydanticInitPlugin(validate_strict=True), ModelSchemaPlugin(), PydanticDIPlugin()],
        dependencies={**_shared_objects(), **AUTH_DEPENDENCIES},
        middleware=[*_forwarded_headers(settings), OneOrigin(), RefuseNulInQuery(), RefuseFraming()],
        request_class=GuardedRequest,
        request_max_body_size=MAX_BODY_BYTES,
        exception_handlers=exception_handlers,
        logging_config=None,  # logging is configured once per process by app.logs
        lifespan=[lifespan],
        state=State({"settings": settings}),
        openapi_config=OpenAPIConfig(
            title="Greenroom",
            version="0.1.0",
            description=DESCRIPTION,
            path="/schema",
            components=Components(security_schemes=api_docs.SCHEMES),
            # Served by the app itself (pinned in web/package.json), never from a CDN: the docs work offline.
            render_plugins=[
                ScalarRenderPlugin(
                    js_url="/schema-assets/scalar.js",
                    css_url="/schema-assets/scalar.css",
                    options=SCALAR_OPTIONS,
                    favicon=NO_FAVICON,
                ),
                SwaggerRenderPlugin(
                    path="/swagger",
                    js_url="/schema-assets/swagger-ui-bundle.js",
                    css_url="/schema-assets/swagger-ui.css",
                    favicon=NO_FAVICON,
                    standalone_preset_js_url="/schema-assets/swagger-ui-standalone-preset.js",
                ),
            ],
        ),
    )
    allow_every_method(app.routes)
    document_shared_answers(app.routes)
    return app


def _forwarded_headers(settings: Settings) -> list[Callable[[ASGIApp], ASGIApp]]:
    """X-Forwarded-For names the client only when the peer is one of GREENROOM_TRUSTED_PROXIES; otherwise (the
    default) the header is ignored, so no caller can pick the address its rate limit and audit entry use."""
    if not settings.trusted_proxies:
        return []
    trusted = settings.trusted_proxies

    def trust_proxies(app: ASGIApp) -> ASGIApp:
        # uvicorn's middleware, typed for its own ASGI types: the same protocol as Litestar's
        return cast("ASGIApp", ProxyHeadersMiddleware(cast("Any", app), trusted_hosts=trusted))

    return [trust_proxies]


def _shared_objects() -> dict[str, Provide]:
    """What handlers may name in their signatures, made once in the lifespan (never read from app.state elsewhere)."""

    def from_state(name: str) -> Provide:
        def provide(state: State) -> object:
            return state[name]

        return Provide(provide, sync_to_thread=False)

    return {
        name: from_state(key)
        for name, key in (
            ("settings", "settings"),
            ("db_sessions", "sessions"),
            ("broker", "broker"),
            ("heartbeats", "heartbeats"),
            ("identity", "identity"),
            ("vault", "vault"),
            ("upstreams", "upstreams"),
        )
    }


def app_from_env() -> Litestar:
    """Factory for `greenroom serve --workers N`: each worker process reads the settings and sets up logging."""
    from app.logs import configure

    settings = Settings()
    configure(settings.log_format, settings.log_level)
    return create_app(settings)
