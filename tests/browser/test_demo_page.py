"""The demo page in real headless Chromium with the real @avaturn-live/web-sdk against the simulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.cli.serving import ServerThread
from devtools.simulator.control import SimulatorControl
from tests.browser.conftest import serve_demo_site
from tests.support.asserts import wait_for
from tests.support.database import Db

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_site(database_url: str, sim_server: ServerThread, sim: SimulatorControl, stack) -> Iterator[dict]:
    with serve_demo_site(database_url, sim_server.url, sim, "browser") as made:
        yield made


def test_demo_widget_gets_a_session_and_fails_readably_offline(
    demo_site, browser, sim: SimulatorControl, db: Db, stack
) -> None:
    page = browser.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.goto(f"{demo_site['url']}/demo")

    # The widget asked Greenroom for a session; the real SDK then called the simulator with its token.
    widget = page.locator("greenroom-avatar")
    page.wait_for_function("document.querySelector('greenroom-avatar')?.dataset.state === 'error'", timeout=30_000)
    tenant_id = demo_site["tenant"].tenant_id
    row = db.fetch(
        "select id, upstream_session_id, origin, state, end_reason from sessions where tenant_id = $1", tenant_id
    )[0]
    assert row["origin"] == demo_site["url"]
    upstream = sim.session(row["upstream_session_id"])
    assert upstream["sdk_calls"] >= 1, "the SDK never called GET /_sdk/v0/sessions with the session's token"

    # Joining the WebRTC room cannot work offline: the widget says so in plain words, the page survives.
    status = widget.get_attribute("data-state")
    text = page.evaluate(
        "document.querySelector('greenroom-avatar').shadowRoot.querySelector('[part=status]').textContent"
    )
    assert status == "error" and "could not" in text.lower(), text
    assert not page_errors, page_errors
    assert page.evaluate("document.querySelector('h1').textContent") == "Talk to our assistant"

    # After the error the widget ended its session, and the provider was told.
    wait_for(
        lambda: db.value("select state from sessions where id = $1", row["id"]) == "ended", 10, "the session to end"
    )
    assert db.value("select end_reason from sessions where id = $1", row["id"]) == "client_ended"
    page.close()
