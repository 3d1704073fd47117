"""How callers authenticate, as the OpenAPI document declares it (so "Try it" in /schema works).

Each route declares one of the requirement lists below where it is defined; `SCHEMES` goes into the document's
components. The checks themselves are elsewhere (the scoped dependencies of app/auth/dependencies.py, the widget
key and session token checks): this module only describes them.
"""

from __future__ import annotations

from litestar.openapi.spec import Reference, SecurityRequirement, SecurityScheme

SCHEMES: dict[str, SecurityScheme | Reference] = {
    "serverKey": SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="gr_sk_…",
        description="A tenant's server key, with scopes (`admin`, `sessions:write`, `sessions:read`, `usage:read`).",
    ),
    "adminSession": SecurityScheme(
        type="apiKey",
        security_scheme_in="cookie",
        name="__Host-greenroom_session",
        description="A signed-in admin's session cookie, set by `/auth/callback/{provider}` (`greenroom_session` in "
        "dev mode on plain-http loopback). The admin's role in the active tenant gives the scopes.",
    ),
    "csrfToken": SecurityScheme(
        type="apiKey",
        security_scheme_in="header",
        name="X-CSRF-Token",
        description="With the session cookie, on POST, PUT, PATCH and DELETE only: the `csrf_token` of `GET /auth/me`, "
        "plus an `Origin` equal to the public URL's.",
    ),
    "widgetKey": SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="gr_pk_…",
        description="A publishable widget key; the request's one `Origin`, exactly as a browser sends it, must be on "
        "the key's allow-list.",
    ),
    "sessionToken": SecurityScheme(
        type="http",
        scheme="bearer",
        description="The `heartbeat.token` a widget session was started with: it heartbeats and ends that session "
        "only.",
    ),
    "metricsToken": SecurityScheme(
        type="http",
        scheme="bearer",
        description="The operator's `GREENROOM_METRICS_TOKEN`, for `/metrics` (dev mode without one: not needed).",
    ),
}

# A tenant's admin API: a server key, or a signed-in admin (cookie, and the CSRF header on unsafe methods).
TENANT: list[SecurityRequirement] = [{"serverKey": []}, {"adminSession": [], "csrfToken": []}]
SIGNED_IN: list[SecurityRequirement] = [{"adminSession": []}]
SIGNED_IN_WRITE: list[SecurityRequirement] = [{"adminSession": [], "csrfToken": []}]
SIGNED_IN_OR_NOT: list[SecurityRequirement] = [{}, *SIGNED_IN_WRITE]  # sign-out: anyone may clear the cookie
# Operator accounts, signed in: a server key belongs to a tenant and is refused.
OPERATOR = SIGNED_IN_WRITE
WIDGET_KEY: list[SecurityRequirement] = [{"widgetKey": []}]
SESSION_TOKEN: list[SecurityRequirement] = [{"sessionToken": []}]
METRICS_TOKEN: list[SecurityRequirement] = [{"metricsToken": []}]
PUBLIC: list[SecurityRequirement] = [{}]
