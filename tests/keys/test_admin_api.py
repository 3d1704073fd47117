"""The admin API with a server key: provider keys, agents, widget keys and server keys."""

from __future__ import annotations

import hashlib
import uuid
from types import SimpleNamespace

import httpx
import pytest

from app.vault.crypto import Vault
from app.vault.service import reveal
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem
from tests.support.database import Db


@pytest.fixture
def admin(stack, tenant) -> httpx.Client:
    client = httpx.Client(base_url=stack.url, headers={"Authorization": f"Bearer {tenant.server_key}"}, timeout=30)
    yield client
    client.close()


def test_saving_a_provider_key_verifies_it_and_never_returns_it(
    admin, stack, sim: SimulatorControl, db: Db, tenant
) -> None:
    good = "sk-admin-" + "a1b2c3d4e5f6g7h8"
    sim.add_key("openai", good)
    resp = admin.post("/v1/credentials", json={"provider": "openai", "label": "prod", "secret": good})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert (
        body["status"] == "valid" and body["last4"] == "g7h8" and body["verified_at"] and len(body["fingerprint"]) == 16
    )
    assert good not in resp.text and good not in admin.get("/v1/credentials").text
    assert {(c["provider"], c["label"]) for c in admin.get("/v1/credentials").json()["items"]} >= {("openai", "prod")}
    assert admin.get(f"/v1/credentials/{body['id']}").json() == body  # read back: the same as the save answered
    # Stored as answered, and the sealed key opens to exactly the key saved (with the master key the app holds).
    [row] = db.fetch("select * from provider_credentials where id = $1", uuid.UUID(body["id"]))
    assert (row["tenant_id"], row["provider"], row["label"], row["status"], row["last4"]) == (
        tenant.tenant_id,
        "openai",
        "prod",
        "valid",
        "g7h8",
    )
    assert reveal(Vault(stack.settings.master_keyset), SimpleNamespace(**row)) == good
    # The newest key is the one used: the next session's client secret is minted with it (the provider's record).
    started = admin.post("/v1/sessions", json={"agent": "demo"}).json()
    upstream_id = db.value("select upstream_session_id from sessions where id = $1", uuid.UUID(started["session_id"]))
    [minted] = [s for s in sim.secrets() if s["used_by_session"] == upstream_id]
    assert minted["key_fingerprint"] == hashlib.sha256(good.encode()).hexdigest()[:12]
    admin.delete(f"/v1/sessions/{started['session_id']}")

    bad = assert_problem(
        admin.post("/v1/credentials", json={"provider": "avaturn", "label": "x", "secret": "av-not-a-real-key-1"}),
        422,
        "credential-invalid",
    )
    assert "Avaturn rejected this key" in bad["detail"] and bad["provider"] == "avaturn"
    assert (
        db.value("select count(*) from provider_credentials where tenant_id = $1 and label = 'x'", tenant.tenant_id)
        == 0
    )

    assert admin.delete(f"/v1/credentials/{body['id']}").status_code == 204
    assert_problem(admin.get(f"/v1/credentials/{body['id']}"), 404, "not-found")
    assert db.value("select count(*) from provider_credentials where id = $1", uuid.UUID(body["id"])) == 0


@pytest.mark.parametrize("provider", ["openai", "avaturn", "cartesia"])
def test_each_provider_key_is_checked_against_its_provider(
    admin, sim: SimulatorControl, db: Db, tenant, provider: str
) -> None:
    key = {"openai": "sk-", "avaturn": "av-", "cartesia": "sk_car_"}[provider] + "check-0123456789"
    assert_problem(admin.post("/v1/credentials", json={"provider": provider, "secret": key}), 422, "credential-invalid")
    sim.add_key(provider, key)
    saved = admin.post("/v1/credentials", json={"provider": provider, "secret": key}).json()
    assert saved["status"] == "valid"
    assert admin.get(f"/v1/credentials/{saved['id']}").json()["status"] == "valid"
    assert db.fetch(
        "select provider, status, fingerprint from provider_credentials where tenant_id = $1 and id = $2",
        tenant.tenant_id,
        uuid.UUID(saved["id"]),
    ) == [{"provider": provider, "status": "valid", "fingerprint": saved["fingerprint"]}]


def test_unreachable_provider_saves_the_key_as_unverified(admin, sim: SimulatorControl, db: Db, tenant) -> None:
    sim.fault("openai.client_secrets", timeout=True)
    resp = admin.post(
        "/v1/credentials", json={"provider": "openai", "label": "later", "secret": "sk-unchecked-0123456789"}
    )
    assert resp.status_code == 201 and resp.json()["status"] == "unverified"
    assert "did not answer in time" in resp.json()["detail"]
    assert admin.get(f"/v1/credentials/{resp.json()['id']}").json()["status"] == "unverified"
    assert db.fetch(
        "select label, status, verified_at from provider_credentials where id = $1", uuid.UUID(resp.json()["id"])
    ) == [{"label": "later", "status": "unverified", "verified_at": None}]


def test_credential_input_is_validated(admin) -> None:
    assert_problem(admin.post("/v1/credentials", json={"provider": "acme", "secret": "x" * 20}), 400, "invalid-request")
    assert_problem(
        admin.post("/v1/credentials", json={"provider": "openai", "secret": "short"}), 400, "invalid-request"
    )


def test_agents_crud_and_a_new_agent_starts_sessions(admin, stack, tenant, sim: SimulatorControl, db: Db) -> None:
    spec = {
        "slug": "sales",
        "name": "Sales",
        "engine": {"type": "openai-realtime", "voice": "cedar", "instructions": "Sell."},
        "avatar": {"max_duration": 300, "background": "transparent"},
    }
    created = admin.post("/v1/agents", json=spec)
    assert created.status_code == 201, created.text
    agent = created.json()
    assert agent["engine"]["voice"] == "cedar" and agent["avatar"]["max_duration"] == 300
    assert_problem(admin.post("/v1/agents", json=spec), 409, "conflict")
    assert_problem(
        admin.post("/v1/agents", json={**spec, "slug": "x", "avatar": {"max_duration": 30}}), 400, "invalid-request"
    )
    assert_problem(admin.post("/v1/agents", json={**spec, "slug": "Bad Slug"}), 400, "invalid-request")

    patched = admin.patch(
        f"/v1/agents/{agent['id']}", json={"name": "Sales EU", "avatar": {"max_duration": 120}}
    ).json()
    assert patched["name"] == "Sales EU" and patched["avatar"]["max_duration"] == 120 and patched["slug"] == "sales"
    # Read back, stored, and in force: GET answers the change, the row holds it, the provider is asked for it.
    got = admin.get(f"/v1/agents/{agent['id']}").json()
    assert (got["name"], got["avatar"]["max_duration"], got["engine"]["voice"]) == ("Sales EU", 120, "cedar")
    assert db.value("select (avatar->>'max_duration')::int from agents where id = $1", uuid.UUID(agent["id"])) == 120
    session = admin.post("/v1/sessions", json={"agent": "sales"})
    assert session.status_code == 201, session.text
    upstream_id = db.value(
        "select upstream_session_id from sessions where id = $1", uuid.UUID(session.json()["session_id"])
    )
    assert sim.session(upstream_id)["max_duration"] == 120
    admin.delete(f"/v1/sessions/{session.json()['session_id']}")

    assert admin.delete(f"/v1/agents/{agent['id']}").status_code == 204
    assert_problem(admin.get(f"/v1/agents/{agent['id']}"), 404, "not-found")
    assert_problem(admin.post("/v1/sessions", json={"agent": "sales"}), 404, "unknown-agent")


def test_widget_keys_issue_restrict_and_revoke(admin, stack, db: Db) -> None:
    assert_problem(admin.post("/v1/widget-keys", json={"allowed_origins": ["not an origin"]}), 400, "invalid-request")
    key = admin.post(
        "/v1/widget-keys", json={"label": "shop", "allowed_origins": ["https://a.example"], "agent": "demo"}
    ).json()
    assert key["key"].startswith("gr_pk_") and key["allowed_origins"] == ["https://a.example"]
    # Read back: GET and the row hold the origins (and the key itself is not shown again).
    got = admin.get(f"/v1/widget-keys/{key['id']}").json()
    assert got["allowed_origins"] == ["https://a.example"] and got["label"] == "shop" and got["revoked_at"] is None
    assert db.value("select allowed_origins from widget_keys where id = $1", uuid.UUID(key["id"])) == [
        "https://a.example"
    ]

    def start(agent: str, origin: str = "https://a.example") -> httpx.Response:
        return stack.http.post(
            "/v1/widget/sessions",
            json={"agent": agent},
            headers={"Authorization": f"Bearer {key['key']}", "Origin": origin},
        )

    assert_problem(
        start("demo", origin="https://b.example"), 403, "origin-not-allowed"
    )  # the stored origins are in force
    assert_problem(start("voice"), 403, "agent-not-allowed")
    ok = start("demo")
    assert ok.status_code == 201
    admin.delete(f"/v1/sessions/{ok.json()['session_id']}")
    assert admin.delete(f"/v1/widget-keys/{key['id']}").json()["revoked_at"]
    assert admin.get(f"/v1/widget-keys/{key['id']}").json()["revoked_at"]
    assert db.value("select revoked_at is not null from widget_keys where id = $1", uuid.UUID(key["id"]))
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
    tool = {
        "name": "lookup_order",
        "description": "Find an order.",
        "parameters": {"type": "object", "properties": {"number": {"type": "string"}}, "required": ["number"]},
    }
    spec = {
        "slug": "orders",
        "name": "Orders",
        "engine": {
            "type": "openai-realtime",
            "voice": "coral",
            "speed": 1.2,
            "instructions": "Help with orders.",
            "tools": [tool],
            "tool_choice": "required",
            "turn_detection": {"type": "semantic_vad", "eagerness": "low"},
            "transcription": {"model": "gpt-4o-transcribe", "language": "de"},
        },
    }
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
    assert (
        admin.post("/v1/agents", json={**spec, "slug": "o3", "engine": no_vad}).json()["engine"]["turn_detection"]
        is None
    )


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
    assert_problem(
        stack.http.get("/v1/sessions", headers={"Authorization": f"Bearer {second['key']}"}), 401, "unknown-key"
    )
    assert stack.http.get("/v1/sessions", headers={"Authorization": f"Bearer {third['key']}"}).status_code == 200
