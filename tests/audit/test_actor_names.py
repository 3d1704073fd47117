"""Each audit event names its actor in words (`actor_name`): a person by name or email, a key by its label, Greenroom
by the part that acted; read in the very statement that reads the page of events, however many actors it holds."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.identity.conftest import Browser
from tests.identity.test_tenancy import invite, join
from tests.support.database import Db


def audit(http: httpx.Client | Browser, **params: str) -> list[dict]:
    client = http.http if isinstance(http, Browser) else http
    resp = client.get("/v1/audit-events", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement this process sends while the test runs (the app runs in-process, on its own thread)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()).lower())

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def test_people_keys_and_greenroom_are_named(owner: Browser, new_browser, dev_idp, db: Db) -> None:
    tenant = owner.me()["active_tenant_id"]
    owner_name = owner.me()["user"]["name"]
    # A person with a name, a person with only an email, a server key, and Greenroom itself.
    agent = owner.send(
        "POST", "/v1/agents", json={"slug": "named", "name": "Named", "engine": {"type": "openai-realtime"}}
    )
    assert agent.status_code == 201, agent.text
    email = f"nameless-{secrets.token_hex(3)}@example.com"
    nameless_sub = dev_idp.user(email=email)
    nameless = new_browser()
    assert join(nameless, nameless_sub, invite(owner, email, "admin")).status_code == 303
    db.execute("update users set name = null where subject = $1", nameless_sub)  # a provider that sends no name
    assert nameless.send("PATCH", f"/v1/agents/{agent.json()['id']}", json={"name": "Renamed"}).status_code == 200
    made = owner.send("POST", "/v1/api-keys", json={"label": "billing backend", "scopes": ["admin"]}).json()
    with httpx.Client(base_url=owner.app_url, headers={"Authorization": f"Bearer {made['key']}"}) as key:
        assert key.post("/v1/widget-keys", json={"allowed_origins": ["https://n.example"]}).status_code == 201
    db.execute(
        "insert into audit_events (tenant_id, actor_type, actor_id, actor_label, action, target_type)"
        " values ($1::uuid, 'system', null, 'webhooks', 'webhook.disabled', 'webhook')",
        tenant,
    )
    names = {e["action"]: (e["actor_type"], e["actor_name"]) for e in audit(owner)}
    assert names["agent.created"] == ("user", owner_name)
    assert names["agent.updated"] == ("user", email)  # no name: the email
    assert names["widget_key.created"] == ("api_key", "billing backend")
    assert names["webhook.disabled"] == ("system", "webhooks")
    # An actor that is gone: the event keeps its id, the name is null (never someone else's).
    db.execute(
        "insert into audit_events (tenant_id, actor_type, actor_id, action, target_type)"
        " values ($1::uuid, 'user', $2, 'agent.deleted', 'agent')",
        tenant,
        str(uuid.uuid4()),
    )
    gone = audit(owner, action="agent.deleted")[0]
    assert gone["actor_id"] and gone["actor_name"] is None


def test_one_statement_names_every_actor_on_a_page(owner: Browser, new_browser, dev_idp, statements) -> None:
    for n in range(3):  # three people, each with several changes
        email = f"actor-{n}-{secrets.token_hex(3)}@example.com"
        person = new_browser()
        assert (
            join(person, dev_idp.user(email=email, name=f"Actor {n}"), invite(owner, email, "admin")).status_code == 303
        )
        for i in range(4):
            made = person.send(
                "POST", "/v1/widget-keys", json={"label": f"{n}.{i}", "allowed_origins": ["https://a.example"]}
            )
            assert made.status_code == 201, made.text
    key = owner.send("POST", "/v1/api-keys", json={"label": "reader", "scopes": ["admin"]}).json()["key"]
    with httpx.Client(base_url=owner.app_url, headers={"Authorization": f"Bearer {key}"}) as reader:
        statements.clear()
        page = audit(reader, limit="100")
    assert {e["actor_name"] for e in page if e["action"] == "widget_key.created"} == {"Actor 0", "Actor 1", "Actor 2"}
    reads = [s for s in statements if s.startswith("select")]
    assert len([s for s in reads if "audit_events" in s]) == 1, reads
    lookups = [
        s for s in reads if "audit_events" not in s and any(t in s for t in (" users", "api_keys", "widget_keys"))
    ]
    assert not lookups, lookups  # no look-up per event
