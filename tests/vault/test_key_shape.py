"""A provider key that could never be sent is refused before the provider is asked and before anything is stored,
and a key the provider could not check never displaces a verified key of the same provider and label (issue 11)."""

from __future__ import annotations

import secrets

import httpx
import pytest

from app.vault.shape import check_shape
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem
from tests.support.database import Db


@pytest.fixture
def admin(stack, tenant) -> httpx.Client:
    client = httpx.Client(base_url=stack.url, headers={"Authorization": f"Bearer {tenant.server_key}"}, timeout=30)
    yield client
    client.close()


def stored(db: Db, tenant, label: str) -> list[dict]:
    return db.fetch(
        "select provider, status, fingerprint, last4 from provider_credentials where tenant_id = $1 and label = $2",
        tenant.tenant_id,
        label,
    )


MALFORMED = [
    ("openai", "sk-line-break\n0123456789", "a line break at position 14"),
    ("openai", "sk-crlf-0123456789\r\n", "a line break at position 19"),
    ("openai", "sk-has space-0123456789", "a space or tab at position 7"),
    ("openai", "sk-tab\t0123456789", "a space or tab at position 7"),
    ("avaturn", "av-escape-\x1b[0m0123", "a control character at position 11"),
    ("avaturn", "av-del-\x7f0123456789", "a control character at position 8"),
    ("openai", "sk-proj-…", "a non-ASCII character at position 9"),  # the OpenAPI document's old example
    ("cartesia", "sk_car_caf\u00e90123456789", "a non-ASCII character at position 11"),
    ("avaturn", "av-zero\u200bwidth-0123456789", "a non-ASCII character at position 8"),
    ("cartesia", "sk-0123456789abcdef", "does not start with `sk_car_`"),  # an OpenAI key in the Cartesia field
    ("openai", "sk_car_0123456789abcdef", "does not start with `sk-`"),  # and the other way round
    ("openai", "av-test-0123456789abcdef", "does not start with `sk-`"),
]


@pytest.mark.parametrize(("provider", "secret", "why"), MALFORMED)
def test_a_key_that_cannot_be_sent_is_refused_before_anything_is_asked_or_stored(
    admin, sim: SimulatorControl, db: Db, tenant, log_capture, provider: str, secret: str, why: str
) -> None:
    label = "shape-" + secrets.token_hex(4)
    asked, logged = len(sim.requests()), len(log_capture.lines)
    body = assert_problem(
        admin.post("/v1/credentials", json={"provider": provider, "label": label, "secret": secret}),
        422,
        "credential-malformed",
    )
    assert why in body["detail"] and body["provider"] == provider
    assert [e["key"] for e in body["errors"]] == ["secret"]  # names the field
    assert secret not in str(body) and secret.strip() not in str(body)  # and never quotes the key
    assert stored(db, tenant, label) == []  # nothing stored
    assert len(sim.requests()) == asked  # the provider was not asked
    assert not any("unhandled" in line or "Traceback" in line for line in log_capture.lines[logged:])
    assert not any(secret in line for line in log_capture.lines[logged:])


def test_a_key_with_a_nul_is_refused_by_the_request_check_before_the_vault_sees_it(
    admin, sim: SimulatorControl, db: Db, tenant, log_capture
) -> None:
    """NUL is refused in every JSON string of every body (app/kit/request_guard.py), so a key with one never
    reaches the shape check: a 400 naming the field, and nothing asked, stored or quoted."""
    label, secret = "shape-" + secrets.token_hex(4), "av-nul-\x000123456789"
    asked, logged = len(sim.requests()), len(log_capture.lines)
    body = assert_problem(
        admin.post("/v1/credentials", json={"provider": "avaturn", "label": label, "secret": secret}),
        400,
        "invalid-request",
    )
    assert [e["key"] for e in body["errors"]] == ["secret"]
    assert "0123456789" not in str(body)
    assert stored(db, tenant, label) == []
    assert len(sim.requests()) == asked
    assert not any("Traceback" in line or "0123456789" in line for line in log_capture.lines[logged:])


def test_the_keys_the_simulator_and_the_tests_use_have_a_valid_shape(tenant) -> None:
    for provider, key in tenant.provider_keys.items():
        check_shape(provider, key)  # raises when refused
    for provider, key in {
        "openai": "sk-sim-" + secrets.token_urlsafe(24),  # devtools/dev/runner.py
        "avaturn": "av-sim-" + secrets.token_urlsafe(24),
        "cartesia": "sk_car_sim" + secrets.token_urlsafe(20),
    }.items():
        check_shape(provider, key)


def test_the_openapi_example_key_is_a_well_formed_key(stack, admin, db: Db, tenant) -> None:
    doc = stack.http.get("/schema/openapi.json").json()
    secret = doc["components"]["schemas"]["CredentialIn"]["properties"]["secret"]
    [example] = secret["examples"]
    assert example.isascii() and example.isprintable() and " " not in example
    # Well-formed, so the provider is asked, and the simulator (as OpenAI would) rejects it: 422, never 500.
    resp = admin.post("/v1/credentials", json={"provider": "openai", "label": "example", "secret": example})
    assert_problem(resp, 422, "credential-invalid")
    assert stored(db, tenant, "example") == []
    assert "credential-malformed" in str(doc["paths"]["/v1/credentials"]["post"]["responses"]["422"])


@pytest.mark.parametrize(
    ("fault", "status", "slug", "what"),
    [
        ({"timeout": True}, 504, "upstream-timeout", "did not answer in time"),
        ({"status": 503}, 502, "upstream-error", "could not check the new key"),
    ],
)
def test_a_key_the_provider_could_not_check_never_replaces_a_verified_one(
    admin, sim: SimulatorControl, db: Db, tenant, fault: dict, status: int, slug: str, what: str
) -> None:
    verified = "sk-verified-" + secrets.token_urlsafe(16)
    sim.add_key("openai", verified)
    saved = admin.post("/v1/credentials", json={"provider": "openai", "label": "prod", "secret": verified})
    assert saved.status_code == 201 and saved.json()["status"] == "valid", saved.text
    before = stored(db, tenant, "prod")

    sim.fault("openai.client_secrets", **fault)
    try:
        unchecked = "sk-unchecked-" + secrets.token_urlsafe(16)
        resp = admin.post("/v1/credentials", json={"provider": "openai", "label": "prod", "secret": unchecked})
        body = assert_problem(resp, status, slug)
        assert what in body["detail"] and "not saved" in body["detail"]
        assert f"ending in {saved.json()['last4']}" in body["detail"] and "stays in use" in body["detail"]
        assert unchecked not in resp.text
        assert stored(db, tenant, "prod") == before  # the verified key is untouched, and still the one in use
        assert admin.get(f"/v1/credentials/{saved.json()['id']}").json()["status"] == "valid"

        # Under a label of its own (nothing verified to displace) it is saved as `unverified`, as before.
        other = admin.post("/v1/credentials", json={"provider": "openai", "label": "later", "secret": unchecked})
        assert other.status_code == 201 and other.json()["status"] == "unverified", other.text
    finally:
        sim.clear_faults()

    # Once the provider answers, the same save verifies the key and replaces the old one.
    sim.add_key("openai", unchecked)
    again = admin.post("/v1/credentials", json={"provider": "openai", "label": "prod", "secret": unchecked})
    assert again.status_code == 201 and again.json()["status"] == "valid" and again.json()["id"] == saved.json()["id"]
    assert stored(db, tenant, "prod")[0]["fingerprint"] != before[0]["fingerprint"]
