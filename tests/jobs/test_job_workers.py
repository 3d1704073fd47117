"""Any number of workers on one queue (README: `greenroom worker` is "safe with many copies").

Guarantees, counted at the provider (the simulator's request log), not in our own tables:
- two workers racing for the same jobs send exactly one DELETE per terminated session, each acknowledged;
- a worker that dies with a job in flight leaves it leased; another worker takes it over only once the lease has
  run out, and the provider acknowledges exactly one DELETE.
- the lease itself: two claims whose transactions overlap never take the same job, whichever order they commit in.
The workers run on a database of their own, so no other worker can take the jobs.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import asyncpg
import pytest

from app.jobs.runner import JobPolicy
from tests.support.asserts import wait_for
from tests.support.database import TestDatabase, as_app_role, run
from tests.support.workers import PolicyWorker, WorkerlessStack, workerless_stack

SESSIONS = 16


@pytest.fixture(scope="module")
def own(test_db: TestDatabase) -> Iterator[WorkerlessStack]:
    # A generous upstream timeout: held DELETEs wait for the test, not for a client timeout.
    with workerless_stack(test_db, upstream_timeout_s=30.0) as made:
        yield made
        made.assert_no_unknown_upstream_sessions()


def jobs_of(own: WorkerlessStack, session_ids: list[str]) -> list[dict]:
    return own.db.fetch(
        "select payload->>'session_id' as sid, state, attempts from jobs where payload->>'session_id' = any($1)",
        session_ids,
    )


def test_two_workers_send_exactly_one_delete_per_session(own: WorkerlessStack) -> None:
    sids = [own.start_session()["session_id"] for _ in range(SESSIONS)]
    upstream = {sid: own.upstream_id(sid) for sid in sids}
    # One job at a time per worker, so the two keep racing each other for the next one.
    workers = [PolicyWorker(own.settings, JobPolicy(batch=1), name=f"worker-{n}").start() for n in (1, 2)]
    try:
        hold = own.sim.hold("avaturn.delete")
        start = threading.Barrier(SESSIONS)

        def terminate(sid: str) -> None:
            start.wait(30)
            own.terminate(sid)

        with ThreadPoolExecutor(SESSIONS) as pool:
            list(pool.map(terminate, sids))  # every kill at once: N jobs and N NOTIFYs together
        # Both workers hold a job in flight at the same moment: two different sessions, so both took part.
        own.sim.wait_held(hold["id"], 2, why=lambda: f"jobs: {jobs_of(own, sids)}")
        mine = {"/api/v1/sessions/" + u for u in upstream.values()}
        in_flight = [
            r["path"]
            for r in own.sim.requests("avaturn.delete")
            if r["path"] in mine and r["status"] is None and not r["dropped"]
        ]
        assert len(in_flight) == len(set(in_flight)) == 2, in_flight
        own.sim.release(hold["id"])
        wait_for(
            lambda: all(j["state"] == "done" for j in jobs_of(own, sids)) and len(jobs_of(own, sids)) == SESSIONS,
            timeout=30,
            what="every termination job done",
        )
    finally:
        for worker in workers:
            worker.stop()  # jobs in flight finish first: after this, no worker can send anything more
    for sid in sids:
        assert [r["status"] for r in own.deletes(upstream[sid])] == [200], (
            f"session {sid}: {own.deletes(upstream[sid])}"
        )
    assert all(j["attempts"] == 1 for j in jobs_of(own, sids)), jobs_of(own, sids)
    assert not any(own.sim.session(u)["alive"] for u in upstream.values())


@pytest.mark.slow  # a fault scenario: a worker dies mid-job
def test_a_job_whose_worker_died_is_taken_over_after_its_lease(own: WorkerlessStack) -> None:
    sid = own.start_session()["session_id"]
    upstream = own.upstream_id(sid)
    hold = own.sim.hold("avaturn.delete", times=1)
    doomed = PolicyWorker(own.settings, JobPolicy(lease_s=3), name="doomed").start()
    own.terminate(sid)
    own.sim.wait_held(hold["id"], 1)
    leased = own.db.fetch("select id, state, attempts, locked_until from jobs where payload->>'session_id' = $1", sid)[
        0
    ]
    assert (leased["state"], leased["attempts"]) == ("running", 1)

    doomed.kill()  # mid-DELETE: no outcome recorded, the connection to the provider gone
    wait_for(
        lambda: [r for r in own.deletes(upstream) if r["dropped"]], what="the provider to see the dead worker hang up"
    )
    own.sim.release(hold["id"])
    after_death = own.db.fetch("select state, attempts, locked_until from jobs where id = $1", leased["id"])[0]
    assert (after_death["state"], after_death["attempts"]) == ("running", 1), "a dead worker records nothing"
    assert own.sim.session(upstream)["alive"]

    rescuer = PolicyWorker(own.settings, name="rescuer").start()  # production policy
    try:
        done = wait_for(
            lambda: (
                (j := own.db.fetch("select state, attempts, done_at from jobs where id = $1", leased["id"])[0])["state"]
                == "done"
                and j
            ),
            timeout=15,
            what="the other worker to finish the job",
        )
    finally:
        rescuer.stop()
    assert done["attempts"] == 2
    assert done["done_at"] >= leased["locked_until"], "taken over only once the dead worker's lease ran out"
    assert [(r["status"], r["dropped"]) for r in own.deletes(upstream)] == [(None, True), (200, False)]
    assert not own.sim.session(upstream)["alive"]
    assert own.db.value("select state from sessions where id = $1", uuid.UUID(sid)) == "terminated"


def test_two_overlapping_leases_never_take_the_same_job_nor_wait(own: WorkerlessStack) -> None:
    """The lease (`greenroom_claim_jobs`, as the app role) with the race forced: B claims while A's claim is not yet
    committed. B must neither take A's job (it would run twice) nor wait for A (SKIP LOCKED: copies never queue
    behind each other); it takes the other due job at once."""
    sids = [own.start_session()["session_id"] for _ in range(2)]
    for sid in sids:  # two due jobs, and no worker running
        own.terminate(sid)
    ids = {r["id"] for r in own.db.fetch("select id from jobs where payload->>'session_id' = any($1)", sids)}
    claim = "select id from greenroom_claim_jobs(1, 1)"  # one job, leased for 1 s

    async def race() -> tuple[list[int], list[int], bool]:
        url = as_app_role(own.owner_url)
        a, b = await asyncpg.connect(url), await asyncpg.connect(url)
        try:
            first = a.transaction()
            await first.start()
            took_a = [r["id"] for r in await a.fetch(claim)]
            second = b.transaction()
            await second.start()
            b_pid = b.get_server_pid()
            took_b = asyncio.ensure_future(b.fetch(claim))
            # Until B has answered, or waits on a lock A holds (then its snapshot predates A's commit).
            waited = False
            for _ in range(500):
                if took_b.done():
                    break
                if await a.fetchval("select wait_event_type = 'Lock' from pg_stat_activity where pid = $1", b_pid):
                    waited = True
                    break
                await asyncio.sleep(0.01)
            else:
                raise AssertionError("the second claim neither answered nor waited on a lock")
            await first.commit()
            got_b = [r["id"] for r in await took_b]
            await second.commit()
            return took_a, got_b, waited
        finally:
            await a.close()
            await b.close()

    try:
        took_a, took_b, waited = run(race())
        assert len(took_a) == 1 and took_a[0] in ids
        assert took_b != took_a, "both leases took the same job: it would run twice"
        assert not waited, "the second claim waited for the first one's transaction"
        assert sorted(took_a + took_b) == sorted(ids)
        assert own.db.value("select max(attempts) from jobs where id = any($1)", list(ids)) == 1
    finally:
        # Nobody runs what the two leases took: once they run out, a real worker takes both and ends the sessions.
        worker = PolicyWorker(own.settings).start()
        try:
            wait_for(lambda: all(j["state"] == "done" for j in jobs_of(own, sids)), timeout=15, what="both jobs done")
        finally:
            worker.stop()
