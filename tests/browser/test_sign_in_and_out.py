"""Signing in and out in real Chromium, by clicking: the unsafe requests a page makes carry our `Origin`.

The old start page sent `Referrer-Policy: no-referrer`; Chromium then posts a page's forms with `Origin: null`, so
*Switch tenant* and *Sign out* failed with 403 `csrf-failed`, which tests that post with an HTTP client never saw.
Here Chromium does the posting: from a console page served under the console's headers (a stand-in build whose
script signs out with `fetch`, as the console does) and from the forms of the usage page; and, as a witness of the
bug, from the usage page served the old way.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.cli.serving import ServerThread, free_port
from app.kit.tokens import hash_token
from app.main import create_app
from tests.identity.conftest import Browser, identity_settings
from tests.support.database import Db

pytestmark = pytest.mark.browser

STAND_IN_INDEX = """<!doctype html><meta charset=utf-8><title>Console stand-in</title>
<p id=who>…</p><button id=out>Sign out</button><p id=result></p>
<script type=module src="/console/assets/app-0123abcd.js"></script>"""
# What the console does: who is signed in from /auth/me, then sign-out with its CSRF token (the browser adds Origin).
STAND_IN_SCRIPT = """
const me = await fetch('/auth/me');
if (me.status === 401) { location.href = '/'; }
const body = await me.json();
document.getElementById('who').textContent = body.user.name;
document.getElementById('out').addEventListener('click', async () => {
  const r = await fetch('/auth/logout', {method: 'POST', headers: {'X-CSRF-Token': body.csrf_token}});
  document.getElementById('result').textContent = r.status + ' ' + (await r.text());
});
"""


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, sim_server: ServerThread, dev_idp
) -> Iterator[str]:
    dist = tmp_path_factory.mktemp("web") / "console"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(STAND_IN_INDEX)
    (dist / "assets" / "app-0123abcd.js").write_text(STAND_IN_SCRIPT)
    port = free_port()
    settings = identity_settings(
        database_url, sim_server.url, f"http://127.0.0.1:{port}", dev_idp, None, console_dist=dist
    )
    with ServerThread(create_app(settings), port=port) as server:
        yield server.url


def unsafe_requests(page: Any) -> list[dict[str, str]]:
    """Every POST the page sends, with the headers Chromium put on the wire."""
    seen: list[dict[str, str]] = []

    def on_request(request: Any) -> None:
        if request.method == "POST":
            seen.append({"url": request.url, **request.all_headers()})

    page.on("request", on_request)
    return seen


def sign_in_by_clicking(page: Any, site: str, sub: str, start: str = "/") -> None:
    """From the sign-in page's button or a sign-in link (`/auth/login/dev?next=…`), through the provider's form."""
    page.goto(site + start)
    if start == "/":
        page.click("a[href='/auth/login/dev']")
    page.fill("input[name=sub]", sub)
    page.click("button[type=submit]")


def test_a_person_signs_in_lands_in_the_console_and_signs_out_from_it(browser, site: str, dev_idp) -> None:
    sub = dev_idp.user(name="Clicky Person")
    context = browser.new_context()
    page = context.new_page()
    posts = unsafe_requests(page)
    sign_in_by_clicking(page, site, sub)
    page.wait_for_url(f"{site}/console/")
    expect(page.locator("#who")).to_have_text("Clicky Person")  # the console's script ran under its policy
    page.click("#out")
    expect(page.locator("#result")).to_have_text("204 ")
    assert [p["origin"] for p in posts if p["url"].endswith("/auth/logout")] == [site]
    assert context.request.get(f"{site}/auth/me").status == 401
    page.goto(site + "/")  # signed out: the sign-in page again, not the console
    assert page.url == site + "/" and page.locator("a[href='/auth/login/dev']").count() == 1
    context.close()


def two_tenants(site: str, dev_idp) -> tuple[str, str, str]:
    """A user who owns one tenant and was invited into another: (their subject, first tenant, second tenant)."""
    other = Browser(site)
    other.sign_in(dev_idp.user())
    email = f"two-{secrets.token_hex(4)}@example.com"
    sub = dev_idp.user(email=email, name="Two Tenants")
    person = Browser(site)
    person.sign_in(sub)
    first = person.me()["active_tenant_id"]
    invited = other.send("POST", "/v1/invitations", json={"email": email, "role": "viewer"})
    assert invited.status_code == 201, invited.text
    token = urlsplit(invited.json()["url"]).path.rsplit("/", 1)[1]
    person.sign_in(sub, invitation=token)
    second = other.me()["active_tenant_id"]
    other.close(), person.close()
    return sub, first, second


def test_the_usage_pages_tenant_switch_and_sign_out_work_when_clicked(browser, site: str, dev_idp, db: Db) -> None:
    sub, first, second = two_tenants(site, dev_idp)
    context = browser.new_context()
    page = context.new_page()
    posts = unsafe_requests(page)
    sign_in_by_clicking(page, site, sub, start="/auth/login/dev?next=/usage")
    page.wait_for_url(f"{site}/usage")
    assert page.locator("select[name=tenant_id]").input_value() == first  # the oldest membership
    page.select_option("select[name=tenant_id]", second)
    page.click("button:text('Switch')")
    page.wait_for_url(f"{site}/usage")
    assert page.locator("select[name=tenant_id]").input_value() == second
    assert context.request.get(f"{site}/auth/me").json()["active_tenant_id"] == second
    raw = next(c["value"] for c in context.cookies() if c["name"] == "greenroom_session")
    page.click("button:text('Sign out')")
    page.wait_for_url(f"{site}/")
    assert context.request.get(f"{site}/auth/me").status == 401
    assert db.value("select revoked_at is not null from admin_sessions where id_hash = $1", hash_token(raw))
    ours = [(urlsplit(p["url"]).path, p["origin"]) for p in posts if p["url"].startswith(site)]
    assert ours == [("/auth/tenant", site), ("/auth/logout", site)]
    context.close()


def test_under_no_referrer_chromium_posts_origin_null_and_the_csrf_check_refuses_it(browser, site, dev_idp) -> None:
    """The bug itself, kept as a witness: the usage page served as the old pages were (`Referrer-Policy:
    no-referrer`): Chromium posts *Sign out* with `Origin: null`, and the answer is 403 `csrf-failed`."""
    sub = dev_idp.user()
    context = browser.new_context()
    page = context.new_page()
    posts = unsafe_requests(page)

    def as_before(route: Any) -> None:
        answer = route.fetch()
        route.fulfill(response=answer, headers={**answer.headers, "referrer-policy": "no-referrer"})

    sign_in_by_clicking(page, site, sub, start="/auth/login/dev?next=/usage")
    page.wait_for_url(f"{site}/usage")
    page.route(f"{site}/usage", as_before)
    page.goto(f"{site}/usage")
    with page.expect_response(f"{site}/auth/logout") as answer:
        page.click("button:text('Sign out')")
    assert answer.value.status == 403 and "/problems/csrf-failed" in answer.value.text()
    assert [p["origin"] for p in posts if p["url"].startswith(site)] == ["null"]
    assert context.request.get(f"{site}/auth/me").status == 200  # still signed in
    context.close()
