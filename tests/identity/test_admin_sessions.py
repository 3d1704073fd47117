"""Admin sessions: cookie attributes, expiry, sign-out, CSRF token and Origin on unsafe methods."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from tests.identity.conftest import Browser, identity_settings
from tests.support.asserts import assert_problem
from tests.support.database import Db

AGENT = {"slug": "helper", "name": "Helper", "engine": {"type": "openai-realtime", "instructions": "Help."}}


@pytest.fixture(scope="module")
def prod_app(database_url: str, sim_server: ServerThread, dev_idp) -> Iterator[ServerThread]:
    """Not dev mode: cookies must be `__Host-`, Secure."""
    port = free_port()
    settings = identity_settings(
        database_url, sim_server.url, f"http://127.0.0.1:{port}", dev_idp, None, dev_mode=False
    )
    with ServerThread(create_app(settings), port=port) as server:
        yield server


def _cookie(resp: httpx.Response, name: str) -> tuple[str, str]:
    header = next(h for h in resp.headers.get_list("set-cookie") if h.startswith(name + "="))
    return header.split(";")[0].split("=", 1)[1], header.lower()


def test_production_cookies_are_host_prefixed_secure_httponly_lax(prod_app: ServerThread, dev_idp) -> None:
    with httpx.Client(base_url=prod_app.url) as http:
        login = http.get("/auth/login/dev")
        signin, attrs = _cookie(login, "__Host-greenroom_signin")
        assert all(a in attrs for a in ("secure", "httponly", "samesite=lax", "path=/")) and "domain" not in attrs
        # A Secure cookie is not sent over plain http by a real client; send it by hand as a browser on https would.
        callback = httpx.post(login.headers["location"], data={"sub": dev_idp.user()}).headers["location"]
        done = http.get(callback, headers={"Cookie": f"__Host-greenroom_signin={signin}"})
        assert done.status_code == 303, done.text
        session, attrs = _cookie(done, "__Host-greenroom_session")
        assert all(a in attrs for a in ("secure", "httponly", "samesite=lax", "path=/")) and "domain" not in attrs
        me = http.get("/auth/me", headers={"Cookie": f"__Host-greenroom_session={session}"})
        assert me.status_code == 200 and me.json()["memberships"][0]["role"] == "owner"
        # The dev-mode name is not honoured outside dev mode.
        assert http.get("/auth/me", headers={"Cookie": f"greenroom_session={session}"}).status_code == 401


def test_dev_mode_on_loopback_http_drops_secure(owner: Browser) -> None:
    assert "greenroom_session" in owner.http.cookies and "__Host-greenroom_session" not in owner.http.cookies


def test_sign_out_needs_csrf_and_revokes_the_session(owner: Browser, db: Db) -> None:
    raw = owner.http.cookies["greenroom_session"]
    assert_problem(owner.send("POST", "/auth/logout", csrf=None), 403, "csrf-failed")
    assert_problem(owner.send("POST", "/auth/logout", origin="https://evil.example"), 403, "csrf-failed")
    assert owner.me()
    resp = owner.send("POST", "/auth/logout")
    assert resp.status_code == 204 and "max-age=0" in resp.headers["set-cookie"].lower()
    assert db.value(
        "select revoked_at is not null from admin_sessions where id_hash = encode(sha256($1::bytea), 'hex')",
        raw.encode(),
    )
    replay = Browser(owner.app_url)
    replay.http.cookies.set("greenroom_session", raw)
    assert_problem(replay.http.get("/auth/me"), 401, "not-signed-in")
    assert_problem(replay.http.get("/v1/agents"), 401, "session-expired")
    replay.close()


def test_idle_and_absolute_expiry(owner: Browser, db: Db, new_browser, dev_idp) -> None:
    raw = owner.http.cookies["greenroom_session"]
    where = "where id_hash = encode(sha256($1::bytea), 'hex')"
    db.execute(f"update admin_sessions set last_seen_at = now() - interval '29 minutes' {where}", raw.encode())
    assert owner.http.get("/auth/me").status_code == 200  # used within the idle window: alive, and touched
    assert db.value(f"select now() - last_seen_at < interval '1 minute' from admin_sessions {where}", raw.encode())
    db.execute(f"update admin_sessions set last_seen_at = now() - interval '31 minutes' {where}", raw.encode())
    assert_problem(owner.http.get("/auth/me"), 401, "not-signed-in")

    other = new_browser()
    other.sign_in(dev_idp.user())
    raw = other.http.cookies["greenroom_session"]
    assert (
        db.value(f"select expires_at - created_at from admin_sessions {where}", raw.encode()).total_seconds()
        == 12 * 3600
    )
    db.execute(f"update admin_sessions set expires_at = now() - interval '1 second' {where}", raw.encode())
    assert_problem(other.http.get("/auth/me"), 401, "not-signed-in")


def test_cookie_writes_need_csrf_token_and_same_origin(owner: Browser) -> None:
    assert_problem(owner.send("POST", "/v1/agents", json=AGENT, csrf=None), 403, "csrf-failed")
    assert_problem(owner.send("POST", "/v1/agents", json=AGENT, csrf="0" * 64), 403, "csrf-failed")
    assert_problem(owner.send("POST", "/v1/agents", json=AGENT, origin="https://evil.example"), 403, "csrf-failed")
    no_origin = owner.http.post("/v1/agents", json=AGENT, headers={"X-CSRF-Token": owner.me()["csrf_token"]})
    assert_problem(no_origin, 403, "csrf-failed")
    assert owner.http.get("/v1/agents").status_code == 200  # safe methods need neither
    assert owner.send("POST", "/v1/agents", json=AGENT).status_code == 201


def test_a_csrf_token_belongs_to_one_session(owner: Browser, new_browser, dev_idp) -> None:
    other = new_browser()
    other.sign_in(dev_idp.user())
    assert_problem(owner.send("POST", "/v1/agents", json=AGENT, csrf=other.me()["csrf_token"]), 403, "csrf-failed")


def test_server_keys_are_unaffected_by_cookies_and_origin(owner: Browser, identity_app) -> None:
    key = owner.send("POST", "/v1/api-keys", json={"scopes": ["admin"]}).json()["key"]
    with httpx.Client(base_url=identity_app.url) as backend:
        # No CSRF token, no Origin: a backend is not a browser.
        assert backend.post("/v1/agents", json=AGENT, headers={"Authorization": f"Bearer {key}"}).status_code == 201
    # A stray session cookie next to a server key: the key decides.
    resp = owner.http.get("/v1/agents", headers={"Authorization": "Bearer gr_sk_nonsense"})
    assert_problem(resp, 401, "unknown-key")


def test_a_sign_in_call_with_a_body_not_sent_as_json_is_a_415(owner: Browser) -> None:
    resp = owner.send("POST", "/auth/tenant", content=b'{"tenant_id": "x"}', headers={"content-type": "text/plain"})
    assert_problem(resp, 415, "unsupported-media-type")
    broken = owner.send("POST", "/auth/tenant", content=b"{not json", headers={"content-type": "application/json"})
    assert "not valid JSON" in assert_problem(broken, 400, "invalid-request")["detail"]
