"""docs/security.md, "Sign-in", against the strict provider (tests/identity/strict_idp.py) over real sockets: asymmetric
ID-token signatures only, one JWKS refetch for a rotated key, `azp` when there are several audiences, and sign-in
attempts that live 10 minutes. (Nonce, issuer, a lone foreign `aud`, several audiences without `azp`, expiry, a
wrong key and the callback `iss` are pinned in test_strict_provider.py; Entra's multi-tenant configurations, refused
before anything runs, in tests/identity/test_identity_config.py.)"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.identity.conftest import STRICT_CLIENT, Browser
from tests.support.asserts import assert_problem
from tests.support.database import Db

CAROL = {"sub": "carol-promises", "email": "carol@example.com", "email_verified": True, "name": "Carol"}


@pytest.fixture(autouse=True)
def _reset(strict_idp) -> None:
    strict_idp.control(user=CAROL)


def signed_in_as_carol(resp: httpx.Response, browser: Browser, strict_idp) -> None:
    assert resp.status_code == 303, resp.text
    assert (browser.me()["user"]["issuer"], browser.me()["user"]["subject"]) == (strict_idp.url, CAROL["sub"])


def jwks_requests(strict_idp) -> int:
    return httpx.get(f"{strict_idp.url}/__stats").json()["jwks_requests"]


@pytest.mark.parametrize("sign", ["HS256", "HS256-public", "none"])
def test_only_asymmetric_signatures_are_accepted(browser: Browser, strict_idp, sign: str) -> None:
    """HS256 keyed with our client secret (which OIDC Core allows), HS256 keyed with the provider's public key, and an
    unsigned token: the claims are otherwise perfect, so only the algorithm can be what refuses them."""
    signed_in_as_carol(browser.sign_in(None, "strict"), browser, strict_idp)  # the same claims, signed RS256: accepted
    other = Browser(browser.app_url)
    try:
        strict_idp.control(user=CAROL, sign=sign)
        assert_problem(other.sign_in(None, "strict"), 400, "id-token-invalid")
        assert other.http.get("/auth/me").status_code == 401
    finally:
        other.close()


def test_a_rotated_key_is_fetched_once_then_used_from_the_cache(browser: Browser, strict_idp) -> None:
    signed_in_as_carol(browser.sign_in(None, "strict"), browser, strict_idp)  # the current keys are cached now
    before = jwks_requests(strict_idp)
    signed_in_as_carol(browser.sign_in(None, "strict"), browser, strict_idp)
    assert jwks_requests(strict_idp) == before, "a known kid must not refetch the JWKS"

    kid = httpx.post(f"{strict_idp.url}/__rotate").json()["kid"]
    strict_idp.control(user=CAROL)
    signed_in_as_carol(browser.sign_in(None, "strict"), browser, strict_idp)  # signed with the new kid
    assert jwks_requests(strict_idp) == before + 1, f"kid {kid}: exactly one refetch"
    signed_in_as_carol(browser.sign_in(None, "strict"), browser, strict_idp)
    assert jwks_requests(strict_idp) == before + 1, "the refetched keys are cached"


def test_with_several_audiences_azp_must_be_us(browser: Browser, strict_idp) -> None:
    # (Several audiences and no azp at all: test_strict_provider.py.)
    strict_idp.control(user=CAROL, tamper={"aud": [STRICT_CLIENT, "another-client"], "azp": "another-client"})
    assert_problem(browser.sign_in(None, "strict"), 400, "id-token-invalid")
    assert browser.http.get("/auth/me").status_code == 401
    strict_idp.control(user=CAROL, tamper={"aud": ["another-client", STRICT_CLIENT], "azp": STRICT_CLIENT})
    signed_in_as_carol(browser.sign_in(None, "strict"), browser, strict_idp)


def _started(browser: Browser, db: Db) -> tuple[httpx.Response, str]:
    login = browser.start("strict")
    assert "max-age=600" in login.headers["set-cookie"].lower()  # the browser forgets the attempt then too
    state = parse_qs(urlsplit(login.headers["location"]).query)["state"][0]
    lifetime = db.value(
        "select extract(epoch from expires_at - created_at) from sign_in_attempts where state = $1", state
    )
    assert lifetime == 600
    return login, state


def test_a_sign_in_attempt_lives_ten_minutes(browser: Browser, identity_app, strict_idp, db: Db) -> None:
    assert identity_app.settings.sign_in_ttl_s == 600  # the production default, not a test value
    age = (
        "update sign_in_attempts set created_at = created_at - $2::interval, expires_at = expires_at - $2::interval "
        "where state = $1"
    )
    login, state = _started(browser, db)
    db.execute(age, state, timedelta(seconds=601))  # started 10 min 1 s ago
    assert_problem(browser.http.get(browser.at_provider(login, None)), 400, "sign-in-state-mismatch")
    assert browser.http.get("/auth/me").status_code == 401

    login, state = _started(browser, db)
    db.execute(age, state, timedelta(seconds=590))  # 9 min 50 s: still good
    signed_in_as_carol(browser.http.get(browser.at_provider(login, None)), browser, strict_idp)
