"""The signed-in admin's usage page: the month at a glance, a chart, and CSV downloads that work from the page."""

from __future__ import annotations

import re

import pytest

from tests.identity.conftest import Browser
from tests.support.database import Db


def test_the_usage_page_shows_the_budget_chart_and_working_downloads(owner: Browser, db: Db) -> None:
    tenant_id = owner.me()["active_tenant_id"]
    db.execute("update tenants set monthly_minutes = 50 where id = $1::uuid", tenant_id)
    page = owner.http.get("/usage", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    # Who is signed in, and sign-out; no tenant switch with one tenant.
    assert "action='/auth/logout'" in page.text and owner.me()["csrf_token"] in page.text
    assert "action='/auth/tenant'" not in page.text and "href='/console/'" in page.text
    assert "0</b> finished sessions" in page.text and "of 50 minutes (0%)" in page.text
    assert page.text.count("<rect") >= 28 + 2  # one bar per day, and the budget bar
    links = re.findall(r"href='(/v1/reports/[^']+)'", page.text)
    assert len(links) == 2
    for link in links:
        csv = owner.http.get(link.replace("&amp;", "&"))
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv"), csv.text
        assert csv.text.splitlines()[0].startswith(("period,", "id,"))


def test_the_usage_page_asks_a_stranger_to_sign_in(new_browser) -> None:
    stranger = new_browser()
    page = stranger.http.get("/usage", headers={"Accept": "text/html"})
    assert page.status_code == 401 and "<a class=button href='/'>" in page.text


@pytest.mark.browser
def test_a_newcomer_signs_in_in_chromium_and_downloads_the_months_csv(identity_app, dev_idp, tmp_path) -> None:
    """The whole path in a real browser: the identity provider's form, the usage page, a download."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import chromium_path

    sub = dev_idp.user(name="Nora Newcomer")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_context(accept_downloads=True).new_page()
            problems: list[str] = []
            # Errors on Greenroom's own pages (the dev identity provider's page loads a stylesheet from the internet).
            page.on(
                "console",
                lambda m: (
                    problems.append(f"{m.location.get('url')}: {m.text}")
                    if m.type == "error"
                    and page.url.startswith(identity_app.url)
                    and not (m.location.get("url") or "").endswith("/favicon.ico")
                    else None
                ),
            )
            page.goto(f"{identity_app.url}/auth/login/dev?next=/usage")
            page.fill("input[name=sub]", sub)
            page.click("button[type=submit]")
            page.wait_for_url(f"{identity_app.url}/usage")
            assert page.title().startswith("Usage in ") and page.locator("svg rect").count() >= 28
            with page.expect_download() as download:
                page.click("text=Usage by day (CSV)")
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            page.screenshot(path=str(tmp_path / "usage.png"), full_page=True)
        finally:
            browser.close()
    assert saved.suffix == ".csv" and saved.read_text().startswith("period,agent,widget_key,origin,end_reason,")
    assert not problems, problems  # nothing the page's Content-Security-Policy blocked, no script errors
