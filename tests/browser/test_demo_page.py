"""The demo page in real headless Chromium with the real @avaturn-live/web-sdk against the simulator."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from app.main import create_app
from app.serving import ServerThread, free_port
from app.simulator.control import SimulatorControl
from tests.browser.conftest import WIDGET
from tests.support.database import Db, run
from tests.support.stack import make_tenant, settings_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_site(database_url: str, sim_server: ServerThread, sim: SimulatorControl, stack) -> Iterator[dict]:
    """An app instance whose /demo embeds a fresh tenant's widget key, allowed on that app's origin."""
    assert WIDGET.exists(), "web/dist/widget.js is missing: run `./run setup` (npm ci && npm run build in web/)"
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    keys = {"openai": "sk-browser-0123456789abcdef", "avaturn": "av-browser-0123456789abcdef"}
    for provider, key in keys.items():
        sim.add_key(provider, key)
    settings = settings_for(database_url, sim_server.url, origin)  # same vault keys as the stack, whose worker ends sessions
    tenant = run(make_tenant(settings, keys, origin=origin))
    settings = settings.model_copy(update={"demo_widget_key": tenant.widget_key})
    with ServerThread(create_app(settings), port=port) as app:
        yield {"url": app.url, "tenant": tenant}


def test_demo_widget_gets_a_session_and_fails_readably_offline(demo_site, browser, sim: SimulatorControl, db: Db, stack) -> None:
    page = browser.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.goto(f"{demo_site['url']}/demo")

    # The widget asked Greenroom for a session; the real SDK then called the simulator with its token.
    widget = page.locator("greenroom-avatar")
    page.wait_for_function("document.querySelector('greenroom-avatar')?.dataset.state === 'error'", timeout=30_000)
    tenant_id = demo_site["tenant"].tenant_id
    row = db.fetch("select id, upstream_session_id, origin, state, end_reason from sessions where tenant_id = $1", tenant_id)[0]
    assert row["origin"] == demo_site["url"]
    upstream = sim.session(row["upstream_session_id"])
    assert upstream["sdk_calls"] >= 1, "the SDK never called GET /_sdk/v0/sessions with the session's token"

    # Joining the WebRTC room cannot work offline: the widget says so in plain words, the page survives.
    status = widget.get_attribute("data-state")
    text = page.evaluate("document.querySelector('greenroom-avatar').shadowRoot.querySelector('[part=status]').textContent")
    assert status == "error" and "could not" in text.lower(), text
    assert not page_errors, page_errors
    assert page.evaluate("document.querySelector('h1').textContent") == "Talk to our assistant"

    # After the error the widget ended its session, and the provider was told.
    deadline = time.monotonic() + 10
    while db.value("select state from sessions where id = $1", row["id"]) != "ended" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert db.value("select end_reason from sessions where id = $1", row["id"]) == "client_ended"
    page.close()
