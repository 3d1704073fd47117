"""The widget's own lifecycle in real headless Chromium, with the real @avaturn-live/web-sdk against the simulator.

A simulator fault holds the SDK's first call (`GET /_sdk/v0/sessions`) until the page hangs up, so the widget
stays `connecting` the way it does for a visitor whose video is slow to come up. Guarantees:

- from the moment its session exists, also while the video is still connecting, the widget beats often enough
  that the reaper's rule (with the grace this app's settings give) never picks its session;
- removing the element, `pagehide`, the page becoming hidden, and leaving the page each end the session
  (`client_ended` in the database) and, through the worker, at the provider;
- a session the server ended makes the widget stop and say so, without an end request of its own.

This app instance tells widgets to beat every second. Which process reaps matters: the shared stack's worker
reaps with the default 60 s grace, so a dead heartbeat loop would not get this session reaped within the test.
The tests therefore read `last_heartbeat_at` (ground truth), check that no gap between the widget's beats reached
the grace this app's settings give the reaper (3 × interval, the production rule), and apply the reaper's own
rule (`due_reason`) to the row. A passthrough recorder around the page's `fetch` (installed before widget.js
loads) tells what the widget asked for and when, synchronously, so "it sent no end request" is a sound check.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from app.broker.reaper import ReaperConfig, due_reason
from app.cli.serving import ServerThread
from devtools.simulator.control import SimulatorControl
from tests.browser.conftest import serve_demo_site
from tests.support.asserts import wait_for
from tests.support.database import Db

pytestmark = pytest.mark.browser

INTERVAL_S = 1  # the shortest the settings allow; the grace stays the production rule, 3 × interval
WIDGET_JS = "document.querySelector('greenroom-avatar')"
# Records each fetch the page makes (url, method, keepalive, when issued, when answered), then passes it on.
FETCH_RECORDER = """
(() => {
  const calls = [];
  const real = window.fetch.bind(window);
  window.__fetches = calls;
  window.fetch = (input, init = {}) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const call = {url, method: (init.method || "GET").toUpperCase(), keepalive: !!init.keepalive,
                  at: performance.now(), answered: null};
    calls.push(call);
    const answer = real(input, init);
    answer.then(() => { call.answered = performance.now(); }, () => undefined);
    return answer;
  };
})();
"""


@pytest.fixture(scope="module")
def site(database_url: str, sim_server: ServerThread, sim: SimulatorControl, stack) -> Iterator[dict]:
    """An app instance that tells widgets to beat every second; its /demo embeds a fresh tenant's widget key."""
    with serve_demo_site(database_url, sim_server.url, sim, "lifecycle", heartbeat_interval_s=INTERVAL_S) as made:
        yield made


@pytest.fixture
def connecting(site: dict, browser: Any, sim: SimulatorControl, db: Db) -> Iterator[dict]:
    """The demo page with its widget holding a session while the SDK's first call is held: `connecting`."""
    held = sim.fault("sdk", timeout=True, times=1)
    page = browser.new_page()
    page.add_init_script(FETCH_RECORDER)
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        page.goto(f"{site['url']}/demo")
        page.wait_for_function(f"{WIDGET_JS}?.sessionId", timeout=15_000)
        session_id = uuid.UUID(page.evaluate(f"{WIDGET_JS}.sessionId"))
        # The SDK is inside init(): its session call reached the simulator and is being held there.
        wait_for(
            lambda: [r for r in sim.requests("sdk") if r["fault"] == held["id"] and r["path"] == "/_sdk/v0/sessions"],
            10,
            "the SDK's session call to be held by the simulator",
        )
        row = db.fetch("select * from sessions where id = $1", session_id)[0]
        assert row["tenant_id"] == site["tenant"].tenant_id and row["state"] == "active", row
        yield {
            "page": page,
            "session_id": session_id,
            "upstream_id": row["upstream_session_id"],
            "held": held,
            "errors": page_errors,
        }
    finally:
        page.close()  # hangs up the held SDK call


def widget_state(page: Any) -> str:
    return page.evaluate(f"{WIDGET_JS}.dataset.state")


def session_row(db: Db, session_id: uuid.UUID) -> dict[str, Any]:
    return db.fetch("select * from sessions where id = $1", session_id)[0]


def fetches(page: Any, path_end: str) -> list[dict[str, Any]]:
    return [c for c in page.evaluate("window.__fetches") if c["url"].endswith(path_end)]


def assert_ended_by_the_visitor(db: Db, sim: SimulatorControl, c: dict) -> None:
    """`client_ended` in the database, then (the worker's DELETE) ended at the provider."""
    row = wait_for(
        lambda: (r := session_row(db, c["session_id"]))["state"] != "active" and r, 10, "the session to leave `active`"
    )
    assert (row["state"], row["end_reason"]) == ("ended", "client_ended"), row
    upstream = wait_for(
        lambda: (s := sim.session(c["upstream_id"])) and not s["alive"] and s, 15, "the provider's session to end"
    )
    assert upstream["end_cause"] == "deleted", upstream


def test_widget_beats_while_the_video_connects_and_ends_when_removed(
    connecting: dict, site: dict, sim: SimulatorControl, db: Db
) -> None:
    page, session_id = connecting["page"], connecting["session_id"]
    grace_s = ReaperConfig.from_settings(site["settings"]).heartbeat_grace_s
    assert grace_s == 3 * INTERVAL_S

    # Ground truth: last_heartbeat_at advances at least twice while the video is still connecting.
    stamps: set[Any] = set()

    def two_advances() -> bool:
        stamp = session_row(db, session_id)["last_heartbeat_at"]
        if stamp is not None:
            stamps.add(stamp)
        return len(stamps) >= 3

    wait_for(two_advances, 10 * INTERVAL_S, "last_heartbeat_at to advance twice", every=0.2)
    assert widget_state(page) == "connecting"

    # Over more than the grace, no gap (session answered → beats → now) came near the reaper's rule.
    created = fetches(page, "/v1/widget/sessions")[0]
    page.wait_for_function(
        f"performance.now() - {created['answered']} > {(grace_s + INTERVAL_S) * 1000}",
        timeout=(grace_s + INTERVAL_S) * 1000 + 10_000,
    )
    beats, now = fetches(page, "/heartbeat"), page.evaluate("performance.now()")
    assert {(b["method"], b["url"]) for b in beats} == {
        ("POST", f"{site['url']}/v1/widget/sessions/{session_id}/heartbeat")
    }
    marks = [created["answered"], *(b["at"] for b in beats), now]
    gaps_ms = [round(b - a) for a, b in itertools.pairwise(marks)]
    assert max(gaps_ms) < grace_s * 1000, f"a gap between beats reached the {grace_s} s grace: {gaps_ms} ms"

    # The reaper's own rule, on the row, with this app's grace: not due; and all of it while the SDK was held.
    row = session_row(db, session_id)
    assert due_reason(SimpleNamespace(**row), db.value("select clock_timestamp()"), grace_s, 3600) is None, row
    assert row["state"] == "active" and widget_state(page) == "connecting"
    assert sim.session(connecting["upstream_id"])["sdk_calls"] == 0, "an SDK call completed: the video was not held"

    page.evaluate(f"window.__widget = {WIDGET_JS}; window.__widget.remove()")
    assert_ended_by_the_visitor(db, sim, connecting)
    assert page.evaluate("window.__widget.state") == "ended"
    ends = fetches(page, f"/v1/widget/sessions/{session_id}/end")
    assert [(e["method"], e["keepalive"]) for e in ends] == [("POST", True)], ends  # once, and it outlives the page
    assert not connecting["errors"], connecting["errors"]


HIDE = {
    # A synthetic pagehide: only the widget's pagehide handler runs, the page stays.
    "pagehide": "window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: false}))",
    # Headless Chromium never hides a page on its own: the property the widget reads, then the event.
    "visibilitychange": "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});"
    "document.dispatchEvent(new Event('visibilitychange'))",
}


@pytest.mark.parametrize("event", sorted(HIDE))
def test_widget_ends_its_session_when_the_page_is_hidden(
    event: str, connecting: dict, sim: SimulatorControl, db: Db
) -> None:
    page = connecting["page"]
    wait_for(
        lambda: session_row(db, connecting["session_id"])["last_heartbeat_at"], 10 * INTERVAL_S, "a first heartbeat"
    )
    assert widget_state(page) == "connecting"
    page.evaluate(HIDE[event])
    assert_ended_by_the_visitor(db, sim, connecting)
    assert widget_state(page) == "ended"
    assert not connecting["errors"], connecting["errors"]


def test_leaving_the_page_ends_the_session(connecting: dict, sim: SimulatorControl, db: Db) -> None:
    """A real navigation away: pagehide and visibilitychange fire while the page unloads, and the end request
    still reaches the app. (Here it arrives even without `keepalive`, so the flag itself is pinned by the
    removal test above and by Vitest.)"""
    page = connecting["page"]
    assert widget_state(page) == "connecting"
    page.goto("about:blank")
    assert_ended_by_the_visitor(db, sim, connecting)


def test_widget_stops_when_the_server_ended_the_session(
    connecting: dict, site: dict, sim: SimulatorControl, db: Db
) -> None:
    """Terminated through the API: the next beat tells the widget, which says so and sends no end of its own."""
    page, session_id = connecting["page"], connecting["session_id"]
    wait_for(lambda: session_row(db, session_id)["last_heartbeat_at"], 10 * INTERVAL_S, "a first heartbeat")
    resp = httpx.delete(
        f"{site['url']}/v1/sessions/{session_id}",
        timeout=10,
        headers={"Authorization": f"Bearer {site['tenant'].server_key}"},
    )
    assert resp.status_code == 202, resp.text
    page.wait_for_function(f"{WIDGET_JS}.dataset.state === 'ended'", timeout=10 * INTERVAL_S * 1000)
    status = page.evaluate(f"{WIDGET_JS}.shadowRoot.querySelector('[part=status]').textContent")
    assert status == "This conversation was ended.", status
    # Had the widget sent an end request, it would have been issued before the state changed (same task): none was.
    assert fetches(page, f"/v1/widget/sessions/{session_id}/end") == []
    row = session_row(db, session_id)
    assert (row["state"], row["end_reason"]) == ("terminated", "api_terminated"), row
    upstream = wait_for(
        lambda: (s := sim.session(connecting["upstream_id"])) and not s["alive"] and s,
        15,
        "the provider's session to end",
    )
    assert upstream["end_cause"] == "deleted", upstream
    assert not connecting["errors"], connecting["errors"]
