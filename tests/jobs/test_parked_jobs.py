"""A termination the provider keeps refusing is parked by the worker itself after exactly `max_attempts` real
attempts, listed for the operator, and retried on request (docs/decisions/0004-terminate-is-asynchronous.md).

The worker runs with an injected JobPolicy (4 attempts, no backoff) instead of production's 60 attempts over a
quarter of an hour; nothing else differs from production, and the last test pins that production default.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from app.cli.main import main as greenroom
from app.jobs.runner import BACKOFF_CAP_S, JobPolicy, Worker
from tests.support.asserts import wait_for
from tests.support.database import TestDatabase
from tests.support.workers import PolicyWorker, WorkerlessStack, workerless_stack

ATTEMPTS = 4


def jobs_cli(own: WorkerlessStack, *args: str) -> str:
    """`greenroom jobs …` as the operator runs it (the click command in this process: a subprocess costs seconds)."""
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("GREENROOM_")}
    result = CliRunner().invoke(greenroom, ["jobs", *args], env=env | {"GREENROOM_OWNER_DATABASE_URL": own.owner_url})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow  # a fault scenario: the provider refuses every DELETE
def test_a_refused_termination_is_parked_after_exactly_max_attempts_and_retried(test_db: TestDatabase) -> None:
    # A generous upstream timeout: the held last attempt must wait for the test, not time out on its own.
    with workerless_stack(test_db, upstream_timeout_s=30.0) as own:
        worker = PolicyWorker(own.settings, JobPolicy(max_attempts=ATTEMPTS, backoff_s=lambda n: 0.0)).start()
        try:
            _park_and_retry(own)
        finally:
            worker.stop()
        own.assert_no_unknown_upstream_sessions()


def _park_and_retry(own: WorkerlessStack) -> None:
    sid = own.start_session()["session_id"]
    upstream = own.upstream_id(sid)
    # Every attempt is refused; the last one is also held, so the test sees the job between attempt N-1 and N.
    # (The newest fault wins: the first ATTEMPTS-1 DELETEs take the 503, then the hold takes over.)
    last = own.sim.hold("avaturn.delete", status=503)
    own.sim.fault("avaturn.delete", status=503, times=ATTEMPTS - 1)
    own.terminate(sid)

    def job() -> dict:
        return own.db.fetch("select id, state, attempts, last_error from jobs where payload->>'session_id' = $1", sid)[
            0
        ]

    own.sim.wait_held(last["id"], 1, why=lambda: f"the job is {job()}")
    # After ATTEMPTS-1 refusals the job was not parked: it was leased again for attempt N, which is in flight.
    in_flight = job()
    assert (in_flight["state"], in_flight["attempts"]) == ("running", ATTEMPTS), in_flight
    assert "503" in in_flight["last_error"]
    assert [r["status"] for r in own.deletes(upstream)] == [503] * (ATTEMPTS - 1) + [None]

    own.sim.release(last["id"])  # attempt N is refused too
    parked = wait_for(lambda: (j := job())["state"] != "running" and j, what="the outcome of the last attempt")
    assert (parked["state"], parked["attempts"]) == ("parked", ATTEMPTS), parked
    assert "503" in parked["last_error"]
    assert [r["status"] for r in own.deletes(upstream)] == [503] * ATTEMPTS
    assert own.sim.session(upstream)["alive"], "never acknowledged: the provider still runs it"
    listed = jobs_cli(own, "list")
    assert (
        f"{parked['id']:>8}  avaturn.delete_session" in listed and f"attempts {ATTEMPTS}" in listed and "503" in listed
    )

    # The provider is fine again; parked means parked: only the operator's retry sends the DELETE again.
    assert f"1 job(s) queued again: {parked['id']}" in jobs_cli(own, "retry", str(parked["id"]))
    done = wait_for(lambda: (j := job())["state"] == "done" and j, what="the retried job to finish")
    assert done["attempts"] == 1  # the retry starts the count afresh
    assert [r["status"] for r in own.deletes(upstream)] == [503] * ATTEMPTS + [200]
    assert not own.sim.session(upstream)["alive"]
    assert own.db.value("select upstream_ended_at is not null from sessions where id = $1::uuid", sid), (
        "metered at the end"
    )
    assert "no parked jobs" in jobs_cli(own, "list")


def test_production_parks_after_60_attempts_with_backoff_capped_at_15_s() -> None:
    """The default every `greenroom worker` runs with (docs/decisions/0004: 60 attempts, about a quarter of an hour)."""
    policy = Worker(None, "postgresql://unused", {}).policy  # type: ignore[arg-type]
    assert policy == JobPolicy() and policy.max_attempts == 60 and policy.lease_s == 60
    waits = [policy.backoff_s(n) for n in range(1, 61) for _ in range(20)]
    assert all(0 <= w <= BACKOFF_CAP_S == 15.0 for w in waits)
    assert max(policy.backoff_s(1) for _ in range(200)) <= 0.5  # the first retry comes at once
