"""Members, invitations, webhooks and the audit log through the console, every action a click in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.console.conftest import api
from tests.support.database import Db

pytestmark = pytest.mark.browser


def test_an_owner_invites_a_member_who_joins_and_gets_another_role(console: Any, open_console: Any, db: Db) -> None:
    owner = open_console(console.idp.user(name="Olive Owner"))
    nav = owner.get_by_role("navigation", name="Pages")
    nav.get_by_role("link", name="Members").click()
    owner.get_by_test_id("member-row").filter(has_text="Olive Owner").wait_for()
    # The last owner's role cannot change, and the page says why.
    me = owner.get_by_test_id("member-row").filter(has_text="Olive Owner")
    assert me.get_by_label("Role of Olive Owner").is_disabled()
    assert "make someone else owner first" in me.inner_text()

    invite = owner.get_by_role("region", name="Invite someone")
    invite.get_by_label("Email").fill("bert.billing@example.com")
    invite.get_by_label("Role").select_option("billing")
    invite.get_by_role("button", name="Invite").click()
    made = invite.get_by_role("status").filter(has_text="Send this link to bert.billing@example.com")
    made.wait_for()
    link = made.get_by_test_id("copy-invitation-link").inner_text()
    assert re.fullmatch(rf"{re.escape(console.url)}/auth/invitations/\S+", link), link
    made.get_by_role("button", name="Copy invitation link").click()
    assert owner.evaluate("navigator.clipboard.readText()") == link
    owner.get_by_test_id("invitation-row").filter(has_text="bert.billing@example.com").wait_for()

    # The invitee follows the link and joins as billing: sessions and usage, nothing to change.
    token = link.rsplit("/", 1)[1]
    bert = open_console(console.idp.user(email="bert.billing@example.com", name="Bert Billing"), invitation=token)
    bert.get_by_role("heading", name="Overview").wait_for()
    bert_nav = bert.get_by_role("navigation", name="Pages")
    assert [a.inner_text() for a in bert_nav.get_by_role("link").all()] == ["Overview", "Sessions", "Usage", "Settings"]

    # The owner sees the new member and makes him an admin; the invitation is no longer open.
    owner.reload()
    row = owner.get_by_test_id("member-row").filter(has_text="Bert Billing")
    row.wait_for()
    with owner.expect_response(lambda r: "/v1/members/" in r.url and r.request.method == "PATCH") as answer:
        row.get_by_label("Role of Bert Billing").select_option("admin")
    assert answer.value.status == 200
    tenant_id = api(owner, "GET", "/auth/me")["active_tenant_id"]
    role = db.value(
        "select m.role from memberships m join users u on u.id = m.user_id where u.email = $1 and m.tenant_id = $2",
        "bert.billing@example.com",
        tenant_id,
    )
    assert role == "admin"
    assert owner.get_by_test_id("invitation-row").filter(has_text="bert.billing@example.com").count() == 0
    bert.reload()
    bert.get_by_role("navigation", name="Pages").get_by_role("link", name="Agents").wait_for()


def test_a_webhook_endpoint_shows_its_secret_once_its_deliveries_and_why_it_was_disabled(
    console: Any, open_console: Any
) -> None:
    page = open_console(console.idp.user())
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Webhooks").click()
    page.get_by_role("button", name="New endpoint").click()
    form = page.get_by_role("region", name="New endpoint")
    form.get_by_label("URL").fill("http://hooks.example/in")
    form.get_by_role("button", name="Add endpoint").click()
    assert "An https:// URL" in form.inner_text()
    # Nothing listens on port 9 of this machine: every delivery fails, fast.
    form.get_by_label("URL").fill("https://127.0.0.1:9/greenroom")
    form.get_by_label(re.compile("^session.started")).check()
    form.get_by_role("button", name="Add endpoint").click()
    secret = page.get_by_role("alert").filter(has_text="Copy the signing secret now")
    secret.wait_for()
    value = secret.get_by_test_id("copy-signing-secret").inner_text()
    assert value.startswith("whsec_")
    secret.get_by_role("button", name="I have stored it").click()
    assert value not in page.content()

    hook = page.get_by_test_id("webhook").filter(has_text="https://127.0.0.1:9/greenroom")
    hook.get_by_role("button", name="Send a test event").click()
    hook.get_by_role("status").filter(has_text="A test event (webhook.test) is on its way").wait_for()
    hook.get_by_role("button", name="Delivery log").click()
    log = page.get_by_role("dialog", name=re.compile("Deliveries to"))
    log.get_by_test_id("deliveries").get_by_text("webhook.test").first.wait_for(timeout=15_000)
    assert "failed" in log.get_by_test_id("deliveries").inner_text()
    log.get_by_role("button", name="Close").click()

    # Failing on (the test settings disable an endpoint after 5 failed attempts): the page says it was disabled,
    # and why, and it can be enabled again.
    for _ in range(100):
        page.reload()
        hook.wait_for()
        if "Enable again" in hook.inner_text():
            break
        page.wait_for_timeout(200)
    assert "Disabled after 5 failed deliveries in a row" in hook.inner_text()
    hook.get_by_role("button", name="Enable again").click()
    hook.get_by_role("button", name="Disable").wait_for()


def test_the_audit_log_shows_who_changed_what_before_and_after(console: Any, open_console: Any) -> None:
    page = open_console(console.idp.user(name="Aud Itor"))
    agent = api(page, "POST", "/v1/agents", {"slug": "desk", "name": "Desk", "engine": {"type": "openai-realtime"}})
    api(page, "PATCH", f"/v1/agents/{agent['id']}", {"engine": {"voice": "cedar"}})
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Audit log").click()
    page.get_by_label("Action").fill("agent.")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("audit-row")
    rows.filter(has_text="agent.updated").wait_for()
    assert rows.count() == 2
    rows.filter(has_text="agent.updated").get_by_role("button", name=re.compile("^Changes of event")).click()
    changes = page.get_by_role("dialog").get_by_test_id("audit-changes")
    voice = changes.locator("tr[data-changed=true]").filter(has_text="engine.voice")
    assert '"marin"' in voice.inner_text() and '"cedar"' in voice.inner_text()


def test_an_admin_renames_the_tenant_and_changes_a_widget_keys_origins(console: Any, open_console: Any, db: Db) -> None:
    page = open_console(console.idp.user(name="Rita Rename"))
    tenant_id = api(page, "GET", "/auth/me")["active_tenant_id"]
    key = api(page, "POST", "/v1/widget-keys", {"allowed_origins": ["https://old.example"]})

    # The first sign-in's workspace name is not for keeps: Settings renames it, and the header follows.
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Settings").click()
    name = page.get_by_label("Tenant name")
    name.fill("Rita's Flowers")
    page.get_by_role("button", name="Rename").click()
    page.get_by_role("status").filter(has_text="Renamed to Rita's Flowers").wait_for()
    assert db.value("select name from tenants where id = $1", tenant_id) == "Rita's Flowers"
    page.get_by_label("Tenant").locator("option", has_text="Rita's Flowers").wait_for(state="attached")

    # A widget key's origins change in place (a merge patch of the origins alone); its key stays.
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Widget keys").click()
    page.get_by_role("heading", name="Widget keys", level=1).wait_for()
    page.get_by_role("button", name="Edit default").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Allowed origins").fill("https://old.example\nhttps://new.example:8443")
    with page.expect_request(lambda r: r.method == "PATCH") as sent:
        dialog.get_by_role("button", name="Save changes").click()
    assert sent.value.post_data_json == {"allowed_origins": ["https://old.example", "https://new.example:8443"]}
    page.get_by_test_id("widget-key-row").filter(has_text="https://new.example:8443").wait_for()
    stored = db.value("select allowed_origins from widget_keys where id = $1", key["id"])
    assert stored == ["https://old.example", "https://new.example:8443"]
