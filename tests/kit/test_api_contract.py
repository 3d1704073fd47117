"""What the OpenAPI document promises, checked as a client would meet it: who is asked first, which bodies and
query values count, what OPTIONS says, and what a PATCH changes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.keys.schemas import ORIGIN_PATTERN
from app.kit.origins import parse_origin
from tests.support.asserts import assert_problem
from tests.support.database import Db


def _key(tenant: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {tenant.server_key}"}


# --- Authentication before the body: nobody learns how bodies are parsed without a key -----------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"agent": "de\\u0000mo"}', "application/json"),
        (b'{"agent": "demo"}', "text/plain"),
        (b'{"agent": "demo", "extra": 1}', "application/json"),
    ],
)
def test_a_bad_body_without_a_valid_key_is_a_401(stack, body: bytes, content_type: str) -> None:
    for headers in ({}, {"Authorization": "Bearer gr_sk_not-a-key"}):
        resp = stack.http.post("/v1/sessions", content=body, headers={**headers, "content-type": content_type})
        assert resp.status_code == 401, (headers, resp.text)


def test_with_a_valid_key_the_body_gets_its_own_problem(stack, tenant) -> None:
    post = stack.http.post
    as_json = {**_key(tenant), "content-type": "application/json"}
    assert_problem(post("/v1/sessions", content=b"{not json", headers=as_json), 400, "invalid-request")
    text = {**_key(tenant), "content-type": "text/plain"}
    body = assert_problem(
        post("/v1/sessions", content=b'{"agent": "demo"}', headers=text), 415, "unsupported-media-type"
    )
    assert "application/json" in body["detail"]
    no_type = post("/v1/sessions", content=b'{"agent": "demo"}', headers=_key(tenant))
    assert_problem(no_type, 415, "unsupported-media-type")


# --- Strict bodies: a boolean is no number, a whole number is an integer however it is written ------------------


def test_a_boolean_is_no_number_and_a_number_no_boolean(stack, tenant, db: Db) -> None:
    hook = stack.http.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=_key(tenant)).json()
    path = f"/v1/webhooks/{hook['id']}"
    refused = assert_problem(
        stack.http.post(f"{path}/rotate-secret", json={"grace_s": False}, headers=_key(tenant)), 400, "invalid-request"
    )
    assert refused["errors"][0]["key"] == "grace_s"
    assert_problem(stack.http.patch(path, json={"enabled": 0}, headers=_key(tenant)), 400, "invalid-request")
    assert db.value("select enabled from webhook_endpoints where id = $1", hook["id"]) is True
    # 283.0 is an integer as JSON Schema counts it
    rotated = stack.http.post(f"{path}/rotate-secret", json={"grace_s": 283.0}, headers=_key(tenant))
    assert rotated.status_code == 200, rotated.text


# --- Query values as the document says them ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/v1/audit-events", {"until": "0.5"}, "until"),
        ("/v1/sessions", {"created_from": "2484784925"}, "created_from"),
        ("/v1/sessions", {"created_to": "2026-11-25T14:00:00"}, "created_to"),  # no offset: no instant
        ("/v1/reports/sessions", {"created_from": "2026-11-25"}, "created_from"),
        ("/v1/reports/usage", {"from": "20261101", "to": "2026-11-30"}, "from"),
        ("/v1/reports/usage", {"from": "2026-11-01", "to": "2026-W48"}, "to"),
        ("/v1/usage", {"month": "2026-1"}, "month"),
        ("/v1/sessions", {"limit": "0"}, "limit"),
        ("/v1/audit-events", {"limit": "501"}, "limit"),
        ("/v1/audit-events", {"cursor": str(2**64)}, "cursor"),  # past bigint: was a 500
    ],
)
def test_query_values_the_document_does_not_allow_are_refused(stack, tenant, path, params, name) -> None:
    body = assert_problem(stack.http.get(path, params=params, headers=_key(tenant)), 400, "invalid-request")
    assert name in [e["key"] for e in body.get("errors", [])], body


def test_an_instant_with_an_offset_and_a_fraction_is_taken(stack, tenant) -> None:
    params = {"created_from": "2026-11-25T14:00:00.123456789+01:00", "limit": "500"}
    assert stack.http.get("/v1/sessions", params=params, headers=_key(tenant)).status_code == 200


def test_the_document_states_the_query_rules(stack) -> None:
    doc = stack.http.get("/schema/openapi.json").json()
    params = {p["name"]: p["schema"] for p in doc["paths"]["/v1/sessions"]["get"]["parameters"]}
    assert params["limit"]["minimum"] == 1 and params["limit"]["maximum"] == 500
    assert params["created_from"]["format"] == "date-time"
    assert params["state"]["enum"] == ["starting", "active", "ended", "terminated", "failed"]
    usage = {p["name"]: p["schema"] for p in doc["paths"]["/v1/reports/usage"]["get"]["parameters"]}
    assert usage["from"]["format"] == "date" and usage["format"]["enum"] == ["json", "csv"]
    assert set(doc["paths"]["/v1/reports/usage"]["get"]["responses"]["200"]["content"]) == {
        "application/json",
        "text/csv",
    }


def test_request_schemas_refuse_unknown_fields_and_name_the_engine_tag(stack) -> None:
    schemas = stack.http.get("/schema/openapi.json").json()["components"]["schemas"]
    for name in ("CreateSession", "AgentSpec", "AgentPatch", "CredentialIn", "WebhookIn", "OpenAIRealtimeEngine"):
        assert schemas[name]["additionalProperties"] is False, name
    engine = schemas["AgentSpec"]["properties"]["engine"]
    assert engine["discriminator"]["mapping"] == {
        "openai-realtime": "#/components/schemas/OpenAIRealtimeEngine",
        "cartesia": "#/components/schemas/CartesiaEngine",
    }
    assert "type" in schemas["OpenAIRealtimeEngine"]["required"] and "type" in schemas["CartesiaEngine"]["required"]


def test_options_allows_every_method_of_the_path(stack) -> None:
    for path, methods in (
        ("/v1/agents", {"GET", "POST", "OPTIONS"}),
        ("/v1/webhooks/00000000-0000-4000-8000-000000000000", {"GET", "PATCH", "DELETE", "OPTIONS"}),
    ):
        resp = stack.http.options(path)
        assert {m.strip() for m in resp.headers["allow"].split(",")} == methods, (path, resp.headers)


# --- PATCH is a JSON merge patch ----------------------------------------------------------------------------


def _agent(stack, tenant) -> str:
    spec = {
        "slug": "patched",
        "name": "Patched",
        "engine": {"type": "openai-realtime", "voice": "marin", "instructions": "Be kind.", "speed": 1.2},
        "avatar": {"max_duration": 900},
    }
    resp = stack.http.post("/v1/agents", json=spec, headers=_key(tenant))
    assert resp.status_code == 201, resp.text
    return f"/v1/agents/{resp.json()['id']}"


def test_changing_the_voice_keeps_the_instructions(stack, tenant) -> None:
    path = _agent(stack, tenant)
    changed = stack.http.patch(path, json={"engine": {"voice": "cedar"}}, headers=_key(tenant))
    assert changed.status_code == 200, changed.text
    engine = stack.http.get(path, headers=_key(tenant)).json()["engine"]
    assert (engine["voice"], engine["instructions"], engine["speed"]) == ("cedar", "Be kind.", 1.2)
    avatar = stack.http.patch(path, json={"avatar": {"background": "transparent"}}, headers=_key(tenant)).json()
    assert (avatar["avatar"]["background"], avatar["avatar"]["max_duration"]) == ("transparent", 900)


def test_null_turns_turn_detection_off_and_an_object_merges_into_it(stack, tenant) -> None:
    path = _agent(stack, tenant)
    off = stack.http.patch(path, json={"engine": {"turn_detection": None}}, headers=_key(tenant)).json()
    assert off["engine"]["turn_detection"] is None and off["engine"]["instructions"] == "Be kind."
    on = stack.http.patch(
        path, json={"engine": {"turn_detection": {"type": "semantic_vad", "eagerness": "low"}}}, headers=_key(tenant)
    ).json()
    assert on["engine"]["turn_detection"] == {"type": "semantic_vad", "eagerness": "low"}
    tuned = stack.http.patch(
        path, json={"engine": {"turn_detection": {"eagerness": "high"}}}, headers=_key(tenant)
    ).json()
    assert tuned["engine"]["turn_detection"] == {"type": "semantic_vad", "eagerness": "high"}


def test_a_patch_that_would_leave_the_agent_invalid_changes_nothing(stack, tenant) -> None:
    path = _agent(stack, tenant)
    before = stack.http.get(path, headers=_key(tenant)).json()
    body = assert_problem(
        stack.http.patch(path, json={"engine": {"type": "cartesia"}}, headers=_key(tenant)), 400, "invalid-request"
    )
    assert "engine.agent_id" in [e["key"] for e in body["errors"]], body
    assert_problem(stack.http.patch(path, json={"name": None}, headers=_key(tenant)), 400, "invalid-request")
    assert stack.http.get(path, headers=_key(tenant)).json() == before
    switched = stack.http.patch(
        path, json={"engine": {"type": "cartesia", "agent_id": "agent_x"}}, headers=_key(tenant)
    ).json()
    assert switched["engine"] == {"type": "cartesia", "agent_id": "agent_x"}


def test_a_merge_patch_content_type_is_taken(stack, tenant) -> None:
    path = _agent(stack, tenant)
    headers = {**_key(tenant), "content-type": "application/merge-patch+json"}
    resp = stack.http.patch(path, content=b'{"name": "Renamed"}', headers=headers)
    assert resp.status_code == 200 and resp.json()["name"] == "Renamed", resp.text


@settings(max_examples=300, deadline=None)
@given(st.from_regex(ORIGIN_PATTERN, fullmatch=True))
def test_every_origin_the_document_admits_is_one_the_server_takes(origin: str) -> None:
    assert parse_origin(origin)[0] is not None, (origin, parse_origin(origin)[1])


def test_the_document_is_the_same_however_many_apps_a_process_builds(stack) -> None:
    """Litestar once wrote a field's examples back into its model on every build: the console's generated types
    then depended on how many apps a process had made."""
    from litestar._openapi.plugin import OpenAPIPlugin

    from app.main import create_app

    def build() -> dict[str, Any]:
        return create_app(stack.settings).plugins.get(OpenAPIPlugin).provide_openapi_schema()

    first, second = build(), build()
    assert first == second == stack.http.get("/schema/openapi.json").json()
    url = first["components"]["schemas"]["WebhookIn"]["properties"]["url"]
    assert url["examples"] == ["https://api.shop.example/greenroom/webhooks"] and url["pattern"].startswith("^https://")
    origins = first["components"]["schemas"]["WidgetKeyIn"]["properties"]["allowed_origins"]
    assert origins["items"]["pattern"].startswith("^https?://")
