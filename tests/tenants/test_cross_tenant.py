"""Tenant B, holding tenant A's ids, can neither read, change nor delete A's objects.

The matrix walks the OpenAPI document, so a new endpoint taking an object id is covered by this
test the day it is added (and fails it until its resource is given an owner below).
"""

from __future__ import annotations

import re
import uuid

from tests.support.database import Db, run
from tests.support.stack import make_tenant

# Endpoints authorised by a per-session token rather than a tenant key: a tenant key is not accepted there at all.
TOKEN_AUTHORISED = ("/v1/widget/",)
# Not tenant-scoped at all: operator accounts only; a tenant's key is refused there (checked below).
OPERATOR_ONLY = ("/v1/operator/",)
BODIES = {"patch": {"name": "taken over"}, "post": {}, "put": {}}
BODIES_BY_COLLECTION = {
    "members": {"patch": {"role": "viewer"}},
    "webhooks": {"patch": {"description": "taken over"}, "post": {}},
    "widget-keys": {"patch": {"label": "taken over", "allowed_origins": ["https://b.example"]}},
}


def a_objects(stack, a, db: Db) -> dict[str, str]:
    """One object of each kind in tenant A, by the collection its id belongs to."""
    h = {"Authorization": f"Bearer {a.server_key}"}
    get = lambda path: stack.http.get(path, headers=h).json()["items"]  # noqa: E731
    session = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=h).json()["session_id"]
    return {
        "sessions": session,
        "agents": get("/v1/agents")[0]["id"],
        "credentials": get("/v1/credentials")[0]["id"],
        "widget-keys": get("/v1/widget-keys")[0]["id"],
        "api-keys": get("/v1/api-keys")[0]["id"],
        "invitations": stack.http.post("/v1/invitations", json={"email": "x@example.com"}, headers=h).json()["id"],
        "members": str(
            db.value(
                "with u as (insert into users (id, issuer, subject, email_verified) "
                "values (gen_random_uuid(), 'https://idp.example', "
                "gen_random_uuid()::text, false) returning id) insert into memberships (id, tenant_id, user_id, role) "
                "select gen_random_uuid(), $1, u.id, 'owner' from u returning id",
                a.tenant_id,
            )
        ),
        "webhooks": stack.http.post(
            "/v1/webhooks", json={"url": "https://hooks.shop.example/in", "events": ["quota.threshold"]}, headers=h
        ).json()["id"],
    }


def test_tenant_b_gets_404_for_every_object_of_tenant_a(stack, tenant, sim, db: Db) -> None:
    a = tenant
    b = run(make_tenant(stack.settings, {"openai": "sk-b-unused-0000", "avaturn": "av-b-unused-0000"}))
    ids = a_objects(stack, a, db)
    doc = stack.http.get("/schema/openapi.json").json()
    as_b = {"Authorization": f"Bearer {b.server_key}"}
    checked = []
    for path, item in doc["paths"].items():
        if "{" not in path or not path.startswith("/v1/") or path.startswith(TOKEN_AUTHORISED):
            continue
        if path.startswith(OPERATOR_ONLY):
            url = re.sub(r"\{[^}]+\}", str(a.tenant_id), path)
            for method in (m for m in item if m in ("get", "post", "put", "patch", "delete")):
                resp = stack.http.request(method.upper(), url, headers=as_b, json={} if method != "get" else None)
                # A tenant's key is no operator sign-in: refused before anything is looked up.
                assert resp.status_code == 403 and resp.json()["type"] == "/problems/not-an-operator", (
                    f"{method.upper()} {path} with a tenant key: {resp.status_code} {resp.text}"
                )
            continue
        collection = path.split("/")[2]
        assert collection in ids, f"{path}: add `{collection}` to a_objects() so the cross-tenant matrix covers it"
        url = re.sub(r"\{[^}]+\}", ids[collection], path)
        for method in item:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            resp = stack.http.request(
                method.upper(), url, headers=as_b, json=BODIES_BY_COLLECTION.get(collection, BODIES).get(method)
            )
            assert resp.status_code == 404, (
                f"{method.upper()} {path} as tenant B answered {resp.status_code}: {resp.text}"
            )
            assert resp.headers["content-type"].startswith("application/problem+json")
            assert ids[collection] not in resp.text.replace(url, ""), f"{method.upper()} {path} leaked A's object"
            checked.append(f"{method.upper()} {path}")
    assert len(checked) >= 9, checked

    # A's objects are untouched: nothing revoked, deleted or ended by B's attempts.
    h = {"Authorization": f"Bearer {a.server_key}"}
    assert stack.http.get(f"/v1/sessions/{ids['sessions']}", headers=h).json()["state"] == "active"
    assert stack.http.get(f"/v1/agents/{ids['agents']}", headers=h).json()["name"] != "taken over"
    assert stack.http.get(f"/v1/credentials/{ids['credentials']}", headers=h).status_code == 200
    widget_key = stack.http.get(f"/v1/widget-keys/{ids['widget-keys']}", headers=h).json()
    assert widget_key["revoked_at"] is None and widget_key["label"] != "taken over"
    assert stack.http.get(f"/v1/api-keys/{ids['api-keys']}", headers=h).json()["revoked_at"] is None
    hook = stack.http.get(f"/v1/webhooks/{ids['webhooks']}", headers=h).json()
    assert hook["description"] != "taken over" and hook["enabled"]
    assert (
        db.value(
            "select count(*) from webhook_secrets where endpoint_id = $1 and expires_at is null",
            uuid.UUID(ids["webhooks"]),
        )
        == 1
    )
    stack.http.delete(f"/v1/sessions/{ids['sessions']}", headers=h)


def test_b_lists_nothing_of_a(stack, tenant) -> None:
    b = run(
        make_tenant(stack.settings, {"openai": "sk-b-unused-0001", "avaturn": "av-b-unused-0001"}, agents=("other",))
    )
    h_a, h_b = {"Authorization": f"Bearer {tenant.server_key}"}, {"Authorization": f"Bearer {b.server_key}"}
    started = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=h_a).json()["session_id"]
    stack.http.delete(f"/v1/sessions/{started}", headers=h_a)  # leaves an audit event
    stack.http.post(
        "/v1/webhooks", json={"url": "https://hooks.shop.example/in", "events": ["quota.threshold"]}, headers=h_a
    )
    for collection in ("sessions", "agents", "credentials", "widget-keys", "api-keys", "audit-events", "webhooks"):
        mine = {o["id"] for o in stack.http.get(f"/v1/{collection}", headers=h_a).json()["items"]}
        theirs = {o["id"] for o in stack.http.get(f"/v1/{collection}", headers=h_b).json()["items"]}
        assert mine and not (mine & theirs), collection
