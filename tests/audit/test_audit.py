"""Every admin mutation leaves an audit event: actor, action, target, before and after, never a secret."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from devtools.simulator.control import SimulatorControl
from tests.support.database import Db, run


@pytest.fixture
def admin(stack, tenant) -> httpx.Client:
    client = httpx.Client(
        base_url=stack.url,
        timeout=30,
        headers={"Authorization": f"Bearer {tenant.server_key}", "User-Agent": "audit-test/1.0"},
    )
    yield client
    client.close()


def events(admin: httpx.Client, **params) -> list[dict]:
    resp = admin.get("/v1/audit-events", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def test_agent_changes_are_recorded_with_before_and_after(admin, db: Db, tenant) -> None:
    agent = admin.post(
        "/v1/agents", json={"slug": "audited", "name": "Before", "engine": {"type": "cartesia", "agent_id": "a1"}}
    ).json()
    admin.patch(f"/v1/agents/{agent['id']}", json={"name": "After"})
    admin.delete(f"/v1/agents/{agent['id']}")
    trail = events(admin, target=agent["id"])
    assert [e["action"] for e in trail] == ["agent.deleted", "agent.updated", "agent.created"]
    updated = trail[1]
    assert updated["before"]["name"] == "Before" and updated["after"]["name"] == "After"
    key_id = db.value(
        "select id::text from api_keys where tenant_id = $1 order by created_at limit 1", tenant.tenant_id
    )
    assert updated["actor_type"] == "api_key" and updated["actor_id"] == key_id
    assert updated["ip"] == "127.0.0.1" and updated["user_agent"] == "audit-test/1.0"


def test_no_secret_reaches_an_audit_event(admin, sim: SimulatorControl, db: Db, tenant) -> None:
    secret = "sk-audit-secret-0123456789"
    sim.add_key("openai", secret)
    admin.post("/v1/credentials", json={"provider": "openai", "label": "audited", "secret": secret})
    created = admin.post("/v1/api-keys", json={"label": "audited", "scopes": ["sessions:read"]}).json()
    raw = json.dumps(
        db.fetch("select before, after from audit_events where tenant_id = $1", tenant.tenant_id), default=str
    )
    assert secret not in raw and created["key"] not in raw
    assert sorted(e["action"] for e in events(admin)) == ["api_key.created", "credential.saved"]


def test_filters_and_pages(admin, stack, tenant) -> None:
    for n in range(3):
        admin.post("/v1/widget-keys", json={"label": f"k{n}", "allowed_origins": ["https://f.example"]})
    started = admin.post("/v1/sessions", json={"agent": "demo"}).json()["session_id"]
    admin.delete(f"/v1/sessions/{started}")
    assert {e["action"] for e in events(admin, action="widget_key.")} == {"widget_key.created"}
    assert [e["action"] for e in events(admin, action="session.terminated")] == ["session.terminated"]
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert events(admin, since=soon) == [] and len(events(admin, until=soon)) == 4
    first = admin.get("/v1/audit-events", params={"limit": 3}).json()
    rest = admin.get("/v1/audit-events", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 3 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert first["items"][-1]["id"] > rest["items"][0]["id"]


def test_the_app_role_cannot_rewrite_history(database_url: str, admin, tenant) -> None:
    admin.post("/v1/widget-keys", json={"allowed_origins": ["https://h.example"]})

    async def tamper() -> list[str]:
        conn = await asyncpg.connect(database_url)
        refused = []
        try:
            for sql in ("update audit_events set action = 'nothing'", "delete from audit_events"):
                try:
                    async with conn.transaction():
                        await conn.execute("select set_config('app.tenant_id', $1, true)", str(tenant.tenant_id))
                        await conn.execute(sql)
                except asyncpg.exceptions.InsufficientPrivilegeError:
                    refused.append(sql.split()[0])
        finally:
            await conn.close()
        return refused

    assert run(tamper()) == ["update", "delete"]
