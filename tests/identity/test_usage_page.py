"""The signed-in admin's usage page: the month at a glance, a chart, and CSV downloads that work from the page."""

from __future__ import annotations

import re

from tests.identity.conftest import Browser
from tests.support.database import Db


def test_the_usage_page_shows_the_budget_chart_and_working_downloads(owner: Browser, db: Db) -> None:
    tenant_id = owner.me()["active_tenant_id"]
    db.execute("update tenants set monthly_minutes = 50 where id = $1::uuid", tenant_id)
    assert "/usage" in owner.http.get("/").text  # linked from the start page
    page = owner.http.get("/usage", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
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
