"""`PATCH /v1/widget-keys/{id}`: a merge patch of a widget key's label, origins, agent and limits, in force on the
key's next request, audited, and refused (with nothing changed) where the key would be wrong."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.support.asserts import assert_problem
from tests.support.database import Db, run
from tests.support.stack import make_tenant

ORIGIN = "https://a.example"


@pytest.fixture
def admin(stack, tenant) -> httpx.Client:
    client = httpx.Client(base_url=stack.url, headers={"Authorization": f"Bearer {tenant.server_key}"}, timeout=30)
    yield client
    client.close()


@pytest.fixture
def key(admin) -> dict:
    made = admin.post("/v1/widget-keys", json={"label": "shop", "allowed_origins": [ORIGIN], "agent": "demo"})
    assert made.status_code == 201, made.text
    return made.json()


def start(stack, key: dict, agent: str = "demo", origin: str = ORIGIN) -> httpx.Response:
    return stack.http.post(
        "/v1/widget/sessions",
        json={"agent": agent},
        headers={"Authorization": f"Bearer {key['key']}", "Origin": origin},
    )


def row(db: Db, key: dict) -> dict:
    [found] = db.fetch("select * from widget_keys where id = $1", uuid.UUID(key["id"]))
    return dict(found)


def test_only_what_is_sent_changes_and_the_change_is_audited(admin, key: dict, db: Db) -> None:
    changed = admin.patch(f"/v1/widget-keys/{key['id']}", json={"label": "shop (EU)"})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["label"] == "shop (EU)" and body["allowed_origins"] == [ORIGIN] and body["agent_id"] == key["agent_id"]
    assert body["key"] == key["key"] and admin.get(f"/v1/widget-keys/{key['id']}").json() == body
    [event] = admin.get("/v1/audit-events", params={"action": "widget_key.updated", "target": key["id"]}).json()[
        "items"
    ]
    assert event["before"]["label"] == "shop" and event["after"]["label"] == "shop (EU)"
    # A merge patch: `application/merge-patch+json` is taken as JSON is.
    merged = admin.patch(
        f"/v1/widget-keys/{key['id']}",
        content=b'{"label": "shop"}',
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert merged.status_code == 200 and merged.json()["label"] == "shop"


def test_new_origins_are_in_force_on_the_next_request(admin, stack, key: dict) -> None:
    other = "https://b.example:8443"
    assert_problem(start(stack, key, origin=other), 403, "origin-not-allowed")
    changed = admin.patch(f"/v1/widget-keys/{key['id']}", json={"allowed_origins": [other.upper()]})
    assert changed.status_code == 200 and changed.json()["allowed_origins"] == [other]  # as a browser sends it
    assert_problem(start(stack, key), 403, "origin-not-allowed")  # replaced whole: the old origin is gone
    ok = start(stack, key, origin=other)
    assert ok.status_code == 201, ok.text
    admin.delete(f"/v1/sessions/{ok.json()['session_id']}")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"allowed_origins": [ORIGIN, "https://evil.example@shop.example"]}, "allowed_origins[1]"),
        ({"allowed_origins": ["https://shop.example/"]}, "allowed_origins[0]"),
        ({"allowed_origins": []}, "allowed_origins"),
        ({"label": None}, "label"),
        ({"label": ""}, "label"),
        ({"rate_per_minute": 0}, "rate_per_minute"),
        ({"key": "gr_pk_mine"}, "key"),
    ],
)
def test_a_change_that_would_make_a_wrong_key_is_refused_and_nothing_changes(
    admin, key: dict, db: Db, patch: dict, field: str
) -> None:
    before = row(db, key)
    refused = assert_problem(admin.patch(f"/v1/widget-keys/{key['id']}", json=patch), 400, "invalid-request")
    assert field in refused["detail"] or any(field in e.get("key", "") for e in refused.get("errors", [])), refused
    assert row(db, key) == before


def test_the_agent_restriction_is_changed_by_slug_and_lifted_with_null(admin, stack, key: dict, db: Db) -> None:
    assert_problem(start(stack, key, agent="voice"), 403, "agent-not-allowed")
    before = row(db, key)
    assert_problem(admin.patch(f"/v1/widget-keys/{key['id']}", json={"agent": "no-such"}), 404, "unknown-agent")
    assert row(db, key) == before
    voice = admin.patch(f"/v1/widget-keys/{key['id']}", json={"agent": "voice"}).json()
    assert voice["agent_id"] == str(db.value("select id from agents where id = $1::uuid", voice["agent_id"]))
    assert_problem(start(stack, key, agent="demo"), 403, "agent-not-allowed")
    anyone = admin.patch(f"/v1/widget-keys/{key['id']}", json={"agent": None})
    assert anyone.status_code == 200 and anyone.json()["agent_id"] is None
    ok = start(stack, key, agent="demo")
    assert ok.status_code == 201, ok.text
    admin.delete(f"/v1/sessions/{ok.json()['session_id']}")


def test_a_keys_own_limits_apply_and_null_returns_to_the_default(admin, stack, key: dict) -> None:
    limited = admin.patch(f"/v1/widget-keys/{key['id']}", json={"max_concurrent_sessions": 1, "rate_per_minute": 2})
    assert limited.status_code == 200, limited.text
    assert (limited.json()["max_concurrent_sessions"], limited.json()["rate_per_minute"]) == (1, 2)
    first = start(stack, key)
    assert first.status_code == 201, first.text
    assert_problem(start(stack, key), 429, "concurrency-limit")  # one live session with this key
    admin.delete(f"/v1/sessions/{first.json()['session_id']}")
    assert_problem(start(stack, key), 429, "rate-limited")  # a third attempt this minute
    back = admin.patch(f"/v1/widget-keys/{key['id']}", json={"max_concurrent_sessions": None, "rate_per_minute": None})
    assert back.json()["max_concurrent_sessions"] is None and back.json()["rate_per_minute"] is None
    again = start(stack, key)
    assert again.status_code == 201, again.text
    admin.delete(f"/v1/sessions/{again.json()['session_id']}")


def test_limits_can_be_set_when_the_key_is_issued(admin) -> None:
    made = admin.post(
        "/v1/widget-keys",
        json={"allowed_origins": [ORIGIN], "rate_per_minute": 30, "visitor_rate_per_minute": 3},
    )
    assert made.status_code == 201, made.text
    assert (made.json()["rate_per_minute"], made.json()["visitor_rate_per_minute"]) == (30, 3)
    assert made.json()["max_concurrent_sessions"] is None


def test_a_revoked_or_another_tenants_key_cannot_be_changed(admin, stack, key: dict, db: Db) -> None:
    admin.delete(f"/v1/widget-keys/{key['id']}")
    before = row(db, key)
    assert_problem(admin.patch(f"/v1/widget-keys/{key['id']}", json={"label": "back"}), 404, "not-found")
    assert row(db, key) == before
    other = run(make_tenant(stack.settings, {}))
    theirs = {"id": str(db.value("select id from widget_keys where key = $1", other.widget_key))}
    before = row(db, theirs)
    assert_problem(admin.patch(f"/v1/widget-keys/{theirs['id']}", json={"label": "mine now"}), 404, "not-found")
    assert row(db, theirs) == before
