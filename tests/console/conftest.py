"""The admin console in real headless Chromium: the app as `create_app` builds it, the dev identity provider, the
simulator and a worker, over real sockets; every action is a click in the browser.

The console is the built SPA in web/dist/console (`npm run build` in web/). The app serves it at /console/
(docs/architecture.md). Until that route is in every build of the app this suite runs against, `console_asgi`
serves the same files the same way in front of the app, for these tests only: index.html for every other
/console path (no-cache, the page CSP of the contract, `Referrer-Policy: no-referrer` like the app's other
pages), hashed assets long-cached.
"""

from __future__ import annotations

import json
import mimetypes
import re
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

CONSOLE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
ASSET = re.compile(r"^/console/assets/([A-Za-z0-9_.-]+)$")


def serves_console(app: Any) -> bool:
    return any(route.path == "/console" or route.path.startswith("/console/") for route in app.routes)


def console_asgi(app: Any) -> Any:
    """The app, with /console served from web/dist/console in front of it (a stand-in for the app's own route)."""

    async def respond(send: Any, status: int, body: bytes, headers: dict[str, str]) -> None:
        raw = [(k.lower().encode(), v.encode()) for k, v in {**headers, "content-length": str(len(body))}.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/console" or path.startswith("/console/")):
            await app(scope, receive, send)
            return
        if match := ASSET.match(path):
            file = CONSOLE / "assets" / match.group(1)
            if not file.is_file():
                await respond(send, 404, b"not found", {"content-type": "text/plain"})
                return
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            headers = {"content-type": kind, "cache-control": "public, max-age=31536000, immutable"}
            await respond(send, 200, file.read_bytes(), headers)
            return
        headers = {
            "content-type": "text/html; charset=utf-8",
            "cache-control": "no-cache",
            "content-security-policy": CONSOLE_CSP,
            "referrer-policy": "no-referrer",
            "x-frame-options": "DENY",
            "x-content-type-options": "nosniff",
        }
        await respond(send, 200, (CONSOLE / "index.html").read_bytes(), headers)

    return asgi


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
    app = create_app(settings)
    served = app if serves_console(app) else console_asgi(app)
    try:
        with ServerThread(served, port=port) as server:
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
