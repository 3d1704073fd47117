"""Signing in through the dev identity provider (oidc-provider-mock) over real HTTP."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.identity.conftest import Browser
from tests.support.asserts import assert_problem
from tests.support.database import Db


def test_first_sign_in_creates_a_tenant_and_a_session(browser: Browser, db: Db, dev_idp) -> None:
    login = browser.start("dev", next="/auth/me")
    query = parse_qs(urlsplit(login.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert query["redirect_uri"] == [f"{browser.app_url}/auth/callback/dev"]
    assert "greenroom_signin" in login.headers["set-cookie"]
    done = browser.http.get(browser.at_provider(login, "dave"))
    assert done.status_code == 303 and done.headers["location"] == "/auth/me"
    me = browser.me()
    assert me["user"]["issuer"] == dev_idp.url and me["user"]["subject"] == "dave"
    [membership] = me["memberships"]
    assert membership["role"] == "owner" and me["active_tenant_id"] == membership["tenant_id"]
    # The database holds only a hash of the session id.
    raw = browser.http.cookies["greenroom_session"]
    assert (
        db.value("select count(*) from admin_sessions where id_hash = encode(sha256($1::bytea), 'hex')", raw.encode())
        == 1
    )
    assert db.value("select count(*) from admin_sessions where id_hash = $1", raw) == 0


def test_state_is_bound_to_the_browser_and_single_use(browser: Browser, new_browser, dev_idp) -> None:
    callback = browser.at_provider(browser.start("dev"), dev_idp.user())
    other = new_browser()
    assert_problem(other.http.get(callback), 400, "sign-in-state-mismatch")  # another browser: no sign-in cookie
    tampered = callback.replace("state=", "state=x")
    assert_problem(browser.http.get(tampered), 400, "sign-in-state-mismatch")
    # The attempt is gone after one answer, right or wrong: replaying the right one fails too.
    assert_problem(browser.http.get(callback), 400, "sign-in-state-mismatch")
    assert browser.http.get("/auth/me").status_code == 401


def test_an_answer_for_one_provider_is_refused_at_another(browser: Browser, dev_idp) -> None:
    callback = browser.at_provider(browser.start("dev"), dev_idp.user())
    assert_problem(
        browser.http.get(callback.replace("/auth/callback/dev", "/auth/callback/strict")), 400, "sign-in-state-mismatch"
    )


def test_a_person_gets_a_readable_page(browser: Browser) -> None:
    page = browser.http.get("/auth/callback/dev?code=x&state=y", headers={"Accept": "text/html"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "did not start in this browser" in page.text and "/problems/sign-in-state-mismatch" in page.text
    assert_problem(browser.http.get("/auth/login/nope"), 404, "unknown-provider")
    assert browser.http.get("/auth/login/nope", headers={"Accept": "text/html"}).status_code == 404


def test_provider_errors_are_explained(browser: Browser) -> None:
    login = browser.start("dev")
    state = parse_qs(urlsplit(login.headers["location"]).query)["state"][0]
    body = assert_problem(
        browser.http.get(f"/auth/callback/dev?error=access_denied&state={state}"), 400, "sign-in-failed"
    )
    assert "access_denied" in body["detail"]


def test_signing_in_again_rotates_the_session_id(browser: Browser, dev_idp, db: Db) -> None:
    sub = dev_idp.user()
    browser.sign_in(sub)
    first = browser.http.cookies["greenroom_session"]
    browser.sign_in(sub)
    second = browser.http.cookies["greenroom_session"]
    assert first != second
    old = Browser(browser.app_url)
    old.http.cookies.set("greenroom_session", first)
    assert_problem(old.http.get("/auth/me"), 401, "not-signed-in")
    old.close()
    # Same user, same tenant: a second sign-in does not make a second tenant.
    assert len(browser.me()["memberships"]) == 1


def test_the_start_page_signs_in_and_sends_a_signed_in_browser_to_the_console(browser: Browser, dev_idp) -> None:
    page = browser.http.get("/")
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    for provider in ("dev", "strict", "strict2", "gh"):  # one button per configured provider
        assert f"href='/auth/login/{provider}'" in page.text, provider
    assert "<form" not in page.text  # nothing to post before signing in
    sub = dev_idp.user(name="Zed Example")
    signed_in = browser.sign_in(sub)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"  # a sign-in ends at the start page
    again = browser.http.get("/")
    assert again.status_code == 303 and again.headers["location"] == "/console/"
    assert again.headers["cache-control"] == "no-store"
    # A cookie of a session that ended is no sign-in: the sign-in page, not a loop through the console.
    assert browser.send("POST", "/auth/logout").status_code == 204
    stale = Browser(browser.app_url)
    stale.http.cookies.set("greenroom_session", "not-a-session")
    assert stale.http.get("/").status_code == 200 and "/auth/login/dev" in stale.http.get("/").text
    stale.close()


def test_operator_accounts_come_from_settings(browser: Browser) -> None:
    browser.sign_in("olga")
    me = browser.me()
    assert me["operator"] is True


def test_a_display_name_longer_than_we_keep_signs_in_with_its_first_200_characters(
    browser: Browser, db: Db, dev_idp
) -> None:
    """A provider may send any length of name; the sign-in must not fail on it (it was a 500)."""
    long_name = "N" * 150 + "é" * 150
    sub = dev_idp.user(name=long_name)
    assert browser.sign_in(sub).status_code == 303
    assert db.value("select name from users where subject = $1", sub) == long_name[:200]
