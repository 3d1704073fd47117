"""The widget's own lifecycle in real headless Chromium, with the real @avaturn-live/web-sdk against the simulator.

A simulator fault holds the SDK's first call (`GET /_sdk/v0/sessions`) until the page hangs up, so the widget
stays `connecting` the way it does for a visitor whose video is slow to come up. Guarantees:

- from the moment its session exists, also while the video is still connecting, the widget beats often enough
  that the reaper's rule (with the grace this app's settings give) never picks its session;
- removing the element, `pagehide`, the page becoming hidden, and leaving the page each end the session
  (`client_ended` in the database) and, through the worker, at the provider.

This app instance beats every second. Which process reaps matters: the shared stack's worker reaps with the
default 60 s grace, so a dead heartbeat loop would not get this session reaped within the test; the tests instead
read `last_heartbeat_at` (ground truth) and apply the reaper's own rule (`due_reason`) with this app's grace.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from app.main import create_app
from app.serving import ServerThread, free_port
from app.simulator.control import SimulatorControl
from app.worker.reaper import ReaperConfig, due_reason
from tests.browser.conftest import WIDGET
from tests.support.database import Db, run
from tests.support.stack import make_tenant, settings_for

pytestmark = pytest.mark.browser

INTERVAL_S = 1  # the shortest the settings allow; the grace stays the production rule, 3 × interval
WIDGET_JS = "document.querySelector('greenroom-avatar')"


def until(predicate: Callable[[], Any], timeout: float, what: str, every: float = 0.05) -> Any:
    """Poll `predicate` until it returns something truthy (and return that), or fail saying what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


@pytest.fixture(scope="module")
def site(database_url: str, sim_server: ServerThread, sim: SimulatorControl, stack) -> Iterator[dict]:
    """An app instance that tells widgets to beat every second; its /demo embeds a fresh tenant's widget key."""
    assert WIDGET.exists(), "web/dist/widget.js is missing: run `./run setup` (npm ci && npm run build in web/)"
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    keys = {"openai": "sk-lifecycle-0123456789abcdef", "avaturn": "av-lifecycle-0123456789abcdef"}
    for provider, key in keys.items():
        sim.add_key(provider, key)
    # Same vault keys as the stack, whose worker sends the upstream DELETE once a session ends.
    settings = settings_for(database_url, sim_server.url, origin, heartbeat_interval_s=INTERVAL_S)
    tenant = run(make_tenant(settings, keys, origin=origin))
    settings = settings.model_copy(update={"demo_widget_key": tenant.widget_key})
    with ServerThread(create_app(settings), port=port) as app:
        yield {"url": app.url, "tenant": tenant, "settings": settings}


@pytest.fixture
def connecting(site: dict, browser: Any, sim: SimulatorControl, db: Db) -> Iterator[dict]:
    """The demo page with its widget holding a session while the SDK's first call is held: `connecting`."""
    held = sim.fault("sdk", timeout=True, times=1)
    page = browser.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        page.goto(f"{site['url']}/demo")
        page.wait_for_function(f"{WIDGET_JS}?.sessionId", timeout=15_000)
        session_id = uuid.UUID(page.evaluate(f"{WIDGET_JS}.sessionId"))
        # The SDK is inside init(): its session call reached the simulator and is being held there.
        until(lambda: [r for r in sim.requests("sdk") if r["fault"] == held["id"] and r["path"] == "/_sdk/v0/sessions"],
              10, "the SDK's session call to be held by the simulator")
        row = db.fetch("select * from sessions where id = $1", session_id)[0]
        assert row["tenant_id"] == site["tenant"].tenant_id and row["state"] == "active", row
        yield {"page": page, "session_id": session_id, "upstream_id": row["upstream_session_id"], "held": held,
               "errors": page_errors}
    finally:
        page.close()  # hangs up the held SDK call


def widget_state(page: Any) -> str:
    return page.evaluate(f"{WIDGET_JS}.dataset.state")


def session_row(db: Db, session_id: uuid.UUID) -> dict[str, Any]:
    return db.fetch("select * from sessions where id = $1", session_id)[0]


def assert_ended_by_the_visitor(db: Db, sim: SimulatorControl, c: dict) -> None:
    """`client_ended` in the database, then (the worker's DELETE) ended at the provider."""
    row = until(lambda: (r := session_row(db, c["session_id"]))["state"] != "active" and r, 10,
                "the session to leave `active`")
    assert (row["state"], row["end_reason"]) == ("ended", "client_ended"), row
    upstream = until(lambda: (s := sim.session(c["upstream_id"])) and not s["alive"] and s, 15,
                     "the provider's session to end")
    assert upstream["end_cause"] == "deleted", upstream


def test_widget_beats_while_the_video_connects_and_ends_when_removed(connecting: dict, site: dict, sim: SimulatorControl,
                                                                       db: Db) -> None:
    page, session_id = connecting["page"], connecting["session_id"]
    grace_s = ReaperConfig.from_settings(site["settings"]).heartbeat_grace_s
    assert grace_s == 3 * INTERVAL_S

    # last_heartbeat_at advances at least twice while the video is still connecting.
    stamps: set[Any] = set()

    def two_advances() -> bool:
        stamp = session_row(db, session_id)["last_heartbeat_at"]
        if stamp is not None:
            stamps.add(stamp)
        return len(stamps) >= 3

    until(two_advances, 10 * INTERVAL_S, "last_heartbeat_at to advance twice")
    assert widget_state(page) == "connecting"

    # Alive longer than the grace since it started, and the reaper's own rule still leaves it alone.
    until(lambda: db.value("select clock_timestamp() - started_at > make_interval(secs => $2) from sessions where id = $1",
                           session_id, grace_s + INTERVAL_S), 10, "the session to outlive the heartbeat grace")
    row = session_row(db, session_id)
    now = db.value("select clock_timestamp()")
    assert due_reason(SimpleNamespace(**row), now, grace_s, 3600) is None, row
    assert row["state"] == "active" and widget_state(page) == "connecting"
    # All of it while the SDK's session call was still held: no SDK call ever completed.
    assert sim.session(connecting["upstream_id"])["sdk_calls"] == 0

    page.evaluate(f"window.__widget = {WIDGET_JS}; window.__widget.remove()")
    assert_ended_by_the_visitor(db, sim, connecting)
    assert page.evaluate("window.__widget.state") == "ended"
    assert not connecting["errors"], connecting["errors"]


HIDE = {
    # A synthetic pagehide: only the widget's pagehide handler runs, the page stays.
    "pagehide": "window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: false}))",
    # Headless Chromium never hides a page on its own: the property the widget reads, then the event.
    "visibilitychange": "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});"
                        "document.dispatchEvent(new Event('visibilitychange'))",
}


@pytest.mark.parametrize("event", sorted(HIDE))
def test_widget_ends_its_session_when_the_page_is_hidden(event: str, connecting: dict, sim: SimulatorControl, db: Db) -> None:
    page = connecting["page"]
    until(lambda: session_row(db, connecting["session_id"])["last_heartbeat_at"], 10 * INTERVAL_S, "a first heartbeat")
    assert widget_state(page) == "connecting"
    page.evaluate(HIDE[event])
    assert_ended_by_the_visitor(db, sim, connecting)
    assert widget_state(page) == "ended"
    assert not connecting["errors"], connecting["errors"]


def test_leaving_the_page_ends_the_session(connecting: dict, sim: SimulatorControl, db: Db) -> None:
    """A real navigation away: the end request must survive the page (keepalive)."""
    page = connecting["page"]
    assert widget_state(page) == "connecting"
    page.goto("about:blank")
    assert_ended_by_the_visitor(db, sim, connecting)
