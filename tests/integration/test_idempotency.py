"""`Idempotency-Key` on session creates: replays, mismatches, concurrent duplicates."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from app.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem
from tests.support.database import Db


def create(stack, tenant, key: str, agent: str = "demo") -> httpx.Response:
    return stack.http.post("/v1/sessions", json={"agent": agent},
                           headers={"Authorization": f"Bearer {tenant.server_key}", "Idempotency-Key": key})


def test_a_replay_returns_the_first_answer_and_starts_nothing(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    key = str(uuid.uuid4())
    first = create(stack, tenant, key)
    assert first.status_code == 201
    before = len(sim.sessions())
    again = create(stack, tenant, key)
    assert again.status_code == 201 and again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(sim.sessions()) == before
    assert_problem(create(stack, tenant, key, agent="voice"), 422, "idempotency-mismatch")
    raw = db.value("select response from idempotency_keys where key = $1", key)
    assert first.json()["token"].encode() not in raw, "the stored answer is sealed, not plaintext"
    stack.http.delete(f"/v1/sessions/{first.json()['session_id']}", headers={"Authorization": f"Bearer {tenant.server_key}"})


def test_a_failed_create_is_replayed_as_the_same_problem(stack, tenant, sim: SimulatorControl) -> None:
    key = str(uuid.uuid4())
    sim.fault("avaturn.create", status=500, times=1)
    assert_problem(create(stack, tenant, key), 502, "upstream-error")
    replay = create(stack, tenant, key)  # the provider is fine again, but the answer stands
    assert_problem(replay, 502, "upstream-error")


def test_keys_belong_to_their_tenant(stack, tenant) -> None:
    from tests.support.database import run
    from tests.support.stack import make_tenant

    other = run(make_tenant(stack.settings, tenant.provider_keys))
    key = str(uuid.uuid4())
    a, b = create(stack, tenant, key), create(stack, other, key)
    assert a.status_code == b.status_code == 201 and a.json()["session_id"] != b.json()["session_id"]
    for t, r in ((tenant, a), (other, b)):
        stack.http.delete(f"/v1/sessions/{r.json()['session_id']}", headers={"Authorization": f"Bearer {t.server_key}"})


def test_50_concurrent_requests_with_one_key_start_one_session(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    sim.fault("avaturn.create", latency_ms=300)  # the first is still running while the others arrive
    key = str(uuid.uuid4())

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as client:
            return await asyncio.gather(*(client.post(
                "/v1/sessions", json={"agent": "demo"},
                headers={"Authorization": f"Bearer {tenant.server_key}", "Idempotency-Key": key}) for _ in range(50)))

    answers = asyncio.run(burst())
    codes = [r.status_code for r in answers]
    assert codes.count(201) == 1 and codes.count(409) == 49, sorted(set(codes))
    assert all(r.json()["type"] == "/problems/idempotency-in-progress" for r in answers if r.status_code == 409)
    assert db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 1
    sid = next(r.json()["session_id"] for r in answers if r.status_code == 201)
    assert create(stack, tenant, key).json()["session_id"] == sid  # once done, replays answer the one session
    stack.http.delete(f"/v1/sessions/{sid}", headers={"Authorization": f"Bearer {tenant.server_key}"})


def test_a_bad_key_is_a_clear_error(stack, tenant) -> None:
    assert_problem(create(stack, tenant, "x" * 256), 400, "invalid-request")


def test_keys_expire_after_a_day_and_can_then_start_a_new_session(stack, tenant, db: Db, database_url: str) -> None:
    from app.db.engine import make_engine, make_sessionmaker
    from app.worker import housekeeping
    from tests.support.database import run

    old, fresh = str(uuid.uuid4()), str(uuid.uuid4())
    first = create(stack, tenant, old).json()
    create(stack, tenant, fresh)
    db.execute("update idempotency_keys set created_at = now() - interval '25 hours' where key = $1", old)

    async def sweep() -> None:  # as the worker does, under row-level security
        engine = make_engine(database_url, null_pool=True)
        try:
            await housekeeping.now_and_then(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    run(sweep())
    assert db.value("select count(*) from idempotency_keys where key = $1", old) == 0
    assert db.value("select count(*) from idempotency_keys where key = $1", fresh) == 1
    again = create(stack, tenant, old)
    assert again.status_code == 201 and again.json()["session_id"] != first["session_id"]
    assert "idempotent-replayed" not in again.headers
