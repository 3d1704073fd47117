"""The admin console in real headless Chromium: the app as `create_app` builds it (serving the console at /console/
from web/dist/console, with the console's CSP), the dev identity provider, the simulator and a worker, over real
sockets; every action is a click in the browser. The console is the built SPA: `npm run build` in web/ (`./run
setup` does it). A page error or a Content-Security-Policy violation fails the test that caused it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from devtools.identity_provider import start_dev_idp
from devtools.simulator.control import SimulatorControl
from tests.browser.conftest import chromium_path
from tests.identity.conftest import Idp, identity_settings
from tests.support.stack import WorkerThread

WEB = Path(__file__).resolve().parents[2] / "web"
CONSOLE = WEB / "dist" / "console"
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def console_idp() -> Iterator[Idp]:
    port = free_port()
    proc = start_dev_idp(port)
    yield Idp(f"http://127.0.0.1:{port}")
    proc.terminate()
    proc.wait(10)


class Console:
    def __init__(self, url: str, settings: Any, idp: Idp) -> None:
        self.url, self.settings, self.idp = url, settings, idp
        self.http = httpx.Client(base_url=url, timeout=30)


@pytest.fixture(scope="session")
def console(database_url: str, sim_server: ServerThread, console_idp: Idp) -> Iterator[Console]:
    if not (CONSOLE / "index.html").exists():
        pytest.fail("web/dist/console is missing: run `./run setup` (npm ci && npm run build in web/)")
    port = free_port()
    settings = identity_settings(database_url, sim_server.url, f"http://127.0.0.1:{port}", console_idp, None)
    worker = WorkerThread(settings).start()
    try:
        with ServerThread(create_app(settings), port=port) as server:
            made = Console(server.url, settings, console_idp)
            yield made
            made.http.close()
    finally:
        worker.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium_path(),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def open_console(chromium: Any, console: Console) -> Iterator[Callable[..., Any]]:
    """`open_console(sub)`: a fresh browser context signed in as `sub` through the dev provider's form, on
    /console/. Fails the test on any uncaught page error or CSP violation."""
    contexts: list[Any] = []
    problems: list[str] = []

    def open_(sub: str, viewport: dict[str, int] | None = None, invitation: str | None = None) -> Any:
        context = chromium.new_context(
            viewport=viewport or {"width": 1280, "height": 900},
            permissions=["clipboard-read", "clipboard-write"],
            reduced_motion="reduce",  # no transitions: a dialog is scanned as it is shown, not half faded in
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )
        invited = f"&invitation={invitation}" if invitation else ""
        page.goto(f"{console.url}/auth/login/dev?next=/console/{invited}")
        page.locator("input[name=sub]").fill(sub)
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{console.url}/console/**")
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not problems, problems


def axe_scan(page: Any) -> list[dict[str, Any]]:
    """axe-core (web/node_modules/axe-core) on the page as it is: the serious and critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # The console's CSP allows only its own scripts: evaluate the source rather than adding a <script> tag.
        page.evaluate(AXE.read_text())
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
    violations = json.loads(result)["violations"]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "why": n.get("failureSummary", "")} for n in v["nodes"]][:5],
        }
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def simulator_keys(sim: SimulatorControl) -> Callable[[str], dict[str, str]]:
    """Fresh provider keys the simulator accepts, to type into the console."""
    import secrets

    def make(name: str) -> dict[str, str]:
        keys = {
            "openai": f"sk-{name}-{secrets.token_hex(8)}",
            "avaturn": f"av-{name}-{secrets.token_hex(8)}",
            "cartesia": f"sk_car_{name}{secrets.token_hex(8)}",
        }
        for provider, key in keys.items():
            sim.add_key(provider, key)
        return keys

    return make


def api(page: Any, method: str, path: str, body: Any = None) -> Any:
    """Seeding through the signed-in browser's own cookie (the API, not the console under test): CSRF token from
    /auth/me and this origin, as the console sends them."""
    base = page.url.split("/console")[0]
    csrf = page.request.get(f"{base}/auth/me").json()["csrf_token"]
    resp = page.request.fetch(f"{base}{path}", method=method, headers={"X-CSRF-Token": csrf, "Origin": base}, data=body)
    assert resp.ok, f"{method} {path}: {resp.status} {resp.text()}"
    return resp.json() if resp.status != 204 else None


def equip(page: Any, keys: dict[str, str], agent: str = "front-desk") -> None:
    """Provider keys and an agent, seeded through the API."""
    for provider in ("openai", "avaturn"):
        api(page, "POST", "/v1/credentials", {"provider": provider, "secret": keys[provider]})
    api(
        page,
        "POST",
        "/v1/agents",
        {"slug": agent, "name": agent.replace("-", " ").title(), "engine": {"type": "openai-realtime"}},
    )
