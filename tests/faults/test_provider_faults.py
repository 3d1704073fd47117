"""Provider faults on every upstream route the broker and the worker use: the systematic matrix.

Creating a session (`POST /v1/sessions`), per route × fault:

| route                   | agent | 500 502 503 429 | timeout | reset | slow (0.8 s) | answer lost after the effect |
|-------------------------|-------|-----------------|---------|-------|--------------|------------------------------|
| openai.client_secrets   | demo  | 502 error       | 504     | 502   | 201          | -                            |
| cartesia.access_token   | voice | 502 error       | 504     | 502   | 201          | -                            |
| avaturn.create          | demo  | 502 error       | 504     | 502   | 201          | 500 / reset / timeout        |

plus a single transient fault on `openai.client_secrets` (503, reset), which the client's one retry absorbs,
and a 500 whose text echoes the key the provider was called with.

Invariants: a typed RFC 9457 problem (status, `type`, `provider`, `application/problem+json`) that names no
provider key; the session row ends `failed`/`upstream_error` (never left `starting`) and bills nothing; the
clients' retry policy holds (the OpenAI mint is retried once, Cartesia and the Avaturn create never, since a
retried create could start two sessions); an engine-credential failure never reaches Avaturn, so nothing is
created upstream; a slow provider holds no database transaction open; a key the provider echoes goes no
further (not into the answer, `sessions.error` or the logs); an Avaturn create whose answer was lost leaves
exactly the one session decision 0005 accepts (unknown to us, bounded by the agent's `user_absent_timeout`),
which the provider ends at that timeout.

Ending a session (the worker's `avaturn.delete`): 500, 502, 503, 429 and resets twice, a timeout once, a
slow answer, and an answer (503 or reset) lost after the provider ended the session. Invariant: the kill is
delivered exactly once after the fault clears (one un-faulted DELETE acknowledged; after a lost answer, the
retry's 404 counts as done), the job is `done`, the provider shows the session ended, and the ledger has
exactly one `ended` row with the provider's seconds (after a lost answer: never fewer).

The lost answers (create and DELETE) run on a simulator and database of their own (`own`): they move the
simulator's clock or knowingly leave the ledger past the provider's end, which on the shared stack would end
other tests' sessions or spoil the exact reconciliation of the whole run.

A provider's 429 answers 503 `upstream-busy` with Retry-After. Not covered: a provider 429 that sends its own
`Retry-After` (the simulator's status faults send no headers).
The autouse ground-truth check (tests/conftest.py) runs after every case as well.
"""

from __future__ import annotations

import hashlib
import time
import uuid

import httpx
import pytest

from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db
from tests.support.no_network_in_tx import SimulatorHold, assert_no_transaction_across
from tests.support.stack import TenantKeys

pytestmark = pytest.mark.slow

SLOW_MS = 800  # well below the clients' timeout in tests (upstream_timeout_s = 2 s)

# route -> (agent that uses it, provider named in the problem, attempts the client makes before giving up)
CREATE_ROUTES = {
    "openai.client_secrets": ("demo", "openai", 2),  # the SDK retries once: minting again is harmless
    "cartesia.access_token": ("voice", "cartesia", 1),
    "avaturn.create": ("demo", "avaturn", 1),  # never retried: no idempotency key upstream (decision 5)
}

# fault kind -> (simulator fault, expected status, problem slug)
CREATE_FAULTS = {
    "500": ({"status": 500}, 502, "upstream-error"),
    "502": ({"status": 502}, 502, "upstream-error"),
    "503": ({"status": 503}, 502, "upstream-error"),
    "429": ({"status": 429}, 503, "upstream-busy"),
    "timeout": ({"timeout": True}, 504, "upstream-timeout"),
    "reset": ({"reset": True}, 502, "upstream-error"),
}

# The provider created the session, then its answer failed or never arrived.
LOST_ANSWERS = {
    "500-after": ({"status": 500, "after_effect": True}, 502, "upstream-error"),
    "reset-after": ({"reset": True, "after_effect": True}, 502, "upstream-error"),
    "timeout-after": ({"timeout": True, "after_effect": True}, 504, "upstream-timeout"),
}

# fault kind -> (simulator fault, statuses of the DELETEs that ran without a fault, end confirmed by the provider)
# Delivered once: one clean DELETE acknowledged; a slow answer is itself the delivery; after an answer lost
# with its effect done, the retry finds the session gone (404 counts as done) and the end is unconfirmed.
DELETE_FAULTS = {
    "500": ({"status": 500, "times": 2}, [200], True),
    "502": ({"status": 502, "times": 2}, [200], True),
    "503": ({"status": 503, "times": 2}, [200], True),
    "429": ({"status": 429, "times": 2}, [200], True),
    "timeout": ({"timeout": True, "times": 1}, [200], True),
    "reset": ({"reset": True, "times": 2}, [200], True),
    "slow": ({"latency_ms": SLOW_MS, "times": 1}, [], True),
    "503-after": ({"status": 503, "after_effect": True, "times": 1}, [404], False),
    "reset-after": ({"reset": True, "after_effect": True, "times": 1}, [404], False),
}


def _create(stack, tenant: TenantKeys, agent: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    resp = stack.http.post(
        "/v1/sessions", json={"agent": agent}, headers={"Authorization": f"Bearer {tenant.server_key}"}
    )
    return resp, time.monotonic() - started


def _upstream_of(sim: SimulatorControl, tenant: TenantKeys) -> list[dict]:
    """Every Avaturn session this tenant's key started (ground truth, alive or not)."""
    fingerprint = hashlib.sha256(tenant.provider_keys["avaturn"].encode()).hexdigest()[:12]
    return [s for s in sim.sessions() if s["key_fingerprint"] == fingerprint]


def _assert_no_key_in(resp: httpx.Response, tenant: TenantKeys) -> None:
    answer = resp.text + "".join(f"{k}: {v}" for k, v in resp.headers.items())
    leaked = [p for p, key in tenant.provider_keys.items() if key in answer]
    assert not leaked, f"provider key(s) in the answer: {leaked}"


def _session_rows(db: Db, tenant: TenantKeys) -> list[dict]:
    return db.fetch(
        "select id, state, end_reason, upstream_session_id from sessions where tenant_id = $1", tenant.tenant_id
    )


def _assert_failed_and_unbilled(db: Db, tenant: TenantKeys) -> dict:
    rows = _session_rows(db, tenant)
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["state"], row["end_reason"]) == ("failed", "upstream_error"), row
    assert not db.value("select count(*) from usage_events where session_id = $1", row["id"]), (
        "a failed session was metered"
    )
    assert not db.value("select count(*) from jobs where payload->>'session_id' = $1", str(row["id"])), (
        "nothing to delete"
    )
    return row


def _counts(sim: SimulatorControl) -> dict[str, int]:
    return {route: len(sim.requests(route)) for route in CREATE_ROUTES}


@pytest.mark.parametrize("kind", list(CREATE_FAULTS))
@pytest.mark.parametrize("route", list(CREATE_ROUTES))
def test_create_fault_is_a_typed_problem_and_leaves_nothing(
    stack, tenant, sim: SimulatorControl, db: Db, route: str, kind: str
) -> None:
    """A failing provider call during a create: typed problem, failed row, nothing alive upstream, no key shown."""
    agent, provider, attempts = CREATE_ROUTES[route]
    fault, status, slug = CREATE_FAULTS[kind]
    before = _counts(sim)
    sim.fault(route, **fault)
    resp, took = _create(stack, tenant, agent)
    sim.clear_faults()

    body = assert_problem(resp, status, slug)
    assert body["provider"] == provider, body
    _assert_no_key_in(resp, tenant)
    _assert_failed_and_unbilled(db, tenant)
    calls = {r: n - before[r] for r, n in _counts(sim).items()}
    assert calls[route] == attempts, f"{route} called {calls[route]} times, the client's policy is {attempts}"
    if route != "avaturn.create":  # the engine credential comes first: Avaturn is never asked
        assert calls["avaturn.create"] == 0, calls
    assert not _upstream_of(sim, tenant), "an upstream session exists for a failed create"
    print(f"{route} {kind}: {resp.status_code} {slug} in {took:.2f} s after {attempts} attempt(s)")


@pytest.mark.parametrize("route", list(CREATE_ROUTES))
def test_slow_provider_within_the_timeout_still_starts(
    stack, tenant, sim: SimulatorControl, db: Db, route: str, owner_database_url: str
) -> None:
    """A slow answer below the client timeout is not a failure: the session starts and is recorded, and no
    database transaction stays open while the broker waits on the provider (the shared check, on the request's
    own connection: tests/support/no_network_in_tx.py)."""
    agent, _, _ = CREATE_ROUTES[route]
    hold = SimulatorHold(sim, route)  # slow, within the clients' timeout, long enough to look twice meanwhile
    resp, took = assert_no_transaction_across(
        owner_database_url, lambda: _create(stack, tenant, agent), hold, what=f"the session create ({route})"
    )
    sim.clear_faults()

    assert resp.status_code == 201, resp.text
    _assert_no_key_in(resp, tenant)
    assert took >= hold.latency_s
    [row] = _session_rows(db, tenant)
    assert row["state"] == "active" and row["upstream_session_id"], row
    assert [s["id"] for s in _upstream_of(sim, tenant) if s["alive"]] == [row["upstream_session_id"]]
    print(f"{route} slow ({hold.latency_s:g} s): 201 in {took:.2f} s; no transaction open across the call")


@pytest.mark.parametrize("kind", ["503", "reset"])
def test_one_transient_mint_failure_is_absorbed_by_the_retry(
    stack, tenant, sim: SimulatorControl, db: Db, kind: str
) -> None:
    """The OpenAI mint is retried once (repeating it is harmless): a single failure still starts the session."""
    fault = {"503": {"status": 503}, "reset": {"reset": True}}[kind]
    before = len(sim.requests("openai.client_secrets"))
    sim.fault("openai.client_secrets", times=1, **fault)
    resp, took = _create(stack, tenant, "demo")

    assert resp.status_code == 201, resp.text
    assert len(sim.requests("openai.client_secrets")) - before == 2
    [row] = _session_rows(db, tenant)
    assert row["state"] == "active", row
    print(f"openai.client_secrets {kind} once: 201 in {took:.2f} s after the retry")


@pytest.mark.parametrize("kind", list(LOST_ANSWERS))
def test_lost_create_answer_leaves_only_what_decision_5_accepts(own, kind: str) -> None:
    """Avaturn created the session but its answer failed: typed problem and failed row; the one upstream session
    we cannot know (no id, no list endpoint) is bounded by the agent's absent timeout, and ends there.
    A simulator of its own: its clock is moved past the timeout, which on the shared one would end other tests'
    sessions."""
    stack, tenant, sim, db = own, own.tenant(), own.sim, own.db
    fault, status, slug = LOST_ANSWERS[kind]
    before = len(sim.requests("avaturn.create"))
    sim.fault("avaturn.create", **fault)
    resp, took = _create(stack, tenant, "demo")
    sim.clear_faults()

    body = assert_problem(resp, status, slug)
    assert body["provider"] == "avaturn", body
    _assert_no_key_in(resp, tenant)
    row = _assert_failed_and_unbilled(db, tenant)
    assert row["upstream_session_id"] is None, row
    assert len(sim.requests("avaturn.create")) - before == 1, "the create was retried: it could start two sessions"
    [orphan] = _upstream_of(sim, tenant)
    assert orphan["alive"] and orphan["user_absent_timeout"] == 60, orphan  # the agent's setting, nobody joins
    sim.advance_clock(orphan["created_at"] + 59 - sim.now())  # the provider's clock, 59 s after it created it
    assert sim.session(orphan["id"])["alive"], "ended before the absent timeout"
    sim.advance_clock(2)
    ended = sim.session(orphan["id"])
    assert not ended["alive"] and ended["end_cause"] == "user_absent", ended
    print(
        f"avaturn.create {kind}: {resp.status_code} {slug} in {took:.2f} s; 1 unknown upstream session, "
        f"ended by the provider at its {orphan['user_absent_timeout']} s absent timeout"
    )


def _kill_through(stack, tenant: TenantKeys, sim: SimulatorControl, db: Db, kind: str) -> tuple[dict, dict]:
    """Start a session, kill it while the provider's DELETE misbehaves as `kind`; check it was delivered once and
    metered once. Returns the provider's record of the session and its ledger row."""
    fault, clean_statuses, confirmed = DELETE_FAULTS[kind]
    resp, _ = _create(stack, tenant, "demo")
    assert resp.status_code == 201, resp.text
    session_id = resp.json()["session_id"]
    upstream_id = db.value("select upstream_session_id from sessions where id = $1", uuid.UUID(session_id))
    path = f"/api/v1/sessions/{upstream_id}"

    sim.fault("avaturn.delete", **fault)
    started = time.monotonic()
    kill = stack.http.delete(f"/v1/sessions/{session_id}", headers={"Authorization": f"Bearer {tenant.server_key}"})
    assert kill.status_code == 202 and kill.json()["state"] == "terminated", kill.text
    job = wait_for(
        lambda: (
            (r := db.fetch("select state, attempts from jobs where payload->>'session_id' = $1", session_id))
            and r[0]["state"] == "done"
            and r[0]
        ),
        timeout=10,
        what=f"the DELETE job done after {kind}",
    )
    took = time.monotonic() - started
    sim.clear_faults()

    truth = sim.session(upstream_id)
    assert not truth["alive"] and truth["end_cause"] == "deleted", truth
    deletes = [r for r in sim.requests("avaturn.delete") if r["path"] == path]
    faulted = [r for r in deletes if r["fault"] is not None]
    assert len(faulted) == fault["times"], deletes
    assert [r["status"] for r in deletes if r["fault"] is None] == clean_statuses, deletes
    # Sound "exactly once": every attempt was counted when leased and the job is done, so no attempt is still to
    # come; an attempt in flight would show as more attempts than DELETEs the provider saw, and fail.
    assert job["attempts"] == len(deletes), (job, deletes)
    metered = db.fetch(
        "select end_reason, end_confirmed, upstream_ms from usage_events where session_id = $1 and event = 'ended'",
        uuid.UUID(session_id),
    )
    assert [(m["end_reason"], m["end_confirmed"]) for m in metered] == [("api_terminated", confirmed)], metered
    print(f"avaturn.delete {kind}: delivered in {took:.2f} s after {job['attempts']} attempt(s); metered once")
    return truth, metered[0]


@pytest.mark.parametrize("kind", [k for k in DELETE_FAULTS if not k.endswith("-after")])
def test_kill_is_delivered_once_and_metered_once(stack, tenant, sim: SimulatorControl, db: Db, kind: str) -> None:
    """A failing provider DELETE: the worker retries until the kill is delivered, exactly once, and meters it once,
    to the provider's seconds."""
    truth, metered = _kill_through(stack, tenant, sim, db, kind)
    assert abs(metered["upstream_ms"] / 1000 - (truth["ended_at"] - truth["created_at"])) < 1.0, (metered, truth)


@pytest.mark.parametrize("kind", [k for k in DELETE_FAULTS if k.endswith("-after")])
def test_kill_whose_answer_is_lost_is_metered_once_and_never_short(own, kind: str) -> None:
    """The provider ended the session but its answer was lost: the retry's 404 counts as done and ends metering at
    that answer, unconfirmed (decision 13), never shorter than the provider ran. A world of its own: here the
    ledger knowingly runs past the provider's end by the retry's backoff, which the shared run's exact
    reconciliation would list."""
    truth, metered = _kill_through(own, own.tenant(), own.sim, own.db, kind)
    assert metered["upstream_ms"] / 1000 >= truth["ended_at"] - truth["created_at"] - 0.5, (metered, truth)


@pytest.mark.parametrize("route", ["openai.client_secrets", "cartesia.access_token", "avaturn.create"])
def test_provider_error_echoing_the_key_does_not_carry_it_further(
    stack,
    tenant,
    sim: SimulatorControl,
    db: Db,
    log_capture,
    route: str,
) -> None:
    """A provider whose error text repeats the key it was called with (as some do on auth errors): the key must
    not reach the answer, the session row or the logs; the problem's detail quotes provider text."""
    agent, provider, _ = CREATE_ROUTES[route]
    key = tenant.provider_keys[provider]
    sim.fault(route, status=500, message=f"internal error while handling key {key}")
    logged = len(log_capture.lines)
    resp, took = _create(stack, tenant, agent)
    sim.clear_faults()

    assert_problem(resp, 502, "upstream-error")
    rows = db.fetch("select error from sessions where tenant_id = $1", tenant.tenant_id)
    places = {
        "answer": key in resp.text,
        "sessions.error": any(key in (r["error"] or "") for r in rows),
        "logs": any(key in line for line in log_capture.lines[logged:]),
    }
    print(
        f"{route} 500 echoing the key: 502 in {took:.2f} s; key found in {[p for p, found in places.items() if found]}"
    )
    assert not any(places.values()), (
        f"the {provider} key was carried into: {[p for p, found in places.items() if found]}"
    )
