"""The operator area: every tenant with its usage and limits; suspend ends the tenant's live session at the provider,
resume lets it start again; limits are edited in place."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.simulator.control import SimulatorControl
from tests.console.conftest import api, axe_scan, equip
from tests.identity.conftest import OPERATOR_SUB
from tests.support.asserts import wait_for
from tests.support.database import Db

pytestmark = pytest.mark.browser


def test_an_operator_suspends_a_tenant_and_its_live_session_ends(
    console: Any, open_console: Any, simulator_keys: Any, sim: SimulatorControl, db: Db
) -> None:
    owner = open_console(console.idp.user(name="Tess Tenant"))
    equip(owner, simulator_keys("suspend"))
    tenant_id = api(owner, "GET", "/auth/me")["active_tenant_id"]
    started = api(owner, "POST", "/v1/sessions", {"agent": "front-desk"})
    upstream = db.value("select upstream_session_id from sessions where id = $1", started["session_id"])

    olga = open_console(OPERATOR_SUB)
    olga.get_by_role("navigation", name="Pages").get_by_role("link", name="Operator").click()
    row = olga.locator(f"[data-testid=tenant-row][data-tenant-id='{tenant_id}']")
    row.wait_for()
    assert "active" in row.inner_text().lower()

    # Limits: a minute budget, sent as a merge patch of what changed.
    row.get_by_role("button", name="Limits").click()
    dialog = olga.get_by_role("dialog")
    dialog.get_by_label("No budget").uncheck()
    dialog.get_by_label("Minute budget per month").fill("250")
    with olga.expect_request(lambda r: r.method == "PATCH") as sent:
        dialog.get_by_role("button", name="Save limits").click()
    assert sent.value.post_data_json == {"monthly_minutes": 250}
    row.get_by_text("250 min a month").wait_for()

    # Suspend asks first and says the live sessions end; then they have, at the provider too.
    row.get_by_role("button", name="Suspend").click()
    confirm = olga.get_by_role("dialog", name="Suspend Tess Tenant's workspace?")
    assert "Every live session" in confirm.inner_text()
    confirm.get_by_role("button", name="Suspend the tenant").click()
    row.get_by_role("status").filter(has_text="1 live session ended").wait_for()
    row.get_by_role("button", name="Resume").wait_for()
    assert "suspended" in row.inner_text().lower()
    assert db.value("select state from sessions where id = $1", started["session_id"]) != "active"
    wait_for(lambda: upstream not in {s["id"] for s in sim.alive_sessions()}, 10, "the provider to end the session")

    # The tenant's owner is told, reads usage still, and no longer sees what only writers may use.
    owner.reload()
    owner.get_by_test_id("suspended-banner").wait_for()
    refused = owner.get_by_test_id("starts-refused")
    refused.wait_for()
    assert "suspend" in refused.inner_text().lower()
    assert owner.get_by_role("navigation", name="Pages").get_by_role("link", name="Agents").count() == 0

    row.get_by_role("button", name="Resume").click()
    row.get_by_role("button", name="Suspend").wait_for()
    assert db.value("select status from tenants where id = $1", tenant_id) == "active"


def test_the_operator_page_passes_axe(console: Any, open_console: Any) -> None:
    olga = open_console(OPERATOR_SUB)
    olga.goto(f"{console.url}/console/operator")
    olga.get_by_test_id("tenant-row").first.wait_for()
    olga.wait_for_load_state("networkidle")
    found = {"operator": axe_scan(olga)}
    olga.get_by_role("button", name="Limits").first.click()
    olga.get_by_role("dialog").get_by_label("Billing").wait_for()
    found["limits"] = axe_scan(olga)
    assert not any(found.values()), found
