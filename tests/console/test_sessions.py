"""Live sessions in the console: they appear by themselves, and Kill ends them here and at the provider."""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from typing import Any

import pytest

from devtools.simulator.control import SimulatorControl
from tests.console.conftest import api, equip
from tests.support.asserts import wait_for
from tests.support.database import Db

pytestmark = pytest.mark.browser


def test_a_live_session_shows_by_itself_and_kill_ends_it_here_and_at_the_provider(
    console: Any, open_console: Any, simulator_keys: Any, sim: SimulatorControl, db: Db
) -> None:
    page = open_console(console.idp.user())
    equip(page, simulator_keys("kill"))
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Sessions").click()
    page.get_by_text("No live session").wait_for()

    # A session started elsewhere (here: the API) shows up without a reload, within the 2 s budget.
    started = api(page, "POST", "/v1/sessions", {"agent": "front-desk"})
    session_id = started["session_id"]
    seen_at = time.monotonic()
    row = page.locator(f"[data-testid=live-session][data-session-id='{session_id}']")
    row.wait_for(timeout=3_000)
    assert time.monotonic() - seen_at <= 2.5
    assert "front-desk" in row.inner_text()

    # Kill asks first and says what happens; confirmed, the result shows at once.
    row.get_by_role("button", name="Kill").click()
    dialog = page.get_by_role("dialog", name="End this session now?")
    assert "terminated" in dialog.inner_text()
    clicked = time.monotonic()
    dialog.get_by_role("button", name="Kill the session").click()
    result = page.locator(f"[data-testid=kill-result][data-session-id='{session_id}']")
    result.wait_for(timeout=1_000)
    assert time.monotonic() - clicked <= 1.0
    assert "terminated" in result.inner_text()
    assert db.value("select state from sessions where id = $1", session_id) == "terminated"

    # The provider acknowledges the end (the worker delivered it), and the console says so.
    upstream = db.value("select upstream_session_id from sessions where id = $1", session_id)
    wait_for(lambda: upstream not in {s["id"] for s in sim.alive_sessions()}, 10, "the provider to end the session")
    result.filter(has_text="The provider acknowledged the end").wait_for(timeout=10_000)
    assert row.count() == 0

    # The history has it, with why it ended, and its detail drawer shows the timeline.
    page.get_by_role("tab", name="History").click()
    reason = db.value("select end_reason from sessions where id = $1", session_id)
    assert reason == "admin_terminated"
    history = page.get_by_test_id("history-session").filter(has_text=reason)
    history.first.wait_for()
    history.first.get_by_role("button", name="Details").click()
    drawer = page.get_by_role("dialog", name="Session")
    drawer.get_by_text(f"Why: {reason}").wait_for()
    assert "Ended (terminated)" in drawer.inner_text()

    drawer.get_by_role("button", name="Close").click()

    # The usage page counts it under its agent, and the month's sessions CSV downloads with its row.
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Usage").click()
    by_agent = page.get_by_test_id("usage-by-agent")
    by_agent.get_by_role("row").filter(has_text="front-desk").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Every session of")).click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    [row] = [r for r in rows if session_id in r.values()]
    billed = db.value("select billed_seconds from usage_events where session_id = $1 and event = 'ended'", session_id)
    assert int(row["billed_seconds"]) == billed, row
