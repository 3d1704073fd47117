"""Role-aware console: a viewer sees sessions and usage and no control that changes anything; the pages whose data
only admins may read are not offered, and say so when opened by address."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console.conftest import api, equip

pytestmark = pytest.mark.browser


def test_a_viewer_sees_and_cannot_change(console: Any, open_console: Any, simulator_keys: Any) -> None:
    owner = open_console(console.idp.user())
    equip(owner, simulator_keys("viewer"))
    started = api(owner, "POST", "/v1/sessions", {"agent": "front-desk"})
    email = "vera.viewer@example.com"
    invitation = api(owner, "POST", "/v1/invitations", {"email": email, "role": "viewer"})
    token = invitation["url"].rstrip("/").rsplit("/", 1)[-1]

    viewer = open_console(console.idp.user(email=email, name="Vera Viewer"), invitation=token)
    viewer.get_by_role("heading", name="Overview").wait_for()
    assert "(viewer)" in viewer.get_by_label("Tenant").locator("option:checked").inner_text()
    # Sessions and usage, yes; the getting-started steps and the admin pages, no.
    nav = viewer.get_by_role("navigation", name="Pages")
    assert [link.inner_text() for link in nav.get_by_role("link").all()] == ["Overview", "Sessions", "Usage"]
    assert viewer.get_by_test_id("checklist").count() == 0
    viewer.get_by_role("heading", name="Minutes this month").wait_for()

    # The live session is listed, with details and without Kill.
    nav.get_by_role("link", name="Sessions").click()
    row = viewer.locator(f"[data-testid=live-session][data-session-id='{started['session_id']}']")
    row.wait_for()
    assert row.get_by_role("button", name="Details").is_visible()
    assert row.get_by_role("button", name="Kill").count() == 0

    # An admin page opened by its address explains instead of failing.
    viewer.goto(f"{console.url}/console/agents")
    viewer.get_by_role("heading", name="Not for your role").wait_for()
    assert "viewer" in viewer.get_by_role("main").inner_text()
    api(owner, "DELETE", f"/v1/sessions/{started['session_id']}")
