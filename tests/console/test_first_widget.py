"""A new admin goes from sign-in to a widget snippet using only the console, every step a click in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.database import Db

pytestmark = pytest.mark.browser


def test_new_admin_signs_in_adds_keys_creates_an_agent_and_copies_the_snippet(
    console: Any, open_console: Any, simulator_keys: Any, db: Db
) -> None:
    sub = console.idp.user(name="Nina Newcomer")
    keys = simulator_keys("nina")
    page = open_console(sub)

    # The header says who is signed in and in which tenant; the checklist says what to do first.
    page.get_by_role("heading", name="Overview").wait_for()
    assert "Nina Newcomer" in page.get_by_role("banner").inner_text()
    checklist = page.get_by_test_id("checklist")
    checklist.wait_for()
    assert page.get_by_role("heading", name=re.compile(r"Getting started \(0 of 4 done\)")).is_visible()

    # Provider keys: a key the provider refuses is refused in plain words and not saved.
    checklist.get_by_role("link", name="Add your provider keys").click()
    page.get_by_role("heading", name="Provider keys", level=1).wait_for()
    # In dev mode the page says which keys the simulator takes (the server's words).
    assert "sk-dev-" in page.get_by_test_id("dev-hint").inner_text()
    openai = page.get_by_role("region", name="OpenAI")
    openai.get_by_label("OpenAI API key").fill("sk-not-a-key-the-provider-knows")
    openai.get_by_role("button", name="Verify and save").click()
    refused = openai.get_by_role("alert")
    refused.wait_for()
    assert "The OpenAI key was not saved" in refused.inner_text()
    assert "reject" in refused.inner_text().lower(), refused.inner_text()

    for name, provider in (("OpenAI", "openai"), ("Avaturn", "avaturn")):
        card = page.get_by_role("region", name=name)
        card.get_by_label(f"{name} API key").fill(keys[provider])
        card.get_by_role("button", name="Verify and save").click()
        card.get_by_role("status").filter(has_text=f"{name} key saved and verified").wait_for()
        assert card.get_by_label(f"{name} API key").input_value() == "", "the key stays on the page after saving"
        assert card.get_by_text(f"••••{keys[provider][-4:]}").is_visible()
    # The secret never comes back: not in the page, only its last four characters.
    assert keys["openai"] not in page.content() and keys["avaturn"] not in page.content()

    # An agent, with the form's defaults: the slug follows the name.
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Agents").click()
    page.get_by_role("button", name="New agent").click()
    drawer = page.get_by_role("dialog", name="New agent")
    drawer.get_by_label("Name").fill("Front desk")
    assert drawer.get_by_label("Slug").input_value() == "front-desk"
    drawer.get_by_role("button", name="Create agent").click()
    page.get_by_test_id("agent-row").filter(has_text="front-desk").wait_for()

    # A widget key for the shop's origin, restricted to the agent: an origin with a path is refused first.
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Widget keys").click()
    page.get_by_role("button", name="New widget key").click()
    form = page.get_by_role("region", name="New widget key")
    form.get_by_label("Allowed origins").fill("https://shop.example/cart")
    form.get_by_role("button", name="Create widget key").click()
    assert "no path" in form.inner_text()
    form.get_by_label("Allowed origins").fill("https://shop.example")
    form.get_by_label("Agent", exact=True).select_option("front-desk")
    form.get_by_role("button", name="Create widget key").click()

    created = page.get_by_role("region", name=re.compile("put it on your page"))
    created.wait_for()
    snippet = created.get_by_test_id("copy-embed-snippet").inner_text()
    created.get_by_role("button", name="Copy embed snippet").click()
    created.get_by_role("button", name="Copied embed snippet").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == snippet

    # The snippet loads this deployment's widget and names the key that was stored, for the agent.
    tenant_id = db.value(
        "select m.tenant_id from memberships m join users u on u.id = m.user_id where u.subject = $1", sub
    )
    key = db.fetch("select allowed_origins, agent_id from widget_keys where tenant_id = $1", tenant_id)
    assert [r["allowed_origins"] for r in key] == [["https://shop.example"]]
    match = re.fullmatch(
        r'<script src="(?P<src>[^"]+)" defer></script>\n<greenroom-avatar key="(?P<key>gr_pk_[^"]+)" '
        r'agent="front-desk"></greenroom-avatar>',
        copied,
    )
    assert match, copied
    assert match["src"] == f"{console.url}/widget.js"
    assert db.value("select count(*) from provider_credentials where tenant_id = $1", tenant_id) == 2

    # Back on the overview, three of the four steps tick themselves off.
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Overview").click()
    page.get_by_role("heading", name=re.compile(r"Getting started \(3 of 4 done\)")).wait_for()

    # Nothing of the API's answers is kept in the browser's storage.
    assert page.evaluate("Object.keys(localStorage)") == []
