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
    assert [link.inner_text() for link in nav.get_by_role("link").all()] == [
        "Overview",
        "Sessions",
        "Usage",
        "Settings",
    ]
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


def test_switching_tenant_and_signing_out_work_in_the_browser(console: Any, open_console: Any) -> None:
    """The old start page's switch and sign-out failed in Chromium (Origin: null under no-referrer): the console's
    are real clicks here, under the same Referrer-Policy."""
    xena_email = "xena.two-tenants@example.com"
    xena = open_console(console.idp.user(email=xena_email, name="Xena"))
    api(xena, "POST", "/v1/agents", {"slug": "xena-desk", "name": "Xena desk", "engine": {"type": "openai-realtime"}})
    me = api(xena, "GET", "/auth/me")
    own, xena_sub = me["active_tenant_id"], me["user"]["subject"]
    yuri = open_console(console.idp.user(name="Yuri"))
    link = api(yuri, "POST", "/v1/invitations", {"email": xena_email, "role": "admin"})["url"]

    # Xena joins Yuri's tenant too; the header lists both, and switching shows the other tenant's agents.
    xena.goto(link)
    xena.locator("a[href*='/auth/login/dev']").click()
    xena.locator("input[name=sub]").fill(xena_sub)
    xena.get_by_role("button", name="Authorize").click()
    xena.wait_for_load_state()
    xena.goto(f"{console.url}/console/")
    switcher = xena.get_by_label("Tenant")
    switcher.wait_for()
    names = switcher.locator("option").all_inner_texts()
    assert any("Xena" in n for n in names) and any("Yuri" in n for n in names), names
    xena.goto(f"{console.url}/console/agents")
    with xena.expect_response(lambda r: r.url.endswith("/auth/tenant") and r.request.method == "POST") as switched:
        switcher.select_option(own)
    assert switched.value.status == 200, switched.value.text()
    xena.get_by_test_id("agent-row").filter(has_text="xena-desk").wait_for()
    other = next(v for v in switcher.locator("option").evaluate_all("os => os.map(o => o.value)") if v != own)
    switcher.select_option(other)
    xena.get_by_text("No agent yet").wait_for()

    # Sign out: back to the sign-in page, and the session is gone.
    xena.get_by_role("button", name="Sign out").click()
    xena.wait_for_url(f"{console.url}/")
    assert xena.request.get(f"{console.url}/auth/me").status == 401
