"""The reaper over real PostgreSQL and the simulator: which sessions it ends, once, in their tenant, and how fast.

Sessions are moved into the past by UPDATE-ing their timestamps as the schema owner; reaper passes run here
directly (`reap_once`) with the default thresholds. The stack's own worker runs the reaper loop too (every 5 s):
the assertions hold whichever copy ends a session, as they must. A session moved into the past is metered over
that invented past, which the provider never saw: this module runs on a stack, simulator and database of its
own, so the shared ledger keeps agreeing with the shared simulator.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from app.broker.reaper import Reaped, ReaperConfig, reap_once
from app.broker.tasks import reaper_step
from app.cli.serving import free_port
from app.db.engine import make_engine, make_sessionmaker
from app.jobs.runner import Worker
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import wait_for
from tests.support.database import Db, run
from tests.support.stack import OwnStack, TenantKeys, make_tenant, own_stack

GRACE_S, STARTING_S = 60, 60  # the defaults; the sessions below are pushed 10 minutes into the past


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# This module's `stack`, `sim`, `db` and `database_url` are its own (conftest's `tenant` and the autouse
# finalizer and ground-truth check pick them up by name).
@pytest.fixture(scope="module")
def own_world(test_db) -> Iterator[OwnStack]:
    with own_stack(test_db) as world:
        yield world


@pytest.fixture(scope="module")
def stack(own_world: OwnStack) -> OwnStack:
    return own_world


@pytest.fixture(scope="module")
def sim(own_world: OwnStack) -> SimulatorControl:
    return own_world.sim


@pytest.fixture(scope="module")
def db(own_world: OwnStack) -> Db:
    return own_world.db


@pytest.fixture(scope="module")
def database_url(own_world: OwnStack) -> str:
    return own_world.database_url


def widget_session(stack, tenant: TenantKeys) -> dict:
    resp = stack.http.post(
        "/v1/widget/sessions", json={"agent": "demo"}, headers={**auth(tenant.widget_key), "Origin": tenant.origin}
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


def server_session(stack, tenant: TenantKeys) -> dict:
    resp = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
    assert resp.status_code == 201, resp.text
    return resp.json()


def heartbeat(stack, tenant: TenantKeys, body: dict) -> httpx.Response:
    return stack.http.post(
        f"/v1/widget/sessions/{body['session_id']}/heartbeat",
        headers={**auth(body["heartbeat"]["token"]), "Origin": tenant.origin},
    )


def reap(database_url: str, **kw) -> list[Reaped]:
    """One reaper pass, as a worker runs it: the app role, under row-level security, its own connections."""

    async def go() -> list[Reaped]:
        engine = make_engine(database_url, null_pool=True)
        try:
            return await reap_once(
                make_sessionmaker(engine), **{"heartbeat_grace_s": GRACE_S, "starting_timeout_s": STARTING_S, **kw}
            )
        finally:
            await engine.dispose()

    return run(go())


def row(db: Db, session_id: str | uuid.UUID) -> dict:
    return db.fetch("select * from sessions where id = $1", uuid.UUID(str(session_id)))[0]


def silence(db: Db, session_id: str, minutes: int = 10) -> None:
    """The widget went away `minutes` ago: started then, last heartbeat then."""
    db.execute(
        """update sessions set started_at = clock_timestamp() - make_interval(mins => $2),
                  last_heartbeat_at = clock_timestamp() - make_interval(mins => $2),
                  expires_at = clock_timestamp() + interval '5 minutes' where id = $1""",
        uuid.UUID(session_id),
        minutes,
    )


def jobs_for(db: Db, session_id: str | uuid.UUID) -> list[dict]:
    return db.fetch(
        "select tenant_id, payload->>'upstream_session_id' as upstream_id from jobs where payload->>'session_id' = $1",
        str(session_id),
    )


def test_lost_heartbeats_end_the_session_and_the_provider_session(
    stack, tenant, sim: SimulatorControl, db: Db, database_url: str, log_capture
) -> None:
    lost, alive = widget_session(stack, tenant), widget_session(stack, tenant)
    for s in (lost, alive):
        assert heartbeat(stack, tenant, s).json()["state"] == "active"
    # Heartbeat writes are batched (at most a second late): wait until both are recorded.
    wait_for(
        lambda: all(row(db, s["session_id"])["last_heartbeat_at"] for s in (lost, alive)),
        what="batched heartbeat writes",
    )
    silence(db, lost["session_id"])
    # `alive` started as long ago, but its last heartbeat is fresh: it must survive the pass.
    db.execute(
        "update sessions set started_at = clock_timestamp() - interval '10 minutes' where id = $1",
        uuid.UUID(alive["session_id"]),
    )

    reap(database_url)
    ended = row(db, lost["session_id"])
    assert (ended["state"], ended["end_reason"]) == ("ended", "heartbeat_lost")
    assert ended["ended_at"] > ended["last_heartbeat_at"] + timedelta(seconds=GRACE_S)
    assert row(db, alive["session_id"])["state"] == "active"
    # The stack's worker delivers the job: the provider session ends (simulator ground truth).
    done = wait_for(
        lambda: (s := sim.session(ended["upstream_session_id"])) and not s["alive"] and s, what="upstream end"
    )
    assert done["end_cause"] == "deleted"
    assert len(jobs_for(db, lost["session_id"])) == 1
    assert sim.session(row(db, alive["session_id"])["upstream_session_id"])["alive"]
    # The widget learns it on its next heartbeat; the reap was logged with id and reason.
    assert heartbeat(stack, tenant, lost).json()["state"] == "ended"
    assert any(lost["session_id"] in line and "heartbeat_lost" in line for line in log_capture.lines)
    # Passes after that change nothing.
    reap(database_url)
    assert len(jobs_for(db, lost["session_id"])) == 1 and row(db, lost["session_id"])["ended_at"] == ended["ended_at"]


def test_server_sessions_are_never_reaped_for_heartbeats(stack, tenant, db: Db, database_url: str) -> None:
    body = server_session(stack, tenant)
    silence(db, body["session_id"], minutes=30)
    db.execute("update sessions set last_heartbeat_at = null where id = $1", uuid.UUID(body["session_id"]))
    reap(database_url, heartbeat_grace_s=1)
    assert row(db, body["session_id"])["state"] == "active" and not jobs_for(db, body["session_id"])
    stack.http.delete(f"/v1/sessions/{body['session_id']}", headers=auth(tenant.server_key))


def test_max_duration_ends_at_expires_at(stack, tenant, sim: SimulatorControl, db: Db, database_url: str) -> None:
    body = server_session(stack, tenant)
    db.execute(
        """update sessions set started_at = clock_timestamp() - interval '15 minutes',
                  expires_at = date_trunc('milliseconds', clock_timestamp()) - interval '5 minutes' where id = $1""",
        uuid.UUID(body["session_id"]),
    )
    reap(database_url)
    ended = row(db, body["session_id"])
    assert (ended["state"], ended["end_reason"]) == ("ended", "max_duration")
    assert ended["ended_at"] == ended["expires_at"]  # metering is exact: not the moment the reaper came by
    wait_for(lambda: not sim.session(ended["upstream_session_id"])["alive"], what="upstream end")
    assert len(jobs_for(db, body["session_id"])) == 1


def test_stuck_starting_fails_and_a_late_create_is_ended_upstream(
    stack, tenant, sim: SimulatorControl, db: Db, database_url: str
) -> None:
    """The create hangs past starting_timeout_s: `failed`/`start_timeout`; when it answers after all, it is deleted."""
    sim.fault("avaturn.create", latency_ms=1000)
    result: dict[str, httpx.Response] = {}
    t = threading.Thread(
        target=lambda: result.setdefault(
            "r", stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
        )
    )
    t.start()
    sid = wait_for(
        lambda: db.value("select id from sessions where tenant_id = $1 and state = 'starting'", tenant.tenant_id),
        what="a starting session",
    )
    db.execute("update sessions set created_at = clock_timestamp() - interval '10 minutes' where id = $1", sid)
    reap(database_url)
    failed = row(db, sid)
    assert (failed["state"], failed["end_reason"]) == ("failed", "start_timeout") and failed["ended_at"]
    assert not jobs_for(db, sid)  # no upstream id yet: nothing to delete
    t.join()
    assert result["r"].status_code == 409  # Tx 2 finds it no longer starting and enqueues the deletion itself
    jobs = jobs_for(db, sid)
    assert len(jobs) == 1
    wait_for(lambda: not sim.session(jobs[0]["upstream_id"])["alive"], what="late upstream end")
    assert row(db, sid)["state"] == "failed"


def test_concurrent_passes_end_each_session_once(stack, tenant, db: Db, database_url: str) -> None:
    bodies = [widget_session(stack, tenant) for _ in range(12)]
    for b in bodies:
        silence(db, b["session_id"])
    barrier = threading.Barrier(2)
    results: list[list[Reaped]] = [[], []]

    def pass_(i: int) -> None:
        barrier.wait()
        results[i] = reap(database_url, batch=3)

    threads = [threading.Thread(target=pass_, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    mine = {b["session_id"] for b in bodies}
    reaped = [str(r.session_id) for r in results[0] + results[1] if str(r.session_id) in mine]
    assert len(reaped) == len(set(reaped)), "a session was ended by both passes"
    for b in bodies:  # every one ended (by these passes or the stack's own reaper), exactly once
        r = row(db, b["session_id"])
        assert (r["state"], r["end_reason"]) == ("ended", "heartbeat_lost")
        assert len(jobs_for(db, b["session_id"])) == 1


def test_a_pass_sees_every_tenant_but_ends_each_inside_its_own(
    stack, tenant, sim: SimulatorControl, db: Db, database_url: str
) -> None:
    keys = {
        "openai": f"sk-test-{uuid.uuid4().hex}",
        "avaturn": f"av-test-{uuid.uuid4().hex}",
        "cartesia": f"sk_car_test{uuid.uuid4().hex}",
    }
    for provider, key in keys.items():
        sim.add_key(provider, key)
    other = run(make_tenant(stack.settings, keys))
    a, b = widget_session(stack, tenant), widget_session(stack, other)
    # Record, for every change to these two tenants' sessions, which tenant the changing transaction was scoped to.
    # The trigger exists before the sessions become due: the stack's own reaper may end them first, and must be seen.
    tenants = f"'{tenant.tenant_id}', '{other.tenant_id}'"
    db.execute("create table reaper_scope_log (session_id uuid, row_tenant uuid, scope text)")
    db.execute("grant insert on reaper_scope_log to greenroom_app")
    db.execute("""create function reaper_scope_log() returns trigger language plpgsql as $$ begin
                  insert into reaper_scope_log values (new.id, new.tenant_id, current_setting('app.tenant_id', true));
                  return new; end $$""")
    db.execute(f"""create trigger reaper_scope_log after update on sessions for each row
                   when (new.tenant_id in ({tenants}) and new.state = 'ended') execute function reaper_scope_log()""")
    try:
        for body in (a, b):
            silence(db, body["session_id"])
        reap(database_url)
        log = db.fetch("select * from reaper_scope_log")
    finally:
        db.execute("drop trigger reaper_scope_log on sessions")
        db.execute("drop function reaper_scope_log()")
        db.execute("drop table reaper_scope_log")
    for body, keys_ in ((a, tenant), (b, other)):
        assert row(db, body["session_id"])["end_reason"] == "heartbeat_lost"
        assert [j["tenant_id"] for j in jobs_for(db, body["session_id"])] == [keys_.tenant_id]
    assert {(e["session_id"], e["scope"]) for e in log} == {
        (uuid.UUID(a["session_id"]), str(tenant.tenant_id)),
        (uuid.UUID(b["session_id"]), str(other.tenant_id)),
    }
    # Without a tenant the app role sees no session at all: only the SECURITY DEFINER look-up crosses tenants.
    app = Db(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    assert app.value("select count(*) from sessions") == 0


def test_reaper_lag_in_the_running_worker(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    """The stack's worker (default settings: 60 s grace, a pass every 5 s): from reapable to ended, and to the
    provider."""
    body = widget_session(stack, tenant)
    sid = uuid.UUID(body["session_id"])
    db.execute("update sessions set last_heartbeat_at = clock_timestamp() - interval '60 seconds' where id = $1", sid)
    reapable_at = row(db, sid)["last_heartbeat_at"] + timedelta(seconds=60)
    started = time.monotonic()
    ended = wait_for(lambda: (r := row(db, sid))["state"] != "active" and r, timeout=10, what="the worker's reaper")
    upstream_id = ended["upstream_session_id"]
    wait_for(lambda: not sim.session(upstream_id)["alive"], what="upstream end")
    provider_lag = time.monotonic() - started
    lag = (ended["ended_at"] - reapable_at).total_seconds()
    print(
        f"\nreaper lag: {lag:.2f} s to ended (interval {stack.settings.reaper_interval_s} s), "
        f"<= {provider_lag:.2f} s to the provider's end"
    )
    assert ended["end_reason"] == "heartbeat_lost"
    assert 0 <= lag <= stack.settings.reaper_interval_s + 2


def test_a_failing_pass_is_logged_and_retried_never_fatal(log_capture) -> None:
    """The database is unreachable: every pass fails, the loop logs it and goes on until asked to stop."""
    before = len(log_capture.lines)

    def failures() -> int:
        return sum("reaper pass failed" in line for line in log_capture.lines[before:])

    async def go() -> None:
        engine = make_engine(f"postgresql://nobody@127.0.0.1:{free_port()}/none", null_pool=True)
        sessions = make_sessionmaker(engine)
        steps = [reaper_step(sessions, ReaperConfig())]
        worker = Worker(sessions, "postgresql://unused", {}, steps=steps, interval_s=0.05)
        stop = asyncio.Event()
        loop = asyncio.create_task(worker.every_pass(stop))
        deadline = time.monotonic() + 10
        # Three failed passes, logged. Polled: a log line cannot signal an event.
        while failures() < 3 and not loop.done() and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        assert not loop.done(), "the reaper loop died on a failing pass"
        stop.set()
        await asyncio.wait_for(loop, 2)
        await engine.dispose()

    run(go())
    assert failures() >= 3  # the loop went on after each failure (three passes at least, each one logged)
