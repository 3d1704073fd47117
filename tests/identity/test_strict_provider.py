"""Against a strict provider (authlib's authorization server, tests/identity/strict_idp.py): PKCE is enforced end to
end, and every ID token or callback that is not exactly right is refused."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.identity.conftest import STRICT_CLIENT, STRICT_SECRET, Browser
from tests.support.asserts import assert_problem
from tests.support.database import Db

CAROL = {"sub": "carol-strict", "email": "carol@example.com", "email_verified": True, "name": "Carol"}


@pytest.fixture(autouse=True)
def _reset(strict_idp) -> None:
    strict_idp.control(user=CAROL)


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def test_sign_in_with_pkce_succeeds_and_the_provider_checked_the_verifier(browser: Browser, strict_idp) -> None:
    login = browser.start("strict")
    challenge = parse_qs(urlsplit(login.headers["location"]).query)["code_challenge"][0]
    done = browser.http.get(browser.at_provider(login, None))
    assert done.status_code == 303, done.text
    assert browser.me()["user"] == {**browser.me()["user"], "issuer": strict_idp.url, "subject": "carol-strict"}
    assert s256(strict_idp.verifiers()[-1]) == challenge


def test_the_strict_provider_refuses_a_missing_or_wrong_verifier(strict_idp, identity_app) -> None:
    verifier = secrets.token_urlsafe(48)
    redirect = f"{identity_app.url}/auth/callback/strict"

    def code() -> str:
        resp = httpx.get(
            f"{strict_idp.url}/authorize",
            params={
                "response_type": "code",
                "client_id": STRICT_CLIENT,
                "redirect_uri": redirect,
                "scope": "openid email",
                "state": "s",
                "nonce": "n",
                "code_challenge": s256(verifier),
                "code_challenge_method": "S256",
            },
        )
        return parse_qs(urlsplit(resp.headers["location"]).query)["code"][0]

    def exchange(**extra: str) -> httpx.Response:
        return httpx.post(
            f"{strict_idp.url}/token",
            auth=(STRICT_CLIENT, STRICT_SECRET),
            data={"grant_type": "authorization_code", "code": code(), "redirect_uri": redirect, **extra},
        )

    assert exchange().status_code == 400
    assert exchange(code_verifier=secrets.token_urlsafe(48)).json()["error"] == "invalid_grant"
    assert "id_token" in exchange(code_verifier=verifier).json()
    # And no code at all without a challenge.
    plain = httpx.get(
        f"{strict_idp.url}/authorize",
        params={
            "response_type": "code",
            "client_id": STRICT_CLIENT,
            "redirect_uri": redirect,
            "scope": "openid",
            "nonce": "n",
        },
    )
    assert plain.status_code == 400


def test_greenroom_with_a_tampered_verifier_is_refused(browser: Browser, db: Db) -> None:
    login = browser.start("strict")
    db.execute("update sign_in_attempts set code_verifier = $1 where provider = 'strict'", secrets.token_urlsafe(48))
    assert_problem(browser.http.get(browser.at_provider(login, None)), 400, "sign-in-failed")
    assert browser.http.get("/auth/me").status_code == 401


@pytest.mark.parametrize(
    ("tamper", "slug"),
    [
        ({"nonce": "someone-elses-nonce"}, "id-token-invalid"),
        ({"nonce": None}, "id-token-invalid"),
        ({"aud": "another-client"}, "id-token-invalid"),
        ({"aud": [STRICT_CLIENT, "another-client"]}, "id-token-invalid"),  # several audiences and no azp
        ({"iss": "https://evil.example"}, "issuer-mismatch"),
        ({"exp": 1_000_000_000}, "id-token-invalid"),
        ({"sub": ""}, "id-token-invalid"),
    ],
)
def test_bad_id_tokens_are_refused(browser: Browser, strict_idp, tamper: dict, slug: str) -> None:
    strict_idp.control(user=CAROL, tamper=tamper)
    assert_problem(browser.sign_in(None, "strict"), 400, slug)
    assert browser.http.get("/auth/me").status_code == 401


def test_an_id_token_signed_with_another_key_is_refused(browser: Browser, strict_idp) -> None:
    strict_idp.control(user=CAROL, tamper={"name": "Mallory"}, wrong_key=True)
    body = assert_problem(browser.sign_in(None, "strict"), 400, "id-token-invalid")
    assert "signature" in body["detail"]


def test_the_callback_iss_must_name_the_provider(browser: Browser, strict_idp, dev_idp) -> None:
    strict_idp.control(user=CAROL, callback_iss=dev_idp.url)  # mix-up: the answer claims another issuer
    assert_problem(browser.sign_in(None, "strict"), 400, "issuer-mismatch")
    strict_idp.control(user=CAROL, omit_iss=True)  # the provider promised `iss` (RFC 9207) and it is missing
    assert_problem(browser.sign_in(None, "strict"), 400, "issuer-mismatch")


def test_a_provider_whose_discovery_names_another_issuer_is_refused(browser: Browser) -> None:
    assert_problem(browser.http.get("/auth/login/strict2"), 400, "issuer-mismatch")


def test_github_preset_uses_the_numeric_id_and_the_verified_primary_email(
    browser: Browser, strict_idp, dev_idp
) -> None:
    octo = {"sub": "octo", "github_id": 4242, "email": "octo@example.com", "email_verified": True, "name": "Octo"}
    strict_idp.control(user=octo, omit_iss=True)  # GitHub sends no `iss`
    done = browser.sign_in(None, "gh")
    assert done.status_code == 303, done.text
    me = browser.me()
    assert me["user"]["issuer"] == "https://github.com" and me["user"]["subject"] == "4242"
    assert me["user"]["email"] == "octo@example.com"
