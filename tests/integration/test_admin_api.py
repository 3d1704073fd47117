"""The admin API with a server key: provider keys, agents, widget keys and server keys."""

from __future__ import annotations

import httpx
import pytest

from app.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem
from tests.support.database import Db


@pytest.fixture
def admin(stack, tenant) -> httpx.Client:
    client = httpx.Client(base_url=stack.url, headers={"Authorization": f"Bearer {tenant.server_key}"}, timeout=30)
    yield client
    client.close()


def test_saving_a_provider_key_verifies_it_and_never_returns_it(admin, sim: SimulatorControl, db: Db, tenant) -> None:
    good = "sk-admin-" + "a1b2c3d4e5f6g7h8"
    sim.add_key("openai", good)
    resp = admin.post("/v1/credentials", json={"provider": "openai", "label": "prod", "secret": good})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["status"] == "valid" and body["last4"] == "g7h8" and body["verified_at"] and len(body["fingerprint"]) == 16
    assert good not in resp.text and good not in admin.get("/v1/credentials").text
    assert {(c["provider"], c["label"]) for c in admin.get("/v1/credentials").json()["items"]} >= {("openai", "prod")}
    assert admin.get(f"/v1/credentials/{body['id']}").json()["last4"] == "g7h8"

    bad = assert_problem(admin.post("/v1/credentials", json={"provider": "avaturn", "label": "x", "secret": "av-not-a-real-key-1"}),
                         422, "credential-invalid")
    assert "Avaturn rejected this key" in bad["detail"] and bad["provider"] == "avaturn"
    assert db.value("select count(*) from provider_credentials where tenant_id = $1 and label = 'x'", tenant.tenant_id) == 0

    assert admin.delete(f"/v1/credentials/{body['id']}").status_code == 204
    assert_problem(admin.get(f"/v1/credentials/{body['id']}"), 404, "not-found")


@pytest.mark.parametrize("provider", ["openai", "avaturn", "cartesia"])
def test_each_provider_key_is_checked_against_its_provider(admin, sim: SimulatorControl, provider: str) -> None:
    key = {"openai": "sk-", "avaturn": "av-", "cartesia": "sk_car_"}[provider] + "check-0123456789"
    assert_problem(admin.post("/v1/credentials", json={"provider": provider, "secret": key}), 422, "credential-invalid")
    sim.add_key(provider, key)
    assert admin.post("/v1/credentials", json={"provider": provider, "secret": key}).json()["status"] == "valid"


def test_unreachable_provider_saves_the_key_as_unverified(admin, sim: SimulatorControl) -> None:
    sim.fault("openai.client_secrets", timeout=True)
    resp = admin.post("/v1/credentials", json={"provider": "openai", "label": "later", "secret": "sk-unchecked-0123456789"})
    assert resp.status_code == 201 and resp.json()["status"] == "unverified"
    assert "did not answer in time" in resp.json()["detail"]


def test_credential_input_is_validated(admin) -> None:
    assert_problem(admin.post("/v1/credentials", json={"provider": "acme", "secret": "x" * 20}), 400, "invalid-request")
    assert_problem(admin.post("/v1/credentials", json={"provider": "openai", "secret": "short"}), 400, "invalid-request")


def test_agents_crud_and_a_new_agent_starts_sessions(admin, stack, tenant) -> None:
    spec = {"slug": "sales", "name": "Sales", "engine": {"type": "openai-realtime", "voice": "cedar", "instructions": "Sell."},
            "avatar": {"max_duration": 300, "background": "transparent"}}
    created = admin.post("/v1/agents", json=spec)
    assert created.status_code == 201, created.text
    agent = created.json()
    assert agent["engine"]["voice"] == "cedar" and agent["avatar"]["max_duration"] == 300
    assert_problem(admin.post("/v1/agents", json=spec), 409, "conflict")
    assert_problem(admin.post("/v1/agents", json={**spec, "slug": "x", "avatar": {"max_duration": 30}}), 400, "invalid-request")
    assert_problem(admin.post("/v1/agents", json={**spec, "slug": "Bad Slug"}), 400, "invalid-request")

    patched = admin.patch(f"/v1/agents/{agent['id']}", json={"name": "Sales EU", "avatar": {"max_duration": 120}}).json()
    assert patched["name"] == "Sales EU" and patched["avatar"]["max_duration"] == 120 and patched["slug"] == "sales"
    session = admin.post("/v1/sessions", json={"agent": "sales"})
    assert session.status_code == 201, session.text
    admin.delete(f"/v1/sessions/{session.json()['session_id']}")

    assert admin.delete(f"/v1/agents/{agent['id']}").status_code == 204
    assert_problem(admin.post("/v1/sessions", json={"agent": "sales"}), 404, "unknown-agent")


def test_widget_keys_issue_restrict_and_revoke(admin, stack) -> None:
    assert_problem(admin.post("/v1/widget-keys", json={"allowed_origins": ["not an origin"]}), 400, "invalid-request")
    key = admin.post("/v1/widget-keys", json={"label": "shop", "allowed_origins": ["https://a.example"], "agent": "demo"}).json()
    assert key["key"].startswith("gr_pk_") and key["allowed_origins"] == ["https://a.example"]

    def start(agent: str) -> httpx.Response:
        return stack.http.post("/v1/widget/sessions", json={"agent": agent},
                               headers={"Authorization": f"Bearer {key['key']}", "Origin": "https://a.example"})

    assert_problem(start("voice"), 403, "agent-not-allowed")
    ok = start("demo")
    assert ok.status_code == 201
    admin.delete(f"/v1/sessions/{ok.json()['session_id']}")
    assert admin.delete(f"/v1/widget-keys/{key['id']}").json()["revoked_at"]
    assert_problem(start("demo"), 401, "unknown-key")


def test_server_keys_are_shown_once_scoped_and_revocable(admin, stack) -> None:
    created = admin.post("/v1/api-keys", json={"label": "reader", "scopes": ["sessions:read"]}).json()
    key = created["key"]
    assert key.startswith(created["prefix"])
    listed = admin.get("/v1/api-keys").text
    assert created["prefix"] in listed and key not in listed
    reader = {"Authorization": f"Bearer {key}"}
    assert stack.http.get("/v1/sessions", headers=reader).status_code == 200
    assert_problem(stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=reader), 403, "insufficient-scope")
    assert_problem(stack.http.get("/v1/agents", headers=reader), 403, "insufficient-scope")
    assert admin.get(f"/v1/api-keys/{created['id']}").json()["last_used_at"]
    admin.delete(f"/v1/api-keys/{created['id']}")
    assert_problem(stack.http.get("/v1/sessions", headers=reader), 401, "unknown-key")


def test_openai_engine_settings_reach_the_minted_session(admin, sim: SimulatorControl, db: Db, tenant) -> None:
    tool = {"name": "lookup_order", "description": "Find an order.",
            "parameters": {"type": "object", "properties": {"number": {"type": "string"}}, "required": ["number"]}}
    spec = {"slug": "orders", "name": "Orders", "engine": {
        "type": "openai-realtime", "voice": "coral", "speed": 1.2, "instructions": "Help with orders.", "tools": [tool],
        "tool_choice": "required", "turn_detection": {"type": "semantic_vad", "eagerness": "low"},
        "transcription": {"model": "gpt-4o-transcribe", "language": "de"}}}
    assert admin.post("/v1/agents", json=spec).status_code == 201
    started = admin.post("/v1/sessions", json={"agent": "orders"}).json()
    upstream_id = db.value("select upstream_session_id from sessions where id::text = $1", started["session_id"])
    session = sim.session(upstream_id)["engine_detail"]["session"]
    assert session["audio"]["output"] == {**session["audio"]["output"], "voice": "coral", "speed": 1.2}
    assert session["audio"]["input"]["turn_detection"]["type"] == "semantic_vad"
    assert session["audio"]["input"]["transcription"]["language"] == "de"
    assert session["tools"][0]["name"] == "lookup_order" and session["tool_choice"] == "required"
    admin.delete(f"/v1/sessions/{started['session_id']}")

    bad_engine = {**spec["engine"], "voice": "robot"}
    assert_problem(admin.post("/v1/agents", json={**spec, "slug": "o2", "engine": bad_engine}), 400, "invalid-request")
    no_vad = {**spec["engine"], "turn_detection": None}
    assert admin.post("/v1/agents", json={**spec, "slug": "o3", "engine": no_vad}).json()["engine"]["turn_detection"] is None


def test_rolling_a_server_key_keeps_the_old_one_for_the_grace_period(admin, stack) -> None:
    first = admin.post("/v1/api-keys", json={"label": "backend", "scopes": ["sessions:read"]}).json()
    rolled = admin.post(f"/v1/api-keys/{first['id']}/roll", json={"grace_s": 3600})
    assert rolled.status_code == 201, rolled.text
    second = rolled.json()
    assert second["key"] != first["key"] and second["scopes"] == ["sessions:read"] and second["label"] == "backend"
    for key in (first["key"], second["key"]):  # both work during the grace period
        assert stack.http.get("/v1/sessions", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    old = admin.get(f"/v1/api-keys/{first['id']}").json()
    assert old["replaced_by"] == second["id"] and old["expires_at"]
    assert_problem(admin.post(f"/v1/api-keys/{first['id']}/roll", json={}), 404, "not-found")

    third = admin.post(f"/v1/api-keys/{second['id']}/roll", json={"grace_s": 0}).json()
    assert_problem(stack.http.get("/v1/sessions", headers={"Authorization": f"Bearer {second['key']}"}), 401, "unknown-key")
    assert stack.http.get("/v1/sessions", headers={"Authorization": f"Bearer {third['key']}"}).status_code == 200
