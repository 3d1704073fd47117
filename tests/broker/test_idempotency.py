"""`Idempotency-Key` on session creates (docs/decisions/0012-idempotency-keys.md): replays, mismatches, concurrent
duplicates, the takeover of a claim whose request died, and the widget path's refusal. Callers that must never
share a record: tests/broker/test_idempotency_principals.py.

Concurrency is made certain with the simulator's hold fault (a create held at the provider while the duplicates
arrive) and barriers, never with a latency the duplicates have to land inside.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from app.auth.principal import Principal
from app.broker import idempotency
from app.broker.schemas import CreateSession
from app.kit.tokens import hash_token
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db, run


def create(stack, tenant, key: str, agent: str = "demo") -> httpx.Response:
    return stack.http.post(
        "/v1/sessions",
        json={"agent": agent},
        headers={"Authorization": f"Bearer {tenant.server_key}", "Idempotency-Key": key},
    )


def creates_since(sim: SimulatorControl, since: float) -> list[dict]:
    return [r for r in sim.requests("avaturn.create") if r["at"] >= since]


def upstream_sessions(sim: SimulatorControl, tenant) -> list[dict]:
    """The sessions the provider created with this tenant's Avaturn key (ground truth)."""
    mine = hashlib.sha256(tenant.provider_keys["avaturn"].encode()).hexdigest()[:12]
    return [s for s in sim.sessions() if s["key_fingerprint"] == mine]


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
    stack.http.delete(
        f"/v1/sessions/{first.json()['session_id']}", headers={"Authorization": f"Bearer {tenant.server_key}"}
    )


def test_a_failed_create_is_replayed_as_the_same_problem(stack, tenant, sim: SimulatorControl) -> None:
    key = str(uuid.uuid4())
    sim.fault("avaturn.create", status=500, times=1)
    assert_problem(create(stack, tenant, key), 502, "upstream-error")
    replay = create(stack, tenant, key)  # the provider is fine again, but the answer stands
    assert_problem(replay, 502, "upstream-error")


def test_50_concurrent_requests_with_one_key_start_one_session(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    """The first request is held at the provider until the other 49 have their answer: all of them provably
    arrived while it was in flight, however slowly this machine runs (no window to land in)."""
    since = sim.now()
    hold = sim.hold("avaturn.create")
    key = str(uuid.uuid4())
    start = threading.Barrier(50)
    answers: list[httpx.Response] = []

    def send() -> httpx.Response:
        start.wait(30)  # all 50 leave together: the claims race in the database
        answer = create(stack, tenant, key)
        answers.append(answer)
        return answer

    with ThreadPoolExecutor(50) as pool:
        futures = [pool.submit(send) for _ in range(50)]
        try:

            def duplicates_answered() -> bool:
                assert len(creates_since(sim, since)) <= 1, "a duplicate reached the provider"
                return len(answers) >= 49

            wait_for(duplicates_answered, timeout=60, what="49 answers while the first create is held")
            sim.wait_held(hold["id"], 1)
            early = list(answers)
            assert sim.held(hold["id"]) == 1 and len(creates_since(sim, since)) == 1
        finally:
            sim.release(hold["id"])
        results = [f.result(timeout=30) for f in futures]
    assert [r.status_code for r in early] == [409] * 49, sorted({r.status_code for r in early})
    for refused in early:
        assert_problem(refused, 409, "idempotency-in-progress")
        assert refused.headers["retry-after"] == "1"
    (winner,) = [r for r in results if r.status_code == 201]
    assert len(creates_since(sim, since)) == 1, "exactly one upstream create"
    assert len(upstream_sessions(sim, tenant)) == 1
    assert db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 1
    sid = winner.json()["session_id"]
    assert create(stack, tenant, key).json()["session_id"] == sid  # once done, replays answer the one session
    stack.http.delete(f"/v1/sessions/{sid}", headers={"Authorization": f"Bearer {tenant.server_key}"})


TAKEOVER_S = 120  # docs/decisions/0012-idempotency-keys.md: "a claim older than 120 s is taken over"


def server_key_caller(db: Db, tenant) -> Principal:
    """The tenant's server key as the broker sees it once authenticated."""
    row = db.fetch("select id, scopes from api_keys where key_hash = $1", hash_token(tenant.server_key))[0]
    return Principal.server_key(tenant.tenant_id, row["id"], frozenset(row["scopes"]))


def claim_and_die(stack, tenant, db: Db, database_url: str, key: str, body: dict) -> None:
    """What a request leaves when its instance dies after claiming the key: the broker's own claim, committed,
    never finished."""
    from app.db.engine import make_engine, make_sessionmaker, transaction
    from app.vault.crypto import Vault

    caller = server_key_caller(db, tenant)

    async def claim() -> None:
        engine = make_engine(database_url, null_pool=True)
        try:
            async with transaction(make_sessionmaker(engine), tenant.tenant_id) as session:
                await idempotency.claim(
                    session,
                    Vault(stack.settings.master_keyset),
                    caller,
                    key,
                    idempotency.request_hash(CreateSession(**body).model_dump()),
                )
        finally:
            await engine.dispose()

    run(claim())


def test_a_claim_left_by_a_dead_request_is_taken_over_after_120_s_and_not_before(
    stack, tenant, sim: SimulatorControl, db: Db, database_url: str
) -> None:
    key = str(uuid.uuid4())
    claim_and_die(stack, tenant, db, database_url, key, {"agent": "demo"})
    since = sim.now()

    def age(seconds: int) -> None:  # instead of waiting: the claim is this old by the database's clock
        db.execute(
            "update idempotency_keys set created_at = now() - make_interval(secs => $3) "
            "where tenant_id = $1 and key = $2 and state = 'in_progress'",
            tenant.tenant_id,
            key,
            seconds,
        )

    young = create(stack, tenant, key)
    assert_problem(young, 409, "idempotency-in-progress")
    assert young.headers["retry-after"] == "1"
    age(TAKEOVER_S - 1)
    assert_problem(create(stack, tenant, key), 409, "idempotency-in-progress")
    assert creates_since(sim, since) == [], "a young claim starts nothing"

    age(TAKEOVER_S + 1)
    taken_over = create(stack, tenant, key)
    assert taken_over.status_code == 201, taken_over.text
    assert len(creates_since(sim, since)) == 1
    assert (
        db.value("select state from idempotency_keys where tenant_id = $1 and key = $2", tenant.tenant_id, key)
        == "done"
    )
    replay = create(stack, tenant, key)
    assert replay.json() == taken_over.json() and replay.headers["idempotent-replayed"] == "true"
    stack.http.delete(
        f"/v1/sessions/{taken_over.json()['session_id']}", headers={"Authorization": f"Bearer {tenant.server_key}"}
    )


def widget_create(stack, tenant, key: str | None, agent: str = "demo", widget_key: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {widget_key or tenant.widget_key}", "Origin": tenant.origin}
    if key is not None:
        headers["Idempotency-Key"] = key
    return stack.http.post("/v1/widget/sessions", json={"agent": agent}, headers=headers)


def test_the_widget_path_refuses_the_header_in_a_problem_the_page_can_read_and_starts_nothing(
    stack, tenant, sim: SimulatorControl, db: Db
) -> None:
    """Decision 0012: a publishable key names no caller a stored answer could belong to, so the widget path says no
    (rather than ignoring the header and letting a page believe its retries are safe)."""
    since = sim.now()
    for key in (str(uuid.uuid4()), "", "x" * 256):
        refused = widget_create(stack, tenant, key)
        problem = assert_problem(refused, 400, "invalid-request")
        assert "Idempotency-Key is not accepted with a widget key" in problem["detail"]
        assert problem["errors"] == [
            {"key": "Idempotency-Key", "source": "header", "message": "not accepted on this operation"}
        ]
        assert refused.headers["access-control-allow-origin"] == tenant.origin
    assert creates_since(sim, since) == []
    assert db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 0
    assert db.value("select count(*) from idempotency_keys where tenant_id = $1", tenant.tenant_id) == 0
    widget_key_id = db.value("select id from widget_keys where tenant_id = $1", tenant.tenant_id)
    assert db.value("select count(*) from rate_limits where bucket = $1", f"k:{widget_key_id}") == 0, "counted"
    # Who is calling is settled first: an unknown key or a foreign origin hears that, not about the header.
    assert_problem(widget_create(stack, tenant, "k", widget_key="gr_pk_unknown"), 401, "unknown-key")
    foreign = stack.http.post(
        "/v1/widget/sessions",
        json={"agent": "demo"},
        headers={
            "Authorization": f"Bearer {tenant.widget_key}",
            "Origin": "https://evil.example",
            "Idempotency-Key": "k",
        },
    )
    assert_problem(foreign, 403, "origin-not-allowed")
    started = widget_create(stack, tenant, None)  # the same start without the header goes through
    assert started.status_code == 201, started.text


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
            await housekeeping(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    run(sweep())
    assert db.value("select count(*) from idempotency_keys where key = $1", old) == 0
    assert db.value("select count(*) from idempotency_keys where key = $1", fresh) == 1
    again = create(stack, tenant, old)
    assert again.status_code == 201 and again.json()["session_id"] != first["session_id"]
    assert "idempotent-replayed" not in again.headers
