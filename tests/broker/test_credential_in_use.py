"""A session keeps the Avaturn key it needs until the provider has acknowledged its end (issue 11): deleting an
Avaturn key is refused while sessions still need one, and a DELETE job without a key says so in the log and in
`last_error` instead of a bare `RuntimeError`."""

from __future__ import annotations

import uuid

import httpx
import pytest

from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db
from tests.support.stack import TenantKeys


@pytest.fixture
def admin(stack, tenant) -> httpx.Client:
    client = httpx.Client(base_url=stack.url, headers={"Authorization": f"Bearer {tenant.server_key}"}, timeout=30)
    yield client
    client.close()


def avaturn_key_id(db: Db, tenant: TenantKeys) -> uuid.UUID:
    return db.value(
        "select id from provider_credentials where tenant_id = $1 and provider = 'avaturn'", tenant.tenant_id
    )


def start(admin: httpx.Client) -> str:
    resp = admin.post("/v1/sessions", json={"agent": "demo"})
    assert resp.status_code == 201, resp.text
    return str(resp.json()["session_id"])


def delete_job(db: Db, session_id: str) -> dict:
    [job] = db.fetch(
        "select state, attempts, last_error from jobs where kind = 'avaturn.delete_session'"
        " and payload->>'session_id' = $1",
        session_id,
    )
    return job


def test_an_avaturn_key_live_sessions_need_cannot_be_deleted(admin, sim: SimulatorControl, db: Db, tenant) -> None:
    key_id = avaturn_key_id(db, tenant)
    first, second = start(admin), start(admin)
    body = assert_problem(admin.delete(f"/v1/credentials/{key_id}"), 409, "credential-in-use")
    assert body["sessions"] == [first, second] and first in body["detail"] and "DELETE /v1/sessions" in body["detail"]
    assert avaturn_key_id(db, tenant) == key_id  # still there
    # The other providers' keys are only needed to start a session: those may go.
    openai = db.value(
        "select id from provider_credentials where tenant_id = $1 and provider = 'openai'", tenant.tenant_id
    )
    assert admin.delete(f"/v1/credentials/{openai}").status_code == 204

    for sid in (first, second):
        assert admin.delete(f"/v1/sessions/{sid}").status_code == 202
    wait_for(lambda: all(delete_job(db, s)["state"] == "done" for s in (first, second)), what="the upstream DELETEs")
    upstream = [
        db.value("select upstream_session_id from sessions where id = $1", uuid.UUID(s)) for s in (first, second)
    ]
    assert not any(sim.session(u)["alive"] for u in upstream)  # ended at the provider, with the key it was started with
    assert admin.delete(f"/v1/credentials/{key_id}").status_code == 204


def test_a_key_is_kept_until_the_provider_has_acknowledged_the_end(
    admin, sim: SimulatorControl, db: Db, tenant
) -> None:
    key_id = avaturn_key_id(db, tenant)
    sid = start(admin)
    sim.fault("avaturn.delete", status=503, times=2)  # the first two DELETEs fail: the session is ended only here
    assert admin.delete(f"/v1/sessions/{sid}").json()["state"] == "terminated"
    body = assert_problem(admin.delete(f"/v1/credentials/{key_id}"), 409, "credential-in-use")
    assert body["sessions"] == [sid]
    assert avaturn_key_id(db, tenant) == key_id
    wait_for(lambda: delete_job(db, sid)["state"] == "done", timeout=20, what="the retried upstream DELETE")
    assert admin.delete(f"/v1/credentials/{key_id}").status_code == 204


def test_a_delete_job_without_a_key_names_its_cause(admin, sim: SimulatorControl, db: Db, tenant, log_capture) -> None:
    sid = start(admin)
    # A key gone behind the API's back (deleted before this rule, or straight in the database).
    db.execute("delete from provider_credentials where tenant_id = $1 and provider = 'avaturn'", tenant.tenant_id)
    assert admin.delete(f"/v1/sessions/{sid}").status_code == 202
    failed = wait_for(lambda: (j := delete_job(db, sid))["last_error"] and j, what="the failed DELETE attempt")
    assert failed["state"] == "pending"  # retried
    assert failed["last_error"].startswith("JobFailed: ") and "RuntimeError" not in failed["last_error"]
    assert f"session {sid}: the tenant has no Avaturn key" in failed["last_error"]
    assert "save an Avaturn key" in failed["last_error"]
    logged = [line for line in log_capture.lines if sid in line and "avaturn.delete_session" in line]
    assert logged and all("the tenant has no Avaturn key" in line for line in logged), logged

    # Saving the key again lets the next attempt end the session at the provider.
    saved = admin.post("/v1/credentials", json={"provider": "avaturn", "secret": tenant.provider_keys["avaturn"]})
    assert saved.status_code == 201, saved.text
    wait_for(lambda: delete_job(db, sid)["state"] == "done", timeout=20, what="the DELETE with the key saved again")
    upstream = db.value("select upstream_session_id from sessions where id = $1", uuid.UUID(sid))
    assert not sim.session(upstream)["alive"]
