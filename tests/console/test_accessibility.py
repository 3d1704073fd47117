"""Every console page under axe-core (web/node_modules/axe-core) in Chromium: no serious or critical violation, with
data on the page and with its dialogs open; the navigation works from the keyboard; the console fits a phone."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.console.conftest import api, axe_scan, equip

pytestmark = pytest.mark.browser


def seeded(console: Any, open_console: Any, simulator_keys: Any, **kw: Any) -> Any:
    page = open_console(console.idp.user(name="Ada Audit"), **kw)
    equip(page, simulator_keys("axe"))
    api(page, "POST", "/v1/widget-keys", {"allowed_origins": ["https://shop.example"], "agent": "front-desk"})
    api(page, "POST", "/v1/api-keys", {"scopes": ["sessions:write"]})
    api(page, "POST", "/v1/webhooks", {"url": "https://hooks.example/in", "events": ["session.ended"]})
    api(page, "POST", "/v1/invitations", {"email": "ivy@example.com", "role": "viewer"})
    return page


def test_no_serious_or_critical_axe_violation_on_any_page(console: Any, open_console: Any, simulator_keys: Any) -> None:
    page = seeded(console, open_console, simulator_keys)
    found: dict[str, list[dict[str, Any]]] = {}

    def scan(name: str) -> None:
        page.wait_for_load_state("networkidle")
        found[name] = axe_scan(page)

    pages = [
        ("overview", "/console/", "Overview"),
        ("sessions", "/console/sessions", "Sessions"),
        ("sessions history", "/console/sessions?tab=history", "Sessions"),
        ("agents", "/console/agents", "Agents"),
        ("provider keys", "/console/keys/providers", "Provider keys"),
        ("widget keys", "/console/keys/widget", "Widget keys"),
        ("server keys", "/console/keys/server", "Server keys"),
        ("usage", "/console/usage", "Usage"),
        ("webhooks", "/console/webhooks", "Webhooks"),
        ("members", "/console/members", "Members"),
        ("audit log", "/console/audit", "Audit log"),
        ("settings", "/console/settings", "Tenant settings"),
        ("not found", "/console/nowhere", "No such page"),
    ]
    for name, path, heading in pages:
        page.goto(f"{console.url}{path}")
        page.get_by_role("heading", name=heading, level=1).wait_for()
        scan(name)

    # With the dialogs open: the agent form, a confirmation, the snippet, a roll.
    page.goto(f"{console.url}/console/agents")
    page.get_by_role("button", name="Edit Front Desk").click()
    page.get_by_role("dialog").get_by_label("Name").wait_for()
    scan("agent form")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="New agent").click()
    page.get_by_role("dialog", name="New agent").locator("label", has_text="Cartesia").click()
    page.get_by_role("dialog", name="New agent").get_by_label("Cartesia agent id").wait_for()
    scan("agent form, Cartesia")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Delete Front Desk").click()
    page.get_by_role("dialog", name="Delete the agent “Front Desk”?").wait_for()
    scan("delete confirmation")
    page.goto(f"{console.url}/console/keys/widget")
    page.get_by_role("button", name="Embed snippet of default").click()
    page.get_by_role("dialog").get_by_test_id("copy-embed-snippet").wait_for()
    scan("snippet")
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Edit default").click()
    page.get_by_role("dialog").get_by_label("Allowed origins").wait_for()
    scan("widget key form")
    page.goto(f"{console.url}/console/keys/server")
    page.get_by_role("button", name="Roll default").click()
    page.get_by_role("dialog").get_by_label("The old key").wait_for()
    scan("roll")
    page.goto(f"{console.url}/console/webhooks")
    page.get_by_role("button", name="Delivery log").click()
    page.get_by_role("dialog").get_by_label("Outcome").wait_for()
    scan("delivery log")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="New endpoint").click()
    page.get_by_role("region", name="New endpoint").get_by_label("URL").wait_for()
    scan("new webhook")
    page.goto(f"{console.url}/console/audit")
    page.get_by_role("button", name=re.compile("^Changes of event")).first.click()
    page.get_by_role("dialog").get_by_text(re.compile("from|·")).first.wait_for()
    scan("audit event")

    bad = {name: v for name, v in found.items() if v}
    assert not bad, json.dumps(bad, indent=1)


def test_the_pages_are_reachable_from_the_keyboard(console: Any, open_console: Any) -> None:
    page = open_console(console.idp.user())
    page.get_by_role("heading", name="Overview").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    labels = ("Sessions", "Usage", "Agents", "Provider keys", "Widget keys", "Server keys", "Webhooks", "Members")
    for label in (*labels, "Audit log"):
        link = page.get_by_role("navigation", name="Pages").get_by_role("link", name=label)
        for _ in range(30):  # tab forward until the link has the focus
            if page.evaluate("document.activeElement && document.activeElement.textContent") == label:
                break
            page.keyboard.press("Tab")
        assert link.evaluate("el => el === document.activeElement"), f"{label} is not reachable with Tab"
        page.keyboard.press("Enter")
        page.get_by_role("heading", name=label, level=1).wait_for()
        # After a page change the focus is on the content: the next Tab starts there, not at the top.
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Shift+Tab")


def test_the_console_works_at_phone_width(console: Any, open_console: Any, simulator_keys: Any) -> None:
    page = seeded(console, open_console, simulator_keys, viewport={"width": 390, "height": 844})
    for path, heading in (
        ("/console/", "Overview"),
        ("/console/keys/widget", "Widget keys"),
        ("/console/sessions", "Sessions"),
    ):
        page.goto(f"{console.url}{path}")
        page.get_by_role("heading", name=heading, level=1).wait_for()
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone"
    # The navigation and the tenant switcher are behind the menu button, and work from there.
    nav = page.get_by_role("navigation", name="Pages")
    assert not nav.get_by_role("link", name="Agents").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.get_by_role("button", name="Open navigation").click()
    assert page.get_by_label("Tenant").is_visible()
    nav.get_by_role("link", name="Agents").click()
    page.get_by_role("heading", name="Agents", level=1).wait_for()
    assert not nav.get_by_role("link", name="Agents").is_visible(), "the menu stays open over the page"
