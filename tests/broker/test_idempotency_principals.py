"""An `Idempotency-Key` record belongs to the exact principal that made it (docs/decisions/0012-idempotency-keys.md).

Every pair of callers that could meet on one key value: two server keys of one tenant, a server key and a signed-in
admin (both ways), two tenants, and the widget path (a widget key, another visitor of it, a widget key bound to one
agent). The second caller never gets the first one's answer — no session id, no provider token, no heartbeat
token — and never a 409 or 422 caused by the first one's request: it gets what it would have got alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from app.auth.admin_sessions import csrf_token, session_cookie, start_session
from app.db.engine import make_engine, make_sessionmaker, transaction
from app.identity.oidc import Identity
from app.identity.signin import complete_sign_in
from app.kit.tokens import hash_token
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem
from tests.support.database import Db, run
from tests.support.stack import TenantKeys, make_tenant


@dataclass
class Caller:
    """Someone who starts sessions on the tenant API, and who they are in an idempotency record."""

    name: str
    headers: dict[str, str]
    tenant_id: uuid.UUID
    kind: str  # principal_kind
    id: uuid.UUID  # principal_id: the server key's or the user's id

    def create(self, http: httpx.Client, key: str, agent: str = "demo") -> httpx.Response:
        return http.post("/v1/sessions", json={"agent": agent}, headers=self.headers | {"Idempotency-Key": key})


def the_server_key(db: Db, tenant: TenantKeys) -> Caller:
    key_id = db.value("select id from api_keys where key_hash = $1", hash_token(tenant.server_key))
    return Caller(
        "server key", {"Authorization": f"Bearer {tenant.server_key}"}, tenant.tenant_id, "server_key", key_id
    )


def another_server_key(stack: Any, tenant: TenantKeys) -> Caller:
    made = stack.http.post(
        "/v1/api-keys",
        json={"label": "second backend", "scopes": ["sessions:write"]},
        headers={"Authorization": f"Bearer {tenant.server_key}"},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    return Caller(
        "another server key",
        {"Authorization": f"Bearer {body['key']}"},
        tenant.tenant_id,
        "server_key",
        uuid.UUID(body["id"]),
    )


def signed_in_admin(stack: Any, tenant: TenantKeys) -> Caller:
    """An admin of the tenant with a live session: invited through the API, then signed in as the OIDC callback
    does once the provider vouched for them (that round trip is tested in tests/identity)."""
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    invited = stack.http.post(
        "/v1/invitations",
        json={"email": email, "role": "admin"},
        headers={"Authorization": f"Bearer {tenant.server_key}"},
    )
    assert invited.status_code == 201, invited.text
    token = invited.json()["url"].rsplit("/", 1)[1]
    settings = stack.settings

    async def sign_in() -> tuple[uuid.UUID, str]:
        engine = make_engine(settings.database_url, null_pool=True)
        try:
            async with transaction(make_sessionmaker(engine)) as db:
                identity = Identity("https://idp.test", "sub-" + email, email, True, "Ada")
                user, tenant_id = await complete_sign_in(db, settings, identity, hash_token(token))
                assert tenant_id == tenant.tenant_id
                return user.id, await start_session(db, settings, user.id, tenant_id, None, None)
        finally:
            await engine.dispose()

    user_id, raw = run(sign_in())
    headers = {
        "Cookie": f"{session_cookie(settings)}={raw}",
        "X-CSRF-Token": csrf_token(settings, raw),
        "Origin": settings.public_url,
    }
    return Caller("signed-in admin", headers, tenant.tenant_id, "admin", user_id)


def other_tenants_server_key(stack: Any, tenant: TenantKeys, db: Db) -> Caller:
    other = run(make_tenant(stack.settings, tenant.provider_keys))
    return Caller(**{**the_server_key(db, other).__dict__, "name": "another tenant's server key"})


Make = Callable[[Any, TenantKeys, Db], Caller]
CALLERS: dict[str, Make] = {
    "server key": lambda stack, tenant, db: the_server_key(db, tenant),
    "another server key": lambda stack, tenant, db: another_server_key(stack, tenant),
    "signed-in admin": lambda stack, tenant, db: signed_in_admin(stack, tenant),
    "another tenant's server key": other_tenants_server_key,
}
PAIRS = [
    ("server key", "another server key"),
    ("server key", "signed-in admin"),
    ("signed-in admin", "server key"),
    ("server key", "another tenant's server key"),
]


@pytest.fixture(params=PAIRS, ids=[f"{a} then {b}" for a, b in PAIRS])
def pair(request: pytest.FixtureRequest, stack: Any, tenant: TenantKeys, db: Db) -> tuple[Caller, Caller]:
    first, second = request.param
    return CALLERS[first](stack, tenant, db), CALLERS[second](stack, tenant, db)


def secrets_of(answer: dict[str, Any]) -> list[str]:
    """What a stored answer gives its holder: the session, the provider's SDK token, the heartbeat token."""
    return [answer["session_id"], answer["token"], answer["heartbeat"]["token"], answer["heartbeat"]["url"]]


def assert_nothing_of(first: dict[str, Any], second: httpx.Response) -> None:
    for secret in secrets_of(first):
        assert secret not in second.text, "the second caller was handed the first caller's answer"
    assert "idempotent-replayed" not in second.headers


def fresh(resp: httpx.Response, caller: Caller, db: Db) -> dict[str, Any]:
    """A session this caller started itself, recorded as the caller's own."""
    assert resp.status_code == 201, f"{caller.name}: {resp.status_code} {resp.text}"
    assert "idempotent-replayed" not in resp.headers
    answer = resp.json()
    row = db.fetch("select tenant_id, api_key_id from sessions where id = $1", uuid.UUID(answer["session_id"]))[0]
    assert row["tenant_id"] == caller.tenant_id
    assert row["api_key_id"] == (caller.id if caller.kind == "server_key" else None)
    return answer


def records(db: Db, key: str) -> set[tuple[uuid.UUID, str, uuid.UUID, str]]:
    return {
        (r["tenant_id"], r["principal_kind"], r["principal_id"], r["state"])
        for r in db.fetch(
            "select tenant_id, principal_kind, principal_id, state from idempotency_keys where key = $1", key
        )
    }


def test_the_same_key_and_body_from_another_principal_starts_its_own_session(
    stack: Any, pair: tuple[Caller, Caller], sim: SimulatorControl, db: Db
) -> None:
    a, b = pair
    key = str(uuid.uuid4())
    first = fresh(a.create(stack.http, key), a, db)
    second_resp = b.create(stack.http, key)
    second = fresh(second_resp, b, db)
    assert_nothing_of(first, second_resp)
    assert second["session_id"] != first["session_id"]
    # Each still replays its own answer, and only its own.
    for caller, own, other in ((a, first, second), (b, second, first)):
        replay = caller.create(stack.http, key)
        assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true", replay.text
        assert replay.json() == own
        assert all(secret not in replay.text for secret in secrets_of(other))
    assert records(db, key) == {(a.tenant_id, a.kind, a.id, "done"), (b.tenant_id, b.kind, b.id, "done")}


def test_another_principals_body_is_never_a_mismatch(stack: Any, pair: tuple[Caller, Caller], db: Db) -> None:
    a, b = pair
    key = str(uuid.uuid4())
    first = fresh(a.create(stack.http, key, agent="demo"), a, db)
    other_body = b.create(stack.http, key, agent="voice")  # not 422: it is b's first use of the key
    fresh(other_body, b, db)
    assert_nothing_of(first, other_body)
    assert_problem(a.create(stack.http, key, agent="voice"), 422, "idempotency-mismatch")  # a's own rule stands


def test_another_principals_running_request_is_never_in_progress(
    stack: Any, pair: tuple[Caller, Caller], sim: SimulatorControl, db: Db
) -> None:
    """The first caller's create is held at the provider while the second sends the same key: not 409."""
    a, b = pair
    key = str(uuid.uuid4())
    hold = sim.hold("avaturn.create", times=1)
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(a.create, stack.http, key)
        try:
            sim.wait_held(hold["id"], 1)
            assert (a.tenant_id, a.kind, a.id, "in_progress") in records(db, key)
            meanwhile = b.create(stack.http, key)
            assert_problem(a.create(stack.http, key), 409, "idempotency-in-progress")  # a's own duplicate waits
        finally:
            sim.release(hold["id"])
        first = fresh(running.result(timeout=30), a, db)
    second = fresh(meanwhile, b, db)
    assert_nothing_of(first, meanwhile)
    assert second["session_id"] != first["session_id"]


# --- The widget path refuses the header: nothing a widget caller sends can reach a stored answer ------------------


def widget_create(
    stack: Any, tenant: TenantKeys, key: str | None, agent: str = "demo", widget_key: str | None = None
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {widget_key or tenant.widget_key}", "Origin": tenant.origin}
    if key is not None:
        headers["Idempotency-Key"] = key
    return stack.http.post("/v1/widget/sessions", json={"agent": agent}, headers=headers)


def assert_refused(resp: httpx.Response, tenant: TenantKeys) -> None:
    problem = assert_problem(resp, 400, "invalid-request")
    assert "Idempotency-Key is not accepted with a widget key" in problem["detail"]
    assert resp.headers["access-control-allow-origin"] == tenant.origin


def test_a_server_keys_answer_never_reaches_a_widget_key(stack: Any, tenant: TenantKeys, db: Db) -> None:
    server = the_server_key(db, tenant)
    key = str(uuid.uuid4())
    first = fresh(server.create(stack.http, key), server, db)
    refused = widget_create(stack, tenant, key)  # the same key and body, with the publishable key and a forged Origin
    assert_refused(refused, tenant)
    assert_nothing_of(first, refused)
    own = widget_create(stack, tenant, None)  # what the widget caller does get: a session of its own
    assert own.status_code == 201, own.text
    assert_nothing_of(first, own)
    assert records(db, key) == {(tenant.tenant_id, "server_key", server.id, "done")}


def test_a_widget_request_first_leaves_nothing_for_the_server_key(stack: Any, tenant: TenantKeys, db: Db) -> None:
    server = the_server_key(db, tenant)
    key = str(uuid.uuid4())
    assert_refused(widget_create(stack, tenant, key), tenant)
    assert records(db, key) == set()
    fresh(server.create(stack.http, key), server, db)  # not a replay, not 409/422: the server key's own first use


def test_visitors_of_one_widget_key_share_nothing(stack: Any, tenant: TenantKeys, db: Db) -> None:
    """Two visitors of one page sending the same key value: the first one's request stores nothing the second
    could be handed, whoever the second is (a visitor is a salted hash of its address; here every visitor is
    127.0.0.1, which is the worst case: the same address)."""
    key = str(uuid.uuid4())
    first_visitor = widget_create(stack, tenant, key)
    assert_refused(first_visitor, tenant)
    second_visitor = widget_create(stack, tenant, key)
    assert_refused(second_visitor, tenant)
    assert records(db, key) == set()
    assert db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 0
    a, b = widget_create(stack, tenant, None), widget_create(stack, tenant, None)
    assert a.status_code == b.status_code == 201 and a.json()["session_id"] != b.json()["session_id"]
    assert_nothing_of(a.json(), b)


def test_an_agent_bound_widget_key_cannot_replay_a_session_of_another_agent(
    stack: Any, tenant: TenantKeys, db: Db
) -> None:
    server = the_server_key(db, tenant)
    bound = stack.http.post(
        "/v1/widget-keys",
        json={"label": "demo only", "allowed_origins": [tenant.origin], "agent": "demo"},
        headers={"Authorization": f"Bearer {tenant.server_key}"},
    )
    assert bound.status_code == 201, bound.text
    bound_key = bound.json()["key"]
    key = str(uuid.uuid4())
    first = fresh(server.create(stack.http, key, agent="voice"), server, db)
    replay = widget_create(stack, tenant, key, agent="voice", widget_key=bound_key)
    assert_refused(replay, tenant)
    assert_nothing_of(first, replay)
    # What the bound key gets for that agent without the header: the restriction, as always.
    assert_problem(widget_create(stack, tenant, None, agent="voice", widget_key=bound_key), 403, "agent-not-allowed")
    assert_refused(widget_create(stack, tenant, key, agent="demo", widget_key=bound_key), tenant)
    assert records(db, key) == {(tenant.tenant_id, "server_key", server.id, "done")}


# --- The migration: records made before it name no principal, so none of them survives it ---------------------------


def test_the_migration_forgets_records_that_name_no_principal(owner_database_url: str) -> None:
    """0018: a record from before could be handed to any caller of its tenant, which is the leak; it is deleted
    (records live 24 hours anyway), and the new primary key holds one record per principal and key."""
    import asyncpg
    from alembic import command

    from app.db.migrate import alembic_config, upgrade

    server, main = owner_database_url.rsplit("/", 1)
    name = f"greenroom_mig_{uuid.uuid4().hex[:10]}"
    admin, url = f"{server}/{main}", f"{server}/{name}"

    async def sql(target: str, statement: str, *args: Any) -> list[dict[str, Any]]:
        conn = await asyncpg.connect(target.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            return [dict(r) for r in await conn.fetch(statement, *args)]
        finally:
            await conn.close()

    pk = (
        "select a.attname from pg_index i"
        " join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)"
        " where i.indrelid = 'idempotency_keys'::regclass and i.indisprimary"
        " order by array_position(i.indkey, a.attnum)"
    )
    run(sql(admin, f'create database "{name}"'))
    try:
        upgrade(url, "0017")
        tenant = uuid.uuid4()
        run(
            sql(
                url,
                "insert into tenants (id, name, slug, status) values ($1, 'Old', $2, 'active')",
                tenant,
                f"old-{tenant.hex[:8]}",
            )
        )
        run(sql(url, "insert into idempotency_keys (tenant_id, key, request_hash) values ($1, 'k', 'h')", tenant))
        upgrade(url, "0018")
        assert run(sql(url, "select count(*) as n from idempotency_keys"))[0]["n"] == 0
        assert [r["attname"] for r in run(sql(url, pk))] == ["tenant_id", "principal_kind", "principal_id", "key"]
        one, two = uuid.uuid4(), uuid.uuid4()
        for principal in (one, two):  # the same key value for two server keys of one tenant: two records
            run(
                sql(
                    url,
                    "insert into idempotency_keys (tenant_id, principal_kind, principal_id, key, request_hash)"
                    " values ($1, 'server_key', $2, 'k', 'h')",
                    tenant,
                    principal,
                )
            )
        command.downgrade(alembic_config(url), "0017")
        assert run(sql(url, "select count(*) as n from idempotency_keys"))[0]["n"] == 0
        assert [r["attname"] for r in run(sql(url, pk))] == ["tenant_id", "key"]
    finally:
        run(sql(admin, f'drop database if exists "{name}" with (force)'))
