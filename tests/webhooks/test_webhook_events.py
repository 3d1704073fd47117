"""Which webhook messages a tenant gets, exactly, for the ways a session ends or fails to start, and the
delivery rules around them (README "Webhooks", docs/decisions/0014-webhooks.md), with an endpoint subscribed to
every event type:

- heartbeat loss and max duration: `session.started` then `session.ended`; quota end: `session.terminated`
  (`quota_exhausted`) and the 80 % and 100 % `quota.threshold`; failed creates (an upstream error, a start
  timeout, a session ended while `starting`): nothing at all. Admin kill and suspension need a signed-in
  user: tests/identity/test_webhook_events_signed_in.py.
- thresholds are sent once per month, not again after the budget is raised;
- a redirect is a failed attempt and its `Location` is never requested;
- 20 endpoints per tenant, the 21st refused with `409 /problems/webhook-limit`, also when created at once;
- a message in flight when its endpoint is deleted ends there (no retry, the worker goes on at once).

"Nothing else arrived" is made sound by a marker queued after the events that must not come
(tests/support/receiver.py, `settled`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from app.broker.reaper import reap_once
from app.cli.serving import ServerThread
from app.db.engine import make_engine, make_sessionmaker
from app.main import create_app
from app.webhooks.quota import quota_pass
from app.webhooks.service import MAX_ENDPOINTS_PER_TENANT
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db, run
from tests.support.receiver import Receiver, received, settled
from tests.support.stack import TenantKeys

ALL = ["session.started", "session.ended", "session.terminated", "quota.threshold", "credential.invalid"]


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def add_hook(stack, tenant: TenantKeys, url: str, **extra: Any) -> dict[str, Any]:
    resp = stack.http.post("/v1/webhooks", json={"url": url, **extra}, headers=auth(tenant.server_key))
    assert resp.status_code == 201, resp.text
    return resp.json()


def settle(stack, tenant: TenantKeys, hook_id: str, receiver: Receiver, db: Db) -> str:
    """Queue a marker to the endpoint and wait until it and every message queued before it are final; its id."""
    return settled(
        stack.http.post(f"/v1/webhooks/{hook_id}/test", headers=auth(tenant.server_key)), hook_id, receiver, db
    )


def summary(events: list[dict[str, Any]]) -> Counter:
    return Counter((e["type"], e["data"].get("end_reason") or e["data"].get("threshold_percent")) for e in events)


def iso(moment) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reap(database_url: str) -> None:
    """One reaper pass and one quota pass, as the worker runs them (its own loop may get there first: same result)."""

    async def go() -> None:
        engine = make_engine(database_url, null_pool=True)
        try:
            sessions = make_sessionmaker(engine)
            await reap_once(sessions, heartbeat_grace_s=60, starting_timeout_s=60)
            await quota_pass(sessions)
        finally:
            await engine.dispose()

    run(go())


def thresholds_in_queue_order(db: Db, hook_id: str) -> list[int]:
    """The `quota.threshold` messages queued for the endpoint, in the order they were queued (separate jobs are
    delivered concurrently, so arrival order is not promised)."""
    return [
        int(r["t"])
        for r in db.fetch(
            """select payload->'event'->'data'->>'threshold_percent' as t from jobs where kind = 'webhook.deliver'
           and payload->>'endpoint_id' = $1 and payload->'event'->>'type' = 'quota.threshold' order by id""",
            hook_id,
        )
    ]


def session_row(db: Db, session_id: str) -> dict[str, Any]:
    return db.fetch("select * from sessions where id = $1", uuid.UUID(session_id))[0]


def metered(db: Db, session_id: str) -> None:
    """The worker's DELETE was acknowledged and metered; any threshold crossed by it was queued in that transaction."""
    wait_for(
        lambda: db.value(
            "select count(*) from usage_events where session_id = $1 and event = 'ended'", uuid.UUID(session_id)
        ),
        timeout=15,
        what="the end metered",
    )


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def test_heartbeat_loss_sends_started_then_ended(stack, tenant, receiver: Receiver, db: Db, database_url: str) -> None:
    hook = add_hook(stack, tenant, receiver.url)
    assert hook["events"] == ALL
    body = stack.http.post(
        "/v1/widget/sessions", json={"agent": "demo"}, headers={**auth(tenant.widget_key), "Origin": tenant.origin}
    ).json()
    sid = body["session_id"]
    db.execute(
        """update sessions set started_at = clock_timestamp() - interval '10 minutes',
                  last_heartbeat_at = clock_timestamp() - interval '10 minutes' where id = $1""",
        uuid.UUID(sid),
    )
    reap(database_url)
    row = session_row(db, sid)
    assert (row["state"], row["end_reason"]) == ("ended", "heartbeat_lost")
    metered(db, sid)

    events = received(receiver, hook["secret"], settle(stack, tenant, hook["id"], receiver, db))
    assert summary(events) == Counter({("session.started", None): 1, ("session.ended", "heartbeat_lost"): 1})
    ended = next(e for e in events if e["type"] == "session.ended")
    assert ended["data"] == {
        "session_id": sid,
        "agent": "demo",
        "state": "ended",
        "end_reason": "heartbeat_lost",
        "started_at": iso(row["started_at"]),
        "ended_at": iso(row["ended_at"]),
    }


def test_max_duration_sends_ended_at_expires_at(stack, tenant, receiver: Receiver, db: Db, database_url: str) -> None:
    hook = add_hook(stack, tenant, receiver.url)
    sid = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).json()["session_id"]
    db.execute(
        """update sessions set started_at = clock_timestamp() - interval '15 minutes',
                  expires_at = date_trunc('milliseconds', clock_timestamp()) - interval '5 minutes' where id = $1""",
        uuid.UUID(sid),
    )
    reap(database_url)
    row = session_row(db, sid)
    assert (row["state"], row["end_reason"]) == ("ended", "max_duration")
    metered(db, sid)

    events = received(receiver, hook["secret"], settle(stack, tenant, hook["id"], receiver, db))
    assert summary(events) == Counter({("session.started", None): 1, ("session.ended", "max_duration"): 1})
    ended = next(e for e in events if e["type"] == "session.ended")
    assert ended["data"]["ended_at"] == iso(row["expires_at"]) == iso(row["ended_at"])


def test_quota_end_sends_terminated_and_both_thresholds_once(
    stack, tenant, receiver: Receiver, db: Db, database_url: str
) -> None:
    db.execute("update tenants set monthly_minutes = 1, billing_rounding = 'minute' where id = $1", tenant.tenant_id)
    hook = add_hook(stack, tenant, receiver.url)
    sid = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).json()["session_id"]
    # A live session bills its started minute: the month's one minute is spoken for, the reaper ends it.
    wait_for(lambda: reap(database_url) or session_row(db, sid)["state"] != "active", timeout=15, what="the quota end")
    row = session_row(db, sid)
    assert (row["state"], row["end_reason"]) == ("terminated", "quota_exhausted")
    metered(db, sid)
    reap(database_url)  # another pass after the metering: nothing more to say

    events = received(receiver, hook["secret"], settle(stack, tenant, hook["id"], receiver, db))
    assert summary(events) == Counter(
        {
            ("session.started", None): 1,
            ("session.terminated", "quota_exhausted"): 1,
            ("quota.threshold", 80): 1,
            ("quota.threshold", 100): 1,
        }
    )
    assert thresholds_in_queue_order(db, hook["id"]) == [80, 100]  # a session that jumps past both sends 80, then 100


def test_failed_creates_send_nothing(
    stack, tenant, receiver: Receiver, sim: SimulatorControl, db: Db, database_url: str
) -> None:
    hook = add_hook(stack, tenant, receiver.url)
    h = auth(tenant.server_key)

    # An upstream error while starting.
    sim.fault("avaturn.create", status=500, times=1)
    assert_problem(stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=h), 502, "upstream-error")

    def slow_create() -> tuple[threading.Thread, dict[str, httpx.Response], uuid.UUID]:
        sim.fault("avaturn.create", latency_ms=1000, times=1)
        result: dict[str, httpx.Response] = {}
        t = threading.Thread(
            target=lambda: result.setdefault("r", stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=h))
        )
        t.start()
        sid = wait_for(
            lambda: db.value("select id from sessions where tenant_id = $1 and state = 'starting'", tenant.tenant_id),
            what="a starting session",
        )
        return t, result, sid

    # A start timeout: the reaper fails it while the provider is still creating it.
    t, result, timed_out = slow_create()
    db.execute("update sessions set created_at = clock_timestamp() - interval '10 minutes' where id = $1", timed_out)
    reap(database_url)
    t.join()
    assert result["r"].status_code == 409

    # Ended by the caller while still `starting`.
    t, result, ended_early = slow_create()
    assert stack.http.delete(f"/v1/sessions/{ended_early}", headers=h).status_code == 202
    t.join()

    rows = db.fetch("select state, end_reason from sessions where tenant_id = $1", tenant.tenant_id)
    assert sorted((r["state"], r["end_reason"]) for r in rows) == [
        ("failed", "start_timeout"),
        ("failed", "upstream_error"),
        ("terminated", "api_terminated"),
    ]
    marker = settle(stack, tenant, hook["id"], receiver, db)
    assert received(receiver, hook["secret"], marker) == []
    assert (
        db.value(
            "select count(*) from jobs where kind = 'webhook.deliver' and payload->>'endpoint_id' = $1", hook["id"]
        )
        == 1
    )  # the marker's: nothing else was ever queued


def operator(*args: str, database_url: str) -> str:
    """The `greenroom` CLI as an operator runs it, against the schema owner's URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")} | {
        "GREENROOM_OWNER_DATABASE_URL": database_url
    }
    done = subprocess.run(
        [sys.executable, "-m", "app.cli.main", *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_thresholds_are_not_sent_again_after_the_budget_is_raised(
    stack, tenant, receiver: Receiver, db: Db, database_url: str, owner_database_url: str
) -> None:
    db.execute("update tenants set monthly_minutes = 1, billing_rounding = 'minute' where id = $1", tenant.tenant_id)
    hook = add_hook(stack, tenant, receiver.url, events=["quota.threshold"])
    h = auth(tenant.server_key)

    def one_minute() -> None:
        sid = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=h).json()["session_id"]
        stack.http.delete(f"/v1/sessions/{sid}", headers=h)
        metered(db, sid)

    one_minute()  # 1 of 1 minute: 80 % and 100 %
    first = received(receiver, hook["secret"], settle(stack, tenant, hook["id"], receiver, db))
    assert sorted((e["data"]["threshold_percent"], e["data"]["monthly_minutes"]) for e in first) == [(80, 1), (100, 1)]

    operator(
        "tenants",
        "limits",
        db.value("select slug from tenants where id = $1", tenant.tenant_id),
        "--monthly-minutes",
        "2",
        database_url=owner_database_url,
    )  # the operator raises it, as operators do
    assert db.value("select monthly_minutes from tenants where id = $1", tenant.tenant_id) == 2
    one_minute()  # 2 of 2 minutes: past 80 % and 100 % of the new budget, in the same month
    reap(database_url)  # and the reaper's look, for good measure
    assert db.value("select billed_seconds from usage_monthly where tenant_id = $1", tenant.tenant_id) == 120
    marker = settle(stack, tenant, hook["id"], receiver, db)
    assert sorted(e["data"]["threshold_percent"] for e in received(receiver, hook["secret"], marker)) == [80, 100]
    assert thresholds_in_queue_order(db, hook["id"]) == [80, 100]
    assert db.value("select count(*) from quota_notices where tenant_id = $1", tenant.tenant_id) == 2


def test_redirects_are_failures_and_never_followed(stack, tenant, db: Db) -> None:
    with Receiver() as redirecting, Receiver() as elsewhere:
        hook = add_hook(stack, tenant, redirecting.url)
        for status in (302, 307, 308):
            redirecting.redirect(elsewhere.url, status)
        message = stack.http.post(f"/v1/webhooks/{hook['id']}/test", headers=auth(tenant.server_key)).json()[
            "message_id"
        ]
        wait_for(
            lambda: db.value("select state from jobs where payload->>'message_id' = $1", message) == "done",
            timeout=15,
            what="the message delivered",
        )
        # Every attempt is over (the job is done): had one followed its redirect, `elsewhere` would have it by now.
        assert elsewhere.events() == []
        assert [r.status for r in redirecting.events()] == [302, 307, 308, 204]
        log = stack.http.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(tenant.server_key)).json()["items"]
        assert [(d["attempt"], d["outcome"], d["status_code"], d["error"]) for d in reversed(log)] == [
            (1, "failed", 302, "HTTP 302 (redirects are not followed): receiver says no"),
            (2, "failed", 307, "HTTP 307 (redirects are not followed): receiver says no"),
            (3, "failed", 308, "HTTP 308 (redirects are not followed): receiver says no"),
            (4, "succeeded", 204, None),
        ]


def test_twenty_endpoints_per_tenant(stack, tenant) -> None:
    h = auth(tenant.server_key)
    made = [
        add_hook(stack, tenant, f"https://hooks{i}.shop.example/in", enabled=i % 2 == 0)  # disabled ones count too
        for i in range(MAX_ENDPOINTS_PER_TENANT)
    ]
    assert MAX_ENDPOINTS_PER_TENANT == 20
    refused = assert_problem(
        stack.http.post("/v1/webhooks", json={"url": "https://one.too.many.example/in"}, headers=h),
        409,
        "webhook-limit",
    )
    assert "20" in refused["detail"]
    listed = stack.http.get("/v1/webhooks", headers=h).json()["items"]
    assert sorted(e["id"] for e in listed) == sorted(e["id"] for e in made)

    # Deleting one makes room for exactly one; creates at once on three app instances get one place between them.
    assert stack.http.delete(f"/v1/webhooks/{made[0]['id']}", headers=h).status_code == 204
    with ServerThread(create_app(stack.settings)) as second, ServerThread(create_app(stack.settings)) as third:
        urls = [stack.url, second.url, third.url]
        barrier = threading.Barrier(6)
        answers: list[int] = []

        def create(i: int) -> None:
            with httpx.Client(base_url=urls[i % 3], timeout=30) as http:
                assert http.get("/v1/webhooks", headers=h).status_code == 200  # warm: the race is in the create itself
                barrier.wait()
                answers.append(
                    http.post("/v1/webhooks", json={"url": f"https://race{i}.shop.example/in"}, headers=h).status_code
                )

        threads = [threading.Thread(target=create, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(answers) == [201] + [409] * 5
    assert len(stack.http.get("/v1/webhooks", headers=h).json()["items"]) == 20


def test_a_message_in_flight_when_its_endpoint_is_deleted_ends_there(stack, tenant, db: Db) -> None:
    h = auth(tenant.server_key)
    with Receiver(default=500) as deleted_receiver, Receiver() as other_receiver:
        doomed, other = add_hook(stack, tenant, deleted_receiver.url), add_hook(stack, tenant, other_receiver.url)
        deleted_receiver.hold()
        message = stack.http.post(f"/v1/webhooks/{doomed['id']}/test", headers=h).json()["message_id"]
        wait_for(lambda: deleted_receiver.held(), what="the request in flight")
        assert stack.http.delete(f"/v1/webhooks/{doomed['id']}", headers=h).status_code == 204
        deleted_receiver.release()  # it answers 500: for an endpoint that no longer exists

        # The job ends at once (not retried, not stuck until its lease runs out), and the worker carries on.
        wait_for(
            lambda: db.value("select state from jobs where payload->>'message_id' = $1", message) == "done",
            what="the in-flight message to end",
        )
        marker = stack.http.post(f"/v1/webhooks/{other['id']}/test", headers=h).json()["message_id"]
        wait_for(lambda: other_receiver.ids() == [marker], what="the next message of another endpoint")
        assert deleted_receiver.ids() == [message]
        assert db.value("select count(*) from webhook_attempts where endpoint_id = $1", uuid.UUID(doomed["id"])) == 0
