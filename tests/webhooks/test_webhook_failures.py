"""What a failed delivery leaves behind, in the worker's log and the database (app/webhooks/outcomes.py):

- a failing receiver's answer is another service's text (it has carried that service's tokens): no log line, no
  job error, no disable reason and no audit entry holds it, only its status and size; the start of it stays in the
  endpoint's delivery log, which its own tenant reads;
- a failed message whose endpoint was deleted while it was in flight ends at once: one attempt, one log line,
  nothing written, and the worker goes on; an outcome that meets an endpoint deleted even later writes nothing.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
import uuid
from typing import Any

from app.cli.serving import ServerThread
from app.db.engine import make_engine, make_sessionmaker, transaction
from app.webhooks import outcomes
from app.webhooks.outcomes import Answer, Attempt
from tests.support.asserts import wait_for
from tests.support.database import Db, run
from tests.support.receiver import Receiver, request_body
from tests.support.stack import TenantKeys

JOB = "select state, attempts, last_error from jobs where payload->>'message_id' = $1"


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def add_hook(stack, tenant: TenantKeys, url: str) -> dict[str, Any]:
    resp = stack.http.post("/v1/webhooks", json={"url": url}, headers=auth(tenant.server_key))
    assert resp.status_code == 201, resp.text
    return resp.json()


def send_test(stack, tenant: TenantKeys, hook_id: str) -> str:
    resp = stack.http.post(f"/v1/webhooks/{hook_id}/test", headers=auth(tenant.server_key))
    assert resp.status_code == 202, resp.text
    return str(resp.json()["message_id"])


class LeakyReceiver:
    """Answers every request 500 with a body that quotes a token of its own upstream, as a failing proxy does.
    After the first answer it holds each request until `release()` (so the job can be looked at between attempts)."""

    def __init__(self, body: bytes) -> None:
        self.body, self.count, self.open = body, 0, threading.Event()
        self.lock = threading.Lock()
        self.server = ServerThread(self)

    def release(self) -> None:
        self.open.set()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if await request_body(scope, receive, send) is None:
            return
        with self.lock:
            self.count += 1
            first = self.count == 1
        while not first and not self.open.is_set():  # noqa: ASYNC110  (set from the test's thread)
            await asyncio.sleep(0.01)
        await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": self.body})

    def __enter__(self) -> LeakyReceiver:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.server.stop()


def test_a_failing_receivers_answer_reaches_no_log_line_only_its_status_and_size(
    stack, tenant, db: Db, log_capture
) -> None:
    # Shapes the log redaction knows nothing of: only not logging the body keeps them out.
    token = "ghx" + secrets.token_hex(20)
    body = f"upstream auth failed for {token}; retry later ".encode().ljust(300, b".")
    before = len(log_capture.lines)
    with LeakyReceiver(body) as leaky:
        hook = add_hook(stack, tenant, f"{leaky.server.url}/hooks")
        message = send_test(stack, tenant, hook["id"])
        # The second attempt is held: the first one's outcome is committed with the job's last_error.
        wait_for(lambda: leaky.count == 2, timeout=10, what="the second attempt")
        last_error = db.value("select last_error from jobs where payload->>'message_id' = $1", message)
        assert last_error and "HTTP 500" in last_error and f"answer of {len(body)} bytes" in last_error, last_error
        assert token not in last_error
        leaky.release()
        # The test stack disables an endpoint after 5 failures; the job's next attempt then ends it.
        wait_for(
            lambda: db.value("select state from jobs where payload->>'message_id' = $1", message) == "done",
            timeout=20,
            what="the endpoint disabled and the message dropped",
        )
    logged = log_capture.lines[before:]
    assert not [line for line in logged if token in line]
    failures = [line for line in logged if message in line and "failed" in line]
    assert failures, logged
    assert all("HTTP 500" in line and f"answer of {len(body)} bytes" in line for line in failures), failures

    # Nowhere else the operator or an auditor reads: the jobs, the endpoint (its disable reason), the audit log.
    endpoint = stack.http.get(f"/v1/webhooks/{hook['id']}", headers=auth(tenant.server_key)).json()
    assert endpoint["enabled"] is False
    assert endpoint["disabled_reason"].endswith(f"the last: HTTP 500, answer of {len(body)} bytes")
    assert db.value(
        "select count(*) from audit_events where action = 'webhook.disabled' and target_id = $1", hook["id"]
    )
    for table in ("jobs", "webhook_endpoints", "audit_events"):
        assert not db.value(f"select count(*) from {table} t where strpos(t::text, $1) > 0", token), table

    # The tenant's own delivery log keeps the start of what its receiver answered: that is where it debugs it.
    log = stack.http.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(tenant.server_key)).json()["items"]
    assert len(log) == 5 and {d["status_code"] for d in log} == {500}
    assert all(d["error"] == "HTTP 500: " + body.decode()[:200].rstrip() for d in log), log[0]["error"]
    assert token in log[0]["error"]


def test_a_failed_message_whose_endpoint_was_deleted_meanwhile_ends_at_once(stack, tenant, db: Db, log_capture) -> None:
    h = auth(tenant.server_key)
    with Receiver(default=500) as deleted_receiver, Receiver() as other_receiver:
        doomed, other = add_hook(stack, tenant, deleted_receiver.url), add_hook(stack, tenant, other_receiver.url)
        deleted_receiver.hold()
        message = send_test(stack, tenant, doomed["id"])
        wait_for(lambda: deleted_receiver.held(), what="the request in flight")
        assert stack.http.delete(f"/v1/webhooks/{doomed['id']}", headers=h).status_code == 204
        before = len(log_capture.lines)
        released = time.monotonic()
        deleted_receiver.release()  # it answers 500, for an endpoint that no longer exists

        job = wait_for(
            lambda: (row := db.fetch(JOB, message)) and row[0]["state"] == "done" and row[0],
            what="the message to end",
        )
        assert time.monotonic() - released < 5  # at once: not after a retry's wait, nor a lease's 60 s
        # Final: one attempt, no retry; nothing written for the endpoint that is gone.
        assert (job["attempts"], job["last_error"]) == (1, None)
        assert db.value("select count(*) from webhook_attempts where endpoint_id = $1", uuid.UUID(doomed["id"])) == 0
        assert db.value("select count(*) from webhook_endpoints where id = $1", uuid.UUID(doomed["id"])) == 0
        # One clear line says what happened (and no "attempt failed" or retry line).
        said = [line for line in log_capture.lines[before:] if message in line]
        assert len(said) == 1, said
        assert "dropped" in said[0] and "deleted while the message was in flight" in said[0] and "HTTP 500" in said[0]

        # The worker goes on: another endpoint's next message arrives.
        marker = send_test(stack, tenant, other["id"])
        wait_for(lambda: other_receiver.ids() == [marker], what="the next message of another endpoint")
        assert deleted_receiver.ids() == [message]


def test_an_outcome_that_meets_a_deleted_endpoint_writes_nothing_and_raises_nothing(
    stack, tenant, db: Db, log_capture
) -> None:
    """The endpoint goes after the deliverer's check and before the outcome's transaction: the outcome commits
    (so the job's state is recorded at once) and writes no row that would break the delivery log's foreign key."""
    gone = uuid.uuid4()
    answer = Answer(500, "HTTP 500", 16, excerpt="receiver says no")
    attempt = Attempt(tenant.tenant_id, gone, "msg_" + uuid.uuid4().hex, "webhook.test", 1, 12, answer)
    before = len(log_capture.lines)

    async def record() -> None:
        engine = make_engine(stack.settings.database_url, null_pool=True)
        try:
            async with transaction(make_sessionmaker(engine), tenant.tenant_id) as session:
                await outcomes.failed(attempt, session, retry_in_s=5, disable_after_failures=1, disable_after_s=0)
        finally:
            await engine.dispose()

    run(record())
    assert db.value("select count(*) from webhook_attempts where endpoint_id = $1", gone) == 0
    assert not db.value("select count(*) from audit_events where target_id = $1", str(gone))
    said = [line for line in log_capture.lines[before:] if attempt.message_id in line]
    assert len(said) == 1 and "its delivery log went with it" in said[0], said


def test_a_long_answer_is_counted_up_to_a_cap_not_read_to_its_end(stack, tenant, db: Db) -> None:
    with LeakyReceiver(b"x" * 200_000) as big:
        hook = add_hook(stack, tenant, f"{big.server.url}/hooks")
        message = send_test(stack, tenant, hook["id"])
        wait_for(lambda: big.count == 2, timeout=10, what="the second attempt")
        last_error = db.value("select last_error from jobs where payload->>'message_id' = $1", message)
        assert last_error.endswith("HTTP 500, answer of over 65536 bytes"), last_error
        assert stack.http.delete(f"/v1/webhooks/{hook['id']}", headers=auth(tenant.server_key)).status_code == 204
