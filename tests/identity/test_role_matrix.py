"""The role matrix, run: every operation of the OpenAPI document, for the four roles and for single-scope server keys.

TABLE says what each operation needs (docs/security.md's matrix). The test walks `/schema/openapi.json`, so an operation
added without a row fails until it is given one, and a second test holds the document's matrix to the same table.
Per operation, a caller the matrix allows must get past the scope check (an answer of the handler's own: 2xx, or the
404 of a random id) and a caller it refuses gets `403 /problems/insufficient-role` (signed in) or
`403 /problems/insufficient-scope` (server key). Operator routes and the widget's own routes are rows of their own:
no tenant role and no server key gets in there.

One tenant, one app, signed-in browsers and keys made once for the module. The app runs without a ground-truth source,
as production does (Avaturn has none), so reconciliation answers `reconciliation-unavailable` to those allowed.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from tests.identity.conftest import OPERATOR_SUB, Browser, Idp, identity_settings
from tests.identity.test_tenancy import invite, join
from tests.support.asserts import assert_problem
from tests.support.database import Db

ADMIN, WRITE, READ, USAGE = "admin", "sessions:write", "sessions:read", "usage:read"
OPERATOR = "operator account"  # /v1/operator/…: signed-in operator accounts only
WIDGET_KEY = "widget key + Origin"  # the widget starts a session with its publishable key
SESSION_TOKEN = "session token"  # heartbeat and end: the token handed out with that one session
PUBLIC = "no tenant authorisation"  # probes and the sign-in machinery (docs/security.md, "Sign-in")
METRICS = "metrics token"  # the operator's GREENROOM_METRICS_TOKEN (tests/test_metrics.py)

# Operation -> what it needs. A new route fails test_every_operation_has_a_row until it is added here.
TABLE: dict[str, str] = {
    "GET /v1/sessions": READ,
    "POST /v1/sessions": WRITE,
    "GET /v1/sessions/{session_id}": READ,
    "DELETE /v1/sessions/{session_id}": WRITE,
    "POST /v1/widget/sessions": WIDGET_KEY,
    "POST /v1/widget/sessions/{session_id}/heartbeat": SESSION_TOKEN,
    "POST /v1/widget/sessions/{session_id}/end": SESSION_TOKEN,
    "GET /v1/agents": ADMIN,
    "POST /v1/agents": ADMIN,
    "GET /v1/agents/{agent_id}": ADMIN,
    "PATCH /v1/agents/{agent_id}": ADMIN,
    "DELETE /v1/agents/{agent_id}": ADMIN,
    "GET /v1/credentials": ADMIN,
    "POST /v1/credentials": ADMIN,
    "GET /v1/credentials/{credential_id}": ADMIN,
    "DELETE /v1/credentials/{credential_id}": ADMIN,
    "GET /v1/widget-keys": ADMIN,
    "POST /v1/widget-keys": ADMIN,
    "GET /v1/widget-keys/{key_id}": ADMIN,
    "PATCH /v1/widget-keys/{key_id}": ADMIN,
    "DELETE /v1/widget-keys/{key_id}": ADMIN,
    "GET /v1/api-keys": ADMIN,
    "POST /v1/api-keys": ADMIN,
    "GET /v1/api-keys/{key_id}": ADMIN,
    "DELETE /v1/api-keys/{key_id}": ADMIN,
    "POST /v1/api-keys/{key_id}/roll": ADMIN,
    "GET /v1/audit-events": ADMIN,
    "GET /v1/members": ADMIN,
    "PATCH /v1/members/{member_id}": ADMIN,
    "DELETE /v1/members/{member_id}": ADMIN,
    "GET /v1/invitations": ADMIN,
    "POST /v1/invitations": ADMIN,
    "DELETE /v1/invitations/{invitation_id}": ADMIN,
    "GET /v1/webhooks": ADMIN,
    "POST /v1/webhooks": ADMIN,
    "GET /v1/webhooks/{webhook_id}": ADMIN,
    "PATCH /v1/webhooks/{webhook_id}": ADMIN,
    "DELETE /v1/webhooks/{webhook_id}": ADMIN,
    "GET /v1/webhooks/{webhook_id}/deliveries": ADMIN,
    "POST /v1/webhooks/{webhook_id}/rotate-secret": ADMIN,
    "POST /v1/webhooks/{webhook_id}/test": ADMIN,
    "GET /v1/tenant": USAGE,
    "PATCH /v1/tenant": ADMIN,
    "GET /v1/usage": USAGE,
    "GET /v1/reports/usage": USAGE,
    "GET /v1/reports/sessions": USAGE,
    "GET /v1/reports/reconciliation": USAGE,
    "GET /v1/reports/failures": USAGE,
    "GET /v1/operator/tenants": OPERATOR,
    "PATCH /v1/operator/tenants/{tenant_id}": OPERATOR,
    "POST /v1/operator/tenants/{tenant_id}/suspend": OPERATOR,
    "POST /v1/operator/tenants/{tenant_id}/resume": OPERATOR,
    "GET /v1/operator/reports/usage": OPERATOR,
    "GET /v1/operator/jobs": OPERATOR,
    "POST /v1/operator/jobs/retry": OPERATOR,
    "GET /healthz": PUBLIC,
    "GET /readyz": PUBLIC,
    "GET /metrics": METRICS,
    "GET /auth/login/{provider}": PUBLIC,
    "GET /auth/callback/{provider}": PUBLIC,
    "GET /auth/me": PUBLIC,
    "POST /auth/logout": PUBLIC,
    "POST /auth/tenant": PUBLIC,
}
# Rows the document cannot hold: a page that checks a scope like the API does, and the CSV forms of the reports
# (another code path in the handler).
PAGES: dict[str, str] = {
    "GET /usage": USAGE,
    "GET /v1/reports/sessions (CSV)": USAGE,
    "GET /v1/reports/usage (CSV)": USAGE,
}

# docs/security.md: which roles hold each scope. A server key holds the scopes it was given; `admin` acts as the
# admin role (and so may do everything a scope allows, never more than an admin).
ROLE_MAY: dict[str, set[str]] = {
    ADMIN: {"owner", "admin"},
    WRITE: {"owner", "admin"},
    READ: {"owner", "admin", "billing", "viewer"},
    USAGE: {"owner", "admin", "billing", "viewer"},
}
ROLES = ("owner", "admin", "billing", "viewer")
KEY_SCOPES = (ADMIN, WRITE, READ, USAGE)

# Refusals that come before the scope check or instead of it: an allowed caller must never see one of them.
GUARD_PROBLEMS = {
    "unknown-key",
    "session-expired",
    "not-signed-in",
    "csrf-failed",
    "insufficient-role",
    "insufficient-scope",
    "no-tenant-selected",
    "not-a-member",
    "tenant-suspended",
    "not-an-operator",
    "invalid-session-token",
    "invalid-request",
}
# What a handler answers, past the scope check, to a random id or an agent that does not exist.
HANDLER_ANSWERS = {"not-found", "session-not-found", "unknown-agent", "reconciliation-unavailable"}
ORIGIN = "https://shop.example"
PROVIDER_KEYS = {
    "openai": "sk-matrix-" + secrets.token_urlsafe(16),
    "avaturn": "av-matrix-" + secrets.token_urlsafe(16),
}
TODAY = datetime.now(UTC).date().isoformat()


def _unique() -> str:
    return secrets.token_hex(4)


# Bodies and queries that pass validation, so a refusal can only come from the authorisation decision.
BODIES: dict[str, Callable[[], Any]] = {
    "POST /v1/sessions": lambda: {"agent": "no-such-agent"},
    "POST /v1/widget/sessions": lambda: {"agent": "no-such-agent"},
    "POST /v1/agents": lambda: {
        "slug": f"m-{_unique()}",
        "name": "Matrix",
        "engine": {"type": "openai-realtime", "instructions": "Be brief."},
    },
    "PATCH /v1/agents/{agent_id}": lambda: {"name": "Renamed"},
    "POST /v1/credentials": lambda: {"provider": "openai", "secret": PROVIDER_KEYS["openai"]},  # the same key again
    "POST /v1/widget-keys": lambda: {"allowed_origins": [ORIGIN]},
    "PATCH /v1/widget-keys/{key_id}": lambda: {"label": "Renamed"},
    "PATCH /v1/tenant": lambda: {"name": f"Matrix {_unique()}"},
    "POST /v1/api-keys": lambda: {"scopes": [READ]},
    "POST /v1/api-keys/{key_id}/roll": dict,
    "PATCH /v1/members/{member_id}": lambda: {"role": "viewer"},
    "POST /v1/invitations": lambda: {"email": f"m-{_unique()}@example.com", "role": "viewer"},
    "POST /v1/webhooks": lambda: {"url": "https://hooks.shop.example/in", "events": ["quota.threshold"]},
    "PATCH /v1/webhooks/{webhook_id}": lambda: {"description": "Renamed"},
    "POST /v1/webhooks/{webhook_id}/rotate-secret": dict,
    "PATCH /v1/operator/tenants/{tenant_id}": dict,
    "POST /v1/operator/jobs/retry": lambda: {"ids": [1]},
}
QUERIES: dict[str, dict[str, str]] = {
    "GET /v1/reports/usage": {"from": TODAY, "to": TODAY},
    "GET /v1/reports/usage (CSV)": {"from": TODAY, "to": TODAY, "format": "csv"},
    "GET /v1/reports/sessions (CSV)": {"format": "csv"},
    "GET /v1/operator/reports/usage": {"from": TODAY, "to": TODAY},
}


@dataclass
class Caller:
    """Someone making requests: a signed-in member (`role`), a server key (`scope`), or the operator."""

    name: str
    role: str | None = None
    scope: str | None = None
    browser: Browser | None = None
    key: str | None = None
    csrf: str = ""
    http: httpx.Client | None = field(default=None, repr=False)

    def call(self, method: str, url: str, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", {}))
        if self.browser is not None:
            if method not in ("GET", "HEAD"):
                headers |= {"Origin": self.browser.app_url, "X-CSRF-Token": self.csrf}
            return self.browser.http.request(method, url, headers=headers, **kw)
        assert self.http is not None
        return self.http.request(method, url, headers=headers | {"Authorization": f"Bearer {self.key}"}, **kw)


@dataclass
class Matrix:
    app: ServerThread
    owner: Caller
    members: list[Caller]  # owner, admin, billing, viewer
    keys: list[Caller]  # one per scope, exactly that scope
    operator: Caller
    widget_key: str
    http: httpx.Client

    @property
    def tenant_callers(self) -> list[Caller]:
        return [*self.members, *self.keys]


def signed_in(app_url: str, sub: str, name: str, role: str | None, invitation: str | None = None) -> Caller:
    b = Browser(app_url)
    if invitation:
        assert join(b, sub, invitation).status_code == 303
    else:
        assert b.sign_in(sub).status_code == 303
    me = b.me()
    if role is not None:
        assert me["memberships"][0]["role"] == role, me
    return Caller(name, role=role, browser=b, csrf=me["csrf_token"])


@pytest.fixture(scope="module")
def matrix(database_url: str, sim_server: ServerThread, sim, dev_idp: Idp) -> Iterator[Matrix]:
    port = free_port()
    settings = identity_settings(
        database_url, sim_server.url, f"http://127.0.0.1:{port}", dev_idp, None, ground_truth_url=None
    )
    with ServerThread(create_app(settings), port=port) as app:
        owner = signed_in(app.url, dev_idp.user(), "owner", "owner")
        members = [owner]
        for role in ("admin", "billing", "viewer"):
            email = f"{role}-{_unique()}@example.com"
            members.append(
                signed_in(app.url, dev_idp.user(email=email), role, role, invite(owner.browser, email, role))
            )
        # What the session-token rows need to start a real session: provider keys the simulator accepts, an agent.
        for provider, secret in PROVIDER_KEYS.items():
            sim.add_key(provider, secret)
            assert (
                owner.call("POST", "/v1/credentials", json={"provider": provider, "secret": secret}).status_code == 201
            )
        assert (
            owner.call(
                "POST",
                "/v1/agents",
                json={
                    "slug": "demo",
                    "name": "Demo",
                    "engine": {"type": "openai-realtime", "instructions": "Be brief."},
                },
            ).status_code
            == 201
        )
        widget = owner.call("POST", "/v1/widget-keys", json={"allowed_origins": [ORIGIN]}).json()["key"]
        http = httpx.Client(base_url=app.url, timeout=30)  # no cookie jar in use: a backend
        keys = []
        for scope in KEY_SCOPES:
            made = owner.call("POST", "/v1/api-keys", json={"label": f"only {scope}", "scopes": [scope]}).json()
            assert made["scopes"] == [scope]
            keys.append(Caller(f"key[{scope}]", scope=scope, key=made["key"], http=http))
        operator = signed_in(app.url, OPERATOR_SUB, "operator", None)
        assert operator.browser.me()["operator"] is True  # type: ignore[union-attr]
        yield Matrix(app, owner, members, keys, operator, widget, http)
        for c in (*members, operator):
            c.browser.close()  # type: ignore[union-attr]
        http.close()


def openapi_operations(http: httpx.Client) -> set[str]:
    doc = http.get("/schema/openapi.json").json()
    return {
        f"{method.upper()} {path}"
        for path, item in doc["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_every_operation_has_a_row(matrix: Matrix) -> None:
    found = openapi_operations(matrix.http)
    missing, stale = sorted(found - TABLE.keys()), sorted(TABLE.keys() - found)
    assert not missing, (
        f"operations without a row in TABLE ({__name__}): {missing}. Add each with the scope it "
        "needs, and to the matrix in docs/security.md."
    )
    assert not stale, f"rows in TABLE for operations that no longer exist: {stale}"


# What the OpenAPI document must declare for each kind of row, so "Try it" in /schema offers the right credentials.
DECLARED = {
    ADMIN: [{"serverKey": []}, {"adminSession": [], "csrfToken": []}],
    OPERATOR: [{"adminSession": [], "csrfToken": []}],
    WIDGET_KEY: [{"widgetKey": []}],
    SESSION_TOKEN: [{"sessionToken": []}],
    METRICS: [{"metricsToken": []}],
}
for _scope in (WRITE, READ, USAGE):
    DECLARED[_scope] = DECLARED[ADMIN]
# The sign-in machinery: no credential to start it; the session cookie (and CSRF on writes) once signed in.
SIGNED_IN = {
    "GET /auth/me": [{"adminSession": []}],
    "POST /auth/logout": [{}, *DECLARED[OPERATOR]],  # signed out already: it only clears the cookie
    "POST /auth/tenant": DECLARED[OPERATOR],
}


def test_the_openapi_document_declares_how_each_operation_authenticates(matrix: Matrix) -> None:
    doc = matrix.http.get("/schema/openapi.json").json()
    schemes = set(doc["components"]["securitySchemes"])
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            operation = f"{method.upper()} {path}"
            expected = SIGNED_IN.get(operation) or DECLARED.get(TABLE[operation], [{}])
            assert op.get("security") == expected, f"{operation} declares {op.get('security')}, not {expected}"
            assert {name for req in expected for name in req} <= schemes, operation


def request_for(operation: str) -> tuple[str, str, dict[str, Any]]:
    method, template = operation.split(" ")[:2]
    url = re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), template)  # a random id: never another caller's object
    kw: dict[str, Any] = {"params": QUERIES.get(operation)}
    if operation in BODIES:
        kw["json"] = BODIES[operation]()
    elif method in ("POST", "PATCH", "PUT"):
        kw["json"] = {}
    return method, url, kw


def problem_type(resp: httpx.Response) -> str | None:
    if not resp.headers.get("content-type", "").startswith("application/problem+json"):
        return None
    return resp.json()["type"].removeprefix("/problems/")


def assert_allowed(resp: httpx.Response, who: str, operation: str) -> None:
    """Past the scope check: the handler's own answer, never a refusal by the guard."""
    slug = problem_type(resp)
    assert slug not in GUARD_PROBLEMS, f"{who} must be allowed {operation}, got {resp.status_code}: {resp.text}"
    assert resp.status_code in (200, 201, 202, 204) or slug in HANDLER_ANSWERS, (
        f"{who} on {operation}: unexpected {resp.status_code}: {resp.text}"
    )


def assert_refused(resp: httpx.Response, status: int, slug: str, who: str, operation: str) -> None:
    assert (resp.status_code, problem_type(resp)) == (status, slug), (
        f"{who} on {operation}: expected {status} {slug}, got {resp.status_code}: {resp.text}"
    )


SCOPED = sorted(op for op, needs in {**TABLE, **PAGES}.items() if needs in ROLE_MAY)


@pytest.mark.parametrize("operation", SCOPED)
def test_tenant_operations_follow_the_matrix(matrix: Matrix, operation: str) -> None:
    needs = {**TABLE, **PAGES}[operation]
    method, url, kw = request_for(operation)
    refused = 0
    for caller in matrix.tenant_callers:
        resp = caller.call(method, url, **kw)
        # A signed-in member: the role decides. A server key: exactly the scope, or admin (which acts as an admin).
        allowed = caller.role in ROLE_MAY[needs] if caller.role is not None else caller.scope in (needs, ADMIN)
        if allowed:
            assert_allowed(resp, caller.name, operation)
        else:
            refused += 1
            assert_refused(
                resp, 403, "insufficient-role" if caller.role else "insufficient-scope", caller.name, operation
            )
        if kw.get("json") and operation in BODIES:
            kw["json"] = BODIES[operation]()  # a fresh slug or email for the next caller
    assert refused, f"{operation}: nobody refused, so the check for `{needs}` proved nothing"
    # The operator is no member of any tenant: an operator account is not a way into tenants.
    assert_refused(matrix.operator.call(method, url, **kw), 400, "no-tenant-selected", "the operator", operation)


@pytest.mark.parametrize("operation", sorted(op for op, needs in TABLE.items() if needs == OPERATOR))
def test_operator_routes_are_for_operator_accounts_only(matrix: Matrix, operation: str) -> None:
    method, url, kw = request_for(operation)
    for caller in matrix.members:
        assert_refused(caller.call(method, url, **kw), 403, "not-an-operator", caller.name, operation)
    for caller in matrix.keys:  # a server key is no operator's sign-in, whatever its scopes: said as such
        assert_refused(caller.call(method, url, **kw), 403, "not-an-operator", caller.name, operation)
    assert_allowed(matrix.operator.call(method, url, **kw), "the operator", operation)


def test_the_widget_start_takes_only_a_widget_key(matrix: Matrix) -> None:
    operation = "POST /v1/widget/sessions"
    assert TABLE[operation] == WIDGET_KEY
    method, url, kw = request_for(operation)
    for caller in (*matrix.tenant_callers, matrix.operator):
        assert_refused(caller.call(method, url, **kw), 401, "unknown-key", caller.name, operation)
    as_widget = matrix.http.request(
        method, url, headers={"Authorization": f"Bearer {matrix.widget_key}", "Origin": ORIGIN}, **kw
    )
    assert_allowed(as_widget, "the widget key", operation)


@pytest.mark.parametrize("operation", sorted(op for op, needs in TABLE.items() if needs == SESSION_TOKEN))
def test_heartbeat_and_end_take_only_the_sessions_own_token(matrix: Matrix, db: Db, operation: str) -> None:
    started = matrix.http.post(
        "/v1/widget/sessions",
        json={"agent": "demo"},
        headers={"Authorization": f"Bearer {matrix.widget_key}", "Origin": ORIGIN},
    )
    assert started.status_code == 201, started.text
    sid, token = started.json()["session_id"], started.json()["heartbeat"]["token"]
    url = operation.split(" ", 1)[1].replace("{session_id}", sid)
    try:
        for caller in (*matrix.tenant_callers, matrix.operator):
            assert_refused(caller.call("POST", url), 401, "invalid-session-token", caller.name, operation)
        assert db.value("select state from sessions where id = $1::uuid", sid) == "active"  # nobody else ended it
        own = matrix.http.post(url, headers={"Authorization": f"Bearer {token}", "Origin": ORIGIN})
        assert own.status_code == 200, own.text
    finally:
        matrix.http.post(f"/v1/widget/sessions/{sid}/end", headers={"Authorization": f"Bearer {token}"})
    assert db.value("select end_reason from sessions where id = $1::uuid", sid) == "client_ended"


def test_a_server_key_never_makes_changes_or_removes_an_owner(matrix: Matrix, dev_idp: Idp) -> None:
    """A key acts as an admin; only a signed-in owner makes or unmakes owners. A second owner exists, so the
    last-owner rule cannot be what stops these."""
    owner, admin_role = matrix.owner, matrix.members[1]
    admin_key = next(k for k in matrix.keys if k.scope == ADMIN)
    email = f"owner2-{_unique()}@example.com"
    second = signed_in(
        matrix.app.url, dev_idp.user(email=email), "second owner", "owner", invite(owner.browser, email, "owner")
    )
    email = f"pawn-{_unique()}@example.com"
    pawn = signed_in(
        matrix.app.url, dev_idp.user(email=email), "pawn", "viewer", invite(owner.browser, email, "viewer")
    )
    try:
        ids = {m["user_id"]: m["id"] for m in owner.call("GET", "/v1/members").json()["items"]}
        second_id = ids[second.browser.me()["user"]["id"]]  # type: ignore[union-attr]
        pawn_id = ids[pawn.browser.me()["user"]["id"]]  # type: ignore[union-attr]

        def roles() -> dict[str, str]:
            return {m["id"]: m["role"] for m in owner.call("GET", "/v1/members").json()["items"]}

        def invitations() -> int:
            return len(owner.call("GET", "/v1/invitations").json()["items"])

        before = invitations()
        for who, slug in ((admin_key, "insufficient-scope"), (admin_role, "insufficient-role")):
            assert_problem(
                who.call("POST", "/v1/invitations", json={"email": f"x-{_unique()}@example.com", "role": "owner"}),
                403,
                slug,
            )
            assert_problem(who.call("PATCH", f"/v1/members/{pawn_id}", json={"role": "owner"}), 403, slug)
            assert_problem(who.call("PATCH", f"/v1/members/{second_id}", json={"role": "viewer"}), 403, slug)
            assert_problem(who.call("DELETE", f"/v1/members/{second_id}"), 403, slug)
        assert invitations() == before
        assert (roles()[second_id], roles()[pawn_id]) == ("owner", "viewer")
        # Not a blanket refusal: the key manages everyone but owners.
        assert admin_key.call("PATCH", f"/v1/members/{pawn_id}", json={"role": "billing"}).json()["role"] == "billing"
        assert (
            admin_key.call(
                "POST", "/v1/invitations", json={"email": f"x-{_unique()}@example.com", "role": "admin"}
            ).status_code
            == 201
        )
        assert admin_key.call("DELETE", f"/v1/members/{pawn_id}").status_code == 204
        # And a signed-in owner may do all three.
        assert owner.call("PATCH", f"/v1/members/{second_id}", json={"role": "admin"}).json()["role"] == "admin"
        assert owner.call("DELETE", f"/v1/members/{second_id}").status_code == 204
    finally:
        for c in (second, pawn):
            c.browser.close()  # type: ignore[union-attr]


# --- docs/security.md says the same --------------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
ITEM = re.compile(r"`(?:(GET|POST|PUT|PATCH|DELETE) )?(/[^`]+)`")


def doc_matrix() -> list[tuple[list[tuple[str | None, str]], set[str], str]]:
    """Rows of the matrix that name paths: ([(method or None, path)], roles ticked, scope a key needs)."""
    text = DOC.read_text()
    section = text.split("## Who may do what", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[5].startswith("`"):
            continue
        items = [(m or None, p) for m, p in ITEM.findall(cells[0])]
        if items:
            roles = {r for r, tick in zip(ROLES, cells[1:5], strict=True) if tick == "✓"}
            rows.append((items, roles, cells[5].strip("`")))
    return rows


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_documented_matrix_agrees_with_the_table() -> None:
    rows = doc_matrix()
    assert len(rows) >= 8, rows
    for operation, needs in sorted(TABLE.items()):
        if needs not in ROLE_MAY:
            continue
        method, path = operation.split(" ", 1)
        exact = [r for r in rows for m, p in r[0] if m == method and _template(p) == _template(path)]
        prefix = [(len(p), r) for r in rows for m, p in r[0] if m is None and (path == p or path.startswith(p + "/"))]
        assert exact or prefix, f"docs/security.md's matrix has no row for {operation}"
        row = exact[0] if exact else max(prefix, key=lambda x: x[0])[1]
        assert row[2] == needs, (
            f"docs/security.md says a key needs `{row[2]}` for {operation}; the table says `{needs}`"
        )
        assert row[1] == ROLE_MAY[needs], f"docs/security.md ticks {sorted(row[1])} for {operation} (`{needs}`)"
