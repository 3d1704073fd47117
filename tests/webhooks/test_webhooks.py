"""Webhooks to tenants, end to end: real sessions, the real worker, a real HTTP receiver on a local port.

Every signature is checked by the `standardwebhooks` package (tests/support/receiver.py), an implementation of
the scheme that is not ours. The stack's settings (tests/support/stack.py) allow loopback receivers, retry after
0.1 s and disable an endpoint after 5 failed attempts in a row (the production rules for both:
tests/webhooks/test_webhook_rules.py). "Nothing else arrived" waits for a marker queued after the events that
must not come (`settled`), never for a while.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from standardwebhooks import WebhookVerificationError

from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db, run
from tests.support.receiver import Receiver, received, settled
from tests.support.stack import TenantKeys

ALL = ["session.started", "session.ended", "session.terminated", "quota.threshold", "credential.invalid"]


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def add_hook(stack, tenant: TenantKeys, url: str, events: list[str] | None = None, **extra) -> dict:
    resp = stack.http.post(
        "/v1/webhooks",
        json={"url": url, **({"events": events} if events else {}), **extra},
        headers=auth(tenant.server_key),
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


def start(stack, tenant: TenantKeys) -> str:
    resp = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
    assert resp.status_code == 201, resp.text
    return resp.json()["session_id"]


def kill(stack, tenant: TenantKeys, session_id: str) -> None:
    assert stack.http.delete(f"/v1/sessions/{session_id}", headers=auth(tenant.server_key)).status_code == 202


def settle(stack, tenant: TenantKeys, hook_id: str, receiver: Receiver, db: Db) -> str:
    return settled(
        stack.http.post(f"/v1/webhooks/{hook_id}/test", headers=auth(tenant.server_key)), hook_id, receiver, db
    )


def iso(moment) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def deliveries(stack, tenant: TenantKeys, hook_id: str, **params) -> list[dict]:
    resp = stack.http.get(f"/v1/webhooks/{hook_id}/deliveries", params=params, headers=auth(tenant.server_key))
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def test_a_real_session_is_announced_started_terminated_and_ended_signed(
    stack, tenant, receiver: Receiver, db: Db
) -> None:
    hook = add_hook(stack, tenant, receiver.url)
    assert hook["secret"].startswith("whsec_") and hook["events"] == ALL and hook["enabled"]

    killed = start(stack, tenant)
    kill(stack, tenant, killed)
    widget = stack.http.post(
        "/v1/widget/sessions", json={"agent": "demo"}, headers={**auth(tenant.widget_key), "Origin": tenant.origin}
    ).json()
    ended = httpx.post(
        f"{stack.url}/v1/widget/sessions/{widget['session_id']}/end",
        headers={**auth(widget["heartbeat"]["token"]), "Origin": tenant.origin},
    )
    assert ended.json()["state"] == "ended"

    marker = settle(stack, tenant, hook["id"], receiver, db)
    sent = [r for r in receiver.events() if r.message_id != marker]
    events = received(receiver, hook["secret"], marker)
    assert sorted((e["type"], e["data"]["session_id"]) for e in events) == sorted(
        [  # these four, once each
            ("session.started", killed),
            ("session.terminated", killed),
            ("session.started", widget["session_id"]),
            ("session.ended", widget["session_id"]),
        ]
    )
    by_session = {(e["type"], e["data"]["session_id"]): e for e in events}
    rows = {
        str(r["id"]): r
        for r in db.fetch(
            "select id, started_at, expires_at, ended_at from sessions where id = any($1)",
            [uuid.UUID(killed), uuid.UUID(widget["session_id"])],
        )
    }
    row = rows[killed]
    started, terminated = by_session["session.started", killed], by_session["session.terminated", killed]
    # The times are the session's own, as recorded; each event is stamped in the transaction of its change, after it.
    assert started["data"] == {
        "session_id": killed,
        "agent": "demo",
        "state": "active",
        "max_duration_s": 600,
        "started_at": iso(row["started_at"]),
        "expires_at": iso(row["expires_at"]),
    }
    assert abs((row["expires_at"] - row["started_at"]).total_seconds() - 600) < 0.001  # two clock_timestamp() calls
    assert terminated["data"] == {
        "session_id": killed,
        "agent": "demo",
        "state": "terminated",
        "end_reason": "api_terminated",
        "started_at": iso(row["started_at"]),
        "ended_at": iso(row["ended_at"]),
    }
    assert iso(row["started_at"]) <= started["timestamp"] <= terminated["timestamp"]
    assert iso(row["ended_at"]) <= terminated["timestamp"]
    widget_row, widget_ended = rows[widget["session_id"]], by_session["session.ended", widget["session_id"]]
    assert widget_ended["data"] == {
        "session_id": widget["session_id"],
        "agent": "demo",
        "state": "ended",
        "end_reason": "client_ended",
        "started_at": iso(widget_row["started_at"]),
        "ended_at": iso(widget_row["ended_at"]),
    }
    for r in sent:
        assert r.headers["content-type"] == "application/json" and r.headers["webhook-id"].startswith("msg_")
        assert abs(int(r.headers["webhook-timestamp"]) - time.time()) < 60
        with pytest.raises(WebhookVerificationError):
            r.verify("whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=")  # another secret does not verify

    # Each attempt is in the delivery log, succeeded on the first try.
    log = [d for d in deliveries(stack, tenant, hook["id"]) if d["message_id"] != marker]
    assert len(log) == 4 and {(d["outcome"], d["attempt"], d["status_code"]) for d in log} == {("succeeded", 1, 204)}
    assert {d["message_id"] for d in log} == {r.message_id for r in sent}


def test_a_receiver_that_fails_three_times_gets_the_event_once_after_success(
    stack, tenant, receiver: Receiver, db: Db
) -> None:
    hook = add_hook(stack, tenant, receiver.url, ["session.started"])
    receiver.answer(500, 503, 500)
    session_id = start(stack, tenant)

    # The one message's job is done: a done job is never sent again, so every attempt it makes is in.
    wait_for(
        lambda: db.value("select state from jobs where payload->>'endpoint_id' = $1", hook["id"]) == "done",
        timeout=15,
        what="the message delivered",
    )
    assert db.value("select count(*) from jobs where payload->>'endpoint_id' = $1", hook["id"]) == 1
    sent = receiver.events()
    assert [r.status for r in sent] == [500, 503, 500, 204]
    assert len({r.headers["webhook-id"] for r in sent}) == 1 and len({r.body for r in sent}) == 1
    assert all(r.verify(hook["secret"])["data"]["session_id"] == session_id for r in sent)

    log = deliveries(stack, tenant, hook["id"])
    assert [(d["attempt"], d["outcome"], d["status_code"]) for d in reversed(log)] == [
        (1, "failed", 500),
        (2, "failed", 503),
        (3, "failed", 500),
        (4, "succeeded", 204),
    ]
    assert {d["message_id"] for d in log} == {sent[0].headers["webhook-id"]}
    assert log[1]["error"] == "HTTP 500: receiver says no" and log[1]["next_attempt_at"] is not None
    assert log[0]["next_attempt_at"] is None and log[0]["duration_ms"] >= 0
    assert db.value("select state from jobs where payload->>'message_id' = $1", sent[0].headers["webhook-id"]) == "done"
    again = stack.http.get(f"/v1/webhooks/{hook['id']}", headers=auth(tenant.server_key)).json()
    assert (again["consecutive_failures"], again["failing_since"], again["enabled"]) == (0, None, True)

    page = deliveries(stack, tenant, hook["id"], limit=3)
    assert len(page) == 3
    rest = stack.http.get(
        f"/v1/webhooks/{hook['id']}/deliveries",
        params={"limit": 3, "cursor": page[-1]["id"]},
        headers=auth(tenant.server_key),
    ).json()
    assert [d["attempt"] for d in rest["items"]] == [1] and rest["next_cursor"] is None
    kill(stack, tenant, session_id)


def test_filters_and_disabled_endpoints(stack, tenant, db: Db) -> None:
    with Receiver() as only_ends, Receiver() as off:
        ends = add_hook(stack, tenant, only_ends.url, ["session.terminated"])
        disabled = add_hook(stack, tenant, off.url, enabled=False)
        assert disabled["enabled"] is False and disabled["disabled_at"] and disabled["disabled_reason"]
        session_id = start(stack, tenant)
        kill(stack, tenant, session_id)
        marker = settle(stack, tenant, ends["id"], only_ends, db)
        assert [e["type"] for e in received(only_ends, ends["secret"], marker)] == ["session.terminated"]
        # Nothing is ever queued for a disabled endpoint: the jobs table is the whole truth.
        assert db.value("select count(*) from jobs where payload->>'endpoint_id' = $1", disabled["id"]) == 0
        assert off.events() == []

        h = auth(tenant.server_key)
        assert_problem(stack.http.post(f"/v1/webhooks/{disabled['id']}/test", headers=h), 409, "webhook-disabled")
        enabled = stack.http.patch(f"/v1/webhooks/{disabled['id']}", json={"enabled": True}, headers=h).json()
        assert (enabled["enabled"], enabled["disabled_at"], enabled["disabled_reason"]) == (True, None, None)
        stack.http.patch(f"/v1/webhooks/{ends['id']}", json={"events": ["session.started"]}, headers=h)
        kill(stack, tenant, start(stack, tenant))
        marker = settle(stack, tenant, ends["id"], only_ends, db)
        assert [e["type"] for e in received(only_ends, ends["secret"], marker)] == [
            "session.terminated",
            "session.started",
        ]
        marker = settle(stack, tenant, disabled["id"], off, db)
        assert sorted(e["type"] for e in received(off, disabled["secret"], marker)) == [
            "session.started",
            "session.terminated",
        ]


def test_send_test_event(stack, tenant, receiver: Receiver) -> None:
    hook = add_hook(stack, tenant, receiver.url, ["quota.threshold"])
    resp = stack.http.post(f"/v1/webhooks/{hook['id']}/test", headers=auth(tenant.server_key))
    assert resp.status_code == 202 and resp.json()["type"] == "webhook.test"
    got = wait_for(lambda: receiver.events(), what="the test event")[0]
    assert got.headers["webhook-id"] == resp.json()["message_id"]
    assert got.verify(hook["secret"])["data"]["webhook_id"] == hook["id"]
    assert wait_for(lambda: deliveries(stack, tenant, hook["id"]), what="its log")[0]["event_type"] == "webhook.test"


def test_an_endpoint_that_keeps_failing_is_disabled_and_the_audit_log_says_so(stack, tenant, db: Db) -> None:
    with Receiver(default=500) as failing:
        hook = add_hook(stack, tenant, failing.url)
        h = auth(tenant.server_key)
        stack.http.post(f"/v1/webhooks/{hook['id']}/test", headers=h)
        got = wait_for(
            lambda: (g := stack.http.get(f"/v1/webhooks/{hook['id']}", headers=h).json())["disabled_at"] and g,
            timeout=20,
            what="the endpoint disabled",
        )
        assert got["enabled"] is False and got["consecutive_failures"] == 5
        assert (
            got["disabled_reason"].startswith("Disabled after 5 failed deliveries in a row")
            and "HTTP 500" in got["disabled_reason"]
        )
        audit = stack.http.get("/v1/audit-events", params={"action": "webhook.disabled"}, headers=h).json()["items"]
        assert len(audit) == 1 and audit[0]["actor_type"] == "system" and audit[0]["target_id"] == hook["id"]
        assert audit[0]["after"]["enabled"] is False
        # The job's next attempt finds the endpoint disabled and ends without a request.
        wait_for(
            lambda: db.value("select state from jobs where payload->>'endpoint_id' = $1", hook["id"]) == "done",
            what="the job to end",
        )
        assert len(failing.events()) == 5
        assert len(deliveries(stack, tenant, hook["id"], outcome="failed")) == 5
        assert deliveries(stack, tenant, hook["id"], outcome="succeeded") == []


def test_signing_secrets_never_leak_and_rotation_signs_with_both(
    stack, tenant, receiver: Receiver, db: Db, log_capture
) -> None:
    log_capture.lines.clear()
    h = auth(tenant.server_key)
    bodies: list[str] = []

    def call(method: str, path: str, issues_secret: bool = False, **kw) -> httpx.Response:
        resp = stack.http.request(method, path, headers=h, **kw)
        if not issues_secret:  # the create and rotate answers show the new secret, once; nothing else may
            bodies.append(resp.text)
        return resp

    first = add_hook(stack, tenant, receiver.url, ["session.started"])["secret"]
    hook_id = call("GET", "/v1/webhooks").json()["items"][0]["id"]
    second = call("POST", f"/v1/webhooks/{hook_id}/rotate-secret", True, json={"grace_s": 3600}).json()
    assert second["previous_expires_at"] and second["secret"] != first
    call("POST", f"/v1/webhooks/{hook_id}/test")
    both = wait_for(lambda: receiver.events(), what="a message signed after rotation")[0]
    assert len(both.headers["webhook-signature"].split(" ")) == 2
    both.verify(first), both.verify(second["secret"])  # receivers on either secret accept it

    third = call("POST", f"/v1/webhooks/{hook_id}/rotate-secret", True, json={"grace_s": 0}).json()["secret"]
    call("POST", f"/v1/webhooks/{hook_id}/test")
    only = wait_for(lambda: receiver.events()[1:], what="a message after an immediate rotation")[0]
    only.verify(third)
    for old in (first, second["secret"]):
        with pytest.raises(WebhookVerificationError):
            only.verify(old)

    for path in ("/v1/webhooks", f"/v1/webhooks/{hook_id}", f"/v1/webhooks/{hook_id}/deliveries", "/v1/audit-events"):
        call("GET", path)
    call("PATCH", f"/v1/webhooks/{hook_id}", json={"description": "renamed"})
    secrets = [first, second["secret"], third]
    raw = [s.removeprefix("whsec_") for s in secrets]
    for text in bodies:
        assert not any(r in text for r in raw), "a signing secret in a response after it was issued"
    assert not any(r in line for r in raw for line in log_capture.lines), "a signing secret in a log line"
    receiver_path = receiver.url.split("//", 1)[1].split(":", 1)[1]  # port and path: the host is pinned to an IP
    assert not any(receiver_path in line for line in log_capture.lines), "a receiver's URL in a log line"
    assert log_capture.lines
    for table in [r["tablename"] for r in db.fetch("select tablename from pg_tables where schemaname = 'public'")]:
        dump = "\n".join(r["row"] for r in db.fetch(f'select t::text as row from "{table}" t'))
        assert not any(r in dump for r in raw), f"a signing secret in plaintext in table {table}"
    assert db.value("select count(*) from webhook_secrets where endpoint_id = $1", uuid.UUID(hook_id)) >= 1


def test_quota_threshold_at_80_and_100_percent_once_each(
    stack, tenant, receiver: Receiver, db: Db, database_url: str
) -> None:
    db.execute("update tenants set monthly_minutes = 5, billing_rounding = 'minute' where id = $1", tenant.tenant_id)
    hook = add_hook(stack, tenant, receiver.url, ["quota.threshold"])

    def metered(session_id: str) -> None:
        wait_for(
            lambda: db.value(
                "select count(*) from usage_events where session_id = $1 and event = 'ended'", uuid.UUID(session_id)
            ),
            what="the session metered",
        )

    for _ in range(3):  # 3 minutes of 5: 60 %
        session_id = start(stack, tenant)
        kill(stack, tenant, session_id)
        metered(session_id)
    session_id = start(stack, tenant)  # the 4th minute: 80 %
    kill(stack, tenant, session_id)
    metered(session_id)
    eighty = wait_for(lambda: receiver.events(), what="the 80 % event")
    assert [r.verify(hook["secret"])["data"]["threshold_percent"] for r in eighty] == [80]
    session_id = start(stack, tenant)  # the 5th and last: 100 %
    kill(stack, tenant, session_id)
    metered(session_id)
    events = wait_for(lambda: len(receiver.events()) >= 2 and receiver.events(), what="the 100 % event")
    data = [r.verify(hook["secret"])["data"] for r in events]
    assert [(d["threshold_percent"], d["used_seconds"], d["monthly_minutes"]) for d in data] == [
        (80, 240, 5),
        (100, 300, 5),
    ]
    assert data[1]["remaining_seconds"] == 0 and data[1]["month"] == time.strftime("%Y-%m", time.gmtime())

    # Checking again, as every worker does on every pass and every end, sends nothing more.
    from app.db.engine import make_engine, make_sessionmaker, transaction
    from app.webhooks.quota import check_quota

    async def again() -> list[int]:
        engine = make_engine(database_url, null_pool=True)
        try:
            async with transaction(make_sessionmaker(engine), tenant.tenant_id) as s:
                return await check_quota(s, tenant.tenant_id)
        finally:
            await engine.dispose()

    assert run(again()) == []
    assert db.value("select count(*) from quota_notices where tenant_id = $1", tenant.tenant_id) == 2
    marker = settle(stack, tenant, hook["id"], receiver, db)
    assert [e["data"]["threshold_percent"] for e in received(receiver, hook["secret"], marker)] == [80, 100]


def test_credential_invalid_once_per_key_on_create_and_on_delete(
    stack, tenant, receiver: Receiver, sim: SimulatorControl, db: Db
) -> None:
    hook = add_hook(stack, tenant, receiver.url, ["credential.invalid"])
    h = auth(tenant.server_key)
    creds = {c["provider"]: c for c in stack.http.get("/v1/credentials", headers=h).json()["items"]}

    # On create: OpenAI refuses the key. The caller gets its 502 as before; the tenant hears once, however often it
    # fails.
    sim.revoke_key("openai", tenant.provider_keys["openai"])
    try:
        for _ in range(2):
            assert_problem(
                stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=h), 502, "upstream-auth-failed"
            )
    finally:
        sim.add_key("openai", tenant.provider_keys["openai"])
    got = wait_for(lambda: receiver.events(), what="credential.invalid on create")[0].verify(hook["secret"])["data"]
    assert got == {
        "credential_id": creds["openai"]["id"],
        "provider": "openai",
        "label": "default",
        "last4": tenant.provider_keys["openai"][-4:],
        "status_code": 401,
        "during": "session.create",
    }
    assert stack.http.get(f"/v1/credentials/{creds['openai']['id']}", headers=h).json()["status"] == "invalid"

    # On delete: Avaturn refuses the worker's DELETE (retried with the provider backoff until the key works again).
    session_id = start(stack, tenant)
    sim.revoke_key("avaturn", tenant.provider_keys["avaturn"])
    try:
        kill(stack, tenant, session_id)
        wait_for(lambda: len(receiver.events()) == 2, what="credential.invalid on delete")
    finally:
        sim.add_key("avaturn", tenant.provider_keys["avaturn"])
    assert receiver.events()[1].verify(hook["secret"])["data"]["during"] == "session.delete"
    # The DELETE's retries are over once its job is done: every refusal it met has been reported by then.
    wait_for(
        lambda: db.value("select state from jobs where payload->>'session_id' = $1", session_id) == "done",
        timeout=20,
        what="the kill delivered once the key works again",
    )
    marker = settle(stack, tenant, hook["id"], receiver, db)
    assert [e["data"]["during"] for e in received(receiver, hook["secret"], marker)] == [
        "session.create",
        "session.delete",
    ]


def test_webhook_input_is_validated(stack, tenant) -> None:
    h = auth(tenant.server_key)
    for url in ("ftp://hooks.shop.example/in", "https://user:pw@hooks.shop.example/in", "not a url"):
        body = assert_problem(stack.http.post("/v1/webhooks", json={"url": url}, headers=h), 422, "invalid-webhook-url")
        assert "pw" not in body["detail"]
    assert_problem(
        stack.http.post("/v1/webhooks", json={"url": "https://x.example", "events": ["nope"]}, headers=h),
        400,
        "invalid-request",
    )
    assert_problem(
        stack.http.post("/v1/webhooks", json={"url": "https://x.example", "events": []}, headers=h),
        400,
        "invalid-request",
    )
    hook = stack.http.post("/v1/webhooks", json={"url": "https://x.example"}, headers=h).json()
    assert_problem(
        stack.http.patch(f"/v1/webhooks/{hook['id']}", json={"url": "gopher://x"}, headers=h),
        422,
        "invalid-webhook-url",
    )
    assert_problem(
        stack.http.post(f"/v1/webhooks/{hook['id']}/rotate-secret", json={"grace_s": -1}, headers=h),
        400,
        "invalid-request",
    )
    assert_problem(
        stack.http.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"limit": 0}, headers=h), 400, "invalid-request"
    )
    assert stack.http.delete(f"/v1/webhooks/{hook['id']}", headers=h).status_code == 204
    assert_problem(stack.http.get(f"/v1/webhooks/{hook['id']}", headers=h), 404, "not-found")
