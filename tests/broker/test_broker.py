"""The broker end to end over real sockets: app + simulator + worker + PostgreSQL."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db
from tests.support.stack import TenantKeys


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def create(stack, tenant: TenantKeys, agent: str = "demo") -> httpx.Response:
    return stack.http.post("/v1/sessions", json={"agent": agent}, headers=auth(tenant.server_key))


def test_server_key_creates_a_session_the_sdk_can_use(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    resp = create(stack, tenant)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["avaturn_api_host"] == stack.settings.sdk_api_host
    assert body["heartbeat"]["interval_s"] > 0 and body["heartbeat"]["token"].startswith("gr_st_")

    row = db.fetch("select * from sessions where id = $1", uuid.UUID(body["session_id"]))[0]
    assert row["state"] == "active" and row["tenant_id"] == tenant.tenant_id and row["started_at"]
    upstream = sim.session(row["upstream_session_id"])
    assert upstream["alive"] and upstream["max_duration"] == 600 and upstream["engine"] == "openai-realtime"
    # The browser SDK's own call answers with the returned token.
    sdk = httpx.get(f"{body['avaturn_api_host']}/_sdk/v0/sessions", headers={"X-Session-Token": body["token"]})
    assert sdk.status_code == 200 and sdk.json()["id"] == row["upstream_session_id"]
    # The OpenAI client secret the broker minted was used for that session and only that one.
    used = [s for s in sim.secrets() if s["used_by_session"] == row["upstream_session_id"]]
    assert len(used) == 1 and used[0]["kind"] == "openai_client_secret"

    got = stack.http.get(f"/v1/sessions/{body['session_id']}", headers=auth(tenant.server_key)).json()
    assert got["state"] == "active" and got["agent"] == "demo"
    listed = stack.http.get("/v1/sessions", headers=auth(tenant.server_key)).json()["items"]
    assert [s["id"] for s in listed] == [body["session_id"]]


def test_terminate_ends_the_upstream_session(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    body = create(stack, tenant).json()
    upstream_id = db.value("select upstream_session_id from sessions where id = $1", uuid.UUID(body["session_id"]))
    resp = stack.http.delete(f"/v1/sessions/{body['session_id']}", headers=auth(tenant.server_key))
    assert resp.status_code == 202 and resp.json()["state"] == "terminated"
    assert resp.json()["end_reason"] == "api_terminated"
    ended = wait_for(lambda: not sim.session(upstream_id)["alive"] and sim.session(upstream_id), what="upstream end")
    assert ended["end_cause"] == "deleted"
    sdk = httpx.get(f"{body['avaturn_api_host']}/_sdk/v0/sessions", headers={"X-Session-Token": body["token"]})
    assert sdk.status_code != 200
    # Terminating again changes nothing and enqueues nothing new.
    again = stack.http.delete(f"/v1/sessions/{body['session_id']}", headers=auth(tenant.server_key))
    assert again.status_code == 202 and again.json()["ended_at"] == resp.json()["ended_at"]
    assert db.value("select count(*) from jobs where payload->>'session_id' = $1", body["session_id"]) == 1


def test_unknown_and_revoked_keys_are_401(stack, tenant, db: Db) -> None:
    assert_problem(
        stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth("gr_sk_bogus")), 401, "unknown-key"
    )
    assert_problem(stack.http.post("/v1/sessions", json={"agent": "demo"}), 401, "unknown-key")
    db.execute("update api_keys set revoked_at = now() where tenant_id = $1", tenant.tenant_id)
    assert_problem(create(stack, tenant), 401, "unknown-key")
    assert_problem(stack.http.get("/v1/sessions", headers=auth(tenant.server_key)), 401, "unknown-key")


def test_unknown_agent_is_404_and_bad_body_is_400(stack, tenant) -> None:
    assert_problem(create(stack, tenant, agent="nope"), 404, "unknown-agent")
    resp = stack.http.post("/v1/sessions", json={"agnet": "demo"}, headers=auth(tenant.server_key))
    assert_problem(resp, 400, "invalid-request")
    resp = stack.http.post(
        "/v1/sessions", content=b"{not json", headers={**auth(tenant.server_key), "content-type": "application/json"}
    )
    assert_problem(resp, 400, "invalid-request")


def test_missing_credential_is_409_and_starts_nothing(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    db.execute("delete from provider_credentials where tenant_id = $1 and provider = 'openai'", tenant.tenant_id)
    before = len(sim.sessions())
    body = assert_problem(create(stack, tenant), 409, "missing-credential")
    assert body["missing"] == ["openai"]
    assert len(sim.sessions()) == before
    assert db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 0


@pytest.mark.parametrize("provider", ["avaturn", "openai"])
def test_provider_rejecting_our_key_is_502_naming_it(
    stack, tenant, sim: SimulatorControl, db: Db, provider: str
) -> None:
    sim.revoke_key(provider, tenant.provider_keys[provider])
    body = assert_problem(create(stack, tenant), 502, "upstream-auth-failed")
    assert body["provider"] == provider and ("Avaturn" if provider == "avaturn" else "OpenAI") in body["detail"]
    row = db.fetch("select state, end_reason from sessions where tenant_id = $1", tenant.tenant_id)[0]
    assert row == {"state": "failed", "end_reason": "upstream_error"}


@pytest.mark.parametrize(
    ("route", "fault", "status", "slug"),
    [
        ("avaturn.create", {"status": 500}, 502, "upstream-error"),
        ("avaturn.create", {"status": 429}, 503, "upstream-busy"),
        ("avaturn.create", {"timeout": True}, 504, "upstream-timeout"),
        ("avaturn.create", {"reset": True}, 502, "upstream-error"),
        ("openai.client_secrets", {"status": 503}, 502, "upstream-error"),
        ("openai.client_secrets", {"timeout": True}, 504, "upstream-timeout"),
        ("cartesia.access_token", {"status": 500}, 502, "upstream-error"),
    ],
)
def test_upstream_faults_become_typed_problems(
    stack, tenant, sim: SimulatorControl, db: Db, route, fault, status, slug
) -> None:
    sim.fault(route, **fault)
    agent = "voice" if route.startswith("cartesia") else "demo"
    body = assert_problem(create(stack, tenant, agent), status, slug)
    assert body["provider"] == route.split(".")[0]
    assert db.value("select state from sessions where tenant_id = $1", tenant.tenant_id) == "failed"


def test_slow_provider_within_timeout_still_starts(stack, tenant, sim: SimulatorControl) -> None:
    sim.fault("avaturn.create", latency_ms=300)
    started = time.monotonic()
    assert create(stack, tenant).status_code == 201
    assert time.monotonic() - started >= 0.3


def test_cartesia_agent_gets_a_fresh_access_token(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    resp = create(stack, tenant, agent="voice")
    assert resp.status_code == 201, resp.text
    upstream_id = db.value("select upstream_session_id from sessions where tenant_id = $1", tenant.tenant_id)
    assert sim.session(upstream_id)["engine"] == "cartesia"
    assert [s["kind"] for s in sim.secrets() if s["used_by_session"] == upstream_id] == ["cartesia_access_token"]


def test_failed_activation_deletes_the_upstream_session(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    """Tx 2 fails after the provider created the session: compensation must end it upstream."""
    db.execute("""create or replace function fail_activation() returns trigger language plpgsql as $$
                  begin raise exception 'injected failure'; end $$""")
    db.execute(f"""create trigger fail_activation before update on sessions for each row
                   when (new.state = 'active' and new.tenant_id = '{tenant.tenant_id}')
                   execute function fail_activation()""")
    try:
        assert_problem(create(stack, tenant), 500, "internal-error")
    finally:
        db.execute("drop trigger fail_activation on sessions")
    row = db.fetch("select state, upstream_session_id from sessions where tenant_id = $1", tenant.tenant_id)[0]
    assert row["state"] == "failed" and row["upstream_session_id"]
    wait_for(lambda: not sim.session(row["upstream_session_id"])["alive"], what="compensating delete")


def test_terminated_while_starting_is_ended_upstream(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    """A stop issued before the session connected must still end it."""
    sim.fault("avaturn.create", latency_ms=800)
    result: dict[str, httpx.Response] = {}
    t = threading.Thread(target=lambda: result.setdefault("r", create(stack, tenant)))
    t.start()
    sid = wait_for(
        lambda: db.value("select id from sessions where tenant_id = $1 and state = 'starting'", tenant.tenant_id),
        what="a starting session",
    )
    resp = stack.http.delete(f"/v1/sessions/{sid}", headers=auth(tenant.server_key))
    assert resp.json()["state"] == "terminated"
    t.join()
    assert_problem(result["r"], 409, "session-not-found")
    upstream_id = db.value(
        "select payload->>'upstream_session_id' from jobs where payload->>'session_id' = $1", str(sid)
    )
    wait_for(lambda: not sim.session(upstream_id)["alive"], what="upstream end after early stop")
    assert db.value("select state from sessions where id = $1", sid) == "terminated"


def test_worker_retries_a_failing_provider_delete(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    body = create(stack, tenant).json()
    sim.fault("avaturn.delete", status=503, times=2)
    stack.http.delete(f"/v1/sessions/{body['session_id']}", headers=auth(tenant.server_key))
    job = wait_for(
        lambda: (
            (r := db.fetch("select state, attempts from jobs where payload->>'session_id' = $1", body["session_id"]))
            and r[0]["state"] == "done"
            and r[0]
        ),
        timeout=10,
        what="delivered job",
    )
    assert job["attempts"] == 3


def test_lost_create_answer_is_bounded_by_the_absent_timeout(own) -> None:
    """The provider created the session but the answer was lost: Greenroom never learns its id.

    Avaturn has no list endpoint, so it cannot be deleted; no user ever joins it, so the provider ends it
    after `user_absent_timeout` (60 s for this agent). Pinned here so a change that makes it worse shows.
    A simulator of its own: moving the shared one's clock would end every other test's sessions.
    """
    tenant = own.tenant()
    own.sim.fault("avaturn.create", reset=True, after_effect=True)
    assert_problem(create(own, tenant), 502, "upstream-error")
    orphan = [
        s
        for s in own.sim.alive_sessions()
        if s["id"] not in {r["upstream_session_id"] for r in own.db.fetch("select upstream_session_id from sessions")}
    ]
    assert len(orphan) == 1 and orphan[0]["user_absent_timeout"] == 60
    own.sim.advance_clock(orphan[0]["created_at"] + 59 - own.sim.now())  # the provider's clock, 59 s after the create
    assert own.sim.session(orphan[0]["id"])["alive"]  # not before the timeout
    own.sim.advance_clock(2)
    assert (
        not own.sim.session(orphan[0]["id"])["alive"] and own.sim.session(orphan[0]["id"])["end_cause"] == "user_absent"
    )


def test_listing_sessions_filters_and_pages(stack, tenant, db: Db) -> None:
    key = {"Authorization": f"Bearer {tenant.server_key}"}
    made = [
        stack.http.post("/v1/sessions", json={"agent": agent}, headers=key).json()["session_id"]
        for agent in ("demo", "voice", "demo")
    ]
    stack.http.delete(f"/v1/sessions/{made[0]}", headers=key)
    seen, cursor = [], None
    while True:
        page = stack.http.get(
            "/v1/sessions", params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=key
        ).json()
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(made))  # newest first, every one once
    voice = stack.http.get("/v1/sessions", params={"agent": "voice"}, headers=key).json()["items"]
    assert [(s["id"], s["engine"]) for s in voice] == [(made[1], "cartesia")]
    killed = stack.http.get("/v1/sessions", params={"end_reason": "api_terminated"}, headers=key).json()["items"]
    assert [s["id"] for s in killed] == [made[0]]
    assert_problem(stack.http.get("/v1/sessions", params={"state": "sleeping"}, headers=key), 400, "invalid-request")
    for sid in made[1:]:
        stack.http.delete(f"/v1/sessions/{sid}", headers=key)
