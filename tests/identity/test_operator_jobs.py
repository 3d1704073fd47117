"""The operator's parked jobs over HTTP: every tenant's, newest first, retried at once; nobody else may."""

from __future__ import annotations

import uuid

from tests.identity.conftest import OPERATOR_SUB, Browser, Idp
from tests.support.asserts import assert_problem
from tests.support.database import Db


def _tenant_of(browser: Browser) -> uuid.UUID:
    return uuid.UUID(browser.me()["memberships"][0]["tenant_id"])


def _park(db: Db, tenant_id: uuid.UUID, error: str) -> int:
    """A job that kept failing, as the runner leaves it (the kind's handler is never run: it is parked)."""
    return int(
        db.value(
            "insert into jobs (tenant_id, kind, payload, state, attempts, last_error, run_after) "
            "values ($1, 'webhook.deliver', '{}'::jsonb, 'parked', 12, $2, now() + interval '1 day') returning id",
            tenant_id,
            error,
        )
    )


def test_the_operator_sees_parked_jobs_of_every_tenant_and_retries_them(
    new_browser, owner: Browser, dev_idp: Idp, db: Db
) -> None:
    mine = _tenant_of(owner)
    someone_else = new_browser()
    assert someone_else.sign_in(dev_idp.user()).status_code == 303
    other = _tenant_of(someone_else)
    first, second = _park(db, mine, "HTTP 500, answer of 12 bytes"), _park(db, other, "connection refused")
    operator = new_browser()
    operator.sign_in(OPERATOR_SUB)
    listed = operator.http.get("/v1/operator/jobs", params={"limit": 500}).json()["items"]
    by_id = {j["id"]: j for j in listed}
    assert {first, second} <= set(by_id)
    assert by_id[second]["tenant_id"] == str(other) and by_id[second]["last_error"] == "connection refused"
    assert [j["id"] for j in listed] == sorted(by_id, reverse=True)  # newest first

    retried = operator.send("POST", "/v1/operator/jobs/retry", json={"ids": [first, second, 999_999_999]})
    assert retried.status_code == 200 and retried.json() == {"retried": sorted([first, second])}, retried.text
    # back in the queue with their attempts counted afresh (a worker of this database may be at them already)
    rows = db.fetch("select attempts from jobs where id = any($1::bigint[])", [first, second])
    assert len(rows) == 2 and all(r["attempts"] < 12 for r in rows), rows


def test_only_an_operator_lists_or_retries_jobs(owner: Browser, db: Db) -> None:
    job = _park(db, _tenant_of(owner), "x")
    assert_problem(owner.http.get("/v1/operator/jobs"), 403, "not-an-operator")
    assert_problem(owner.send("POST", "/v1/operator/jobs/retry", json={"ids": [job]}), 403, "not-an-operator")
    assert db.value("select state from jobs where id = $1", job) == "parked"
