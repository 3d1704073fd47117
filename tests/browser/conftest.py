"""Real headless Chromium (Debian's, through Playwright's python API) for the browser tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from devtools.simulator.control import SimulatorControl
from tests.identity.conftest import dev_idp  # noqa: F401  a session fixture shared with tests/identity
from tests.support.database import run
from tests.support.stack import make_tenant, settings_for

WIDGET = Path(__file__).resolve().parents[2] / "web" / "dist" / "widget.js"


def chromium_path() -> str:
    path = os.environ.get("GREENROOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is needed for the browser tests: `apt-get install chromium` (or set GREENROOM_CHROMIUM)")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
            ],
        )
        yield b
        b.close()


@contextmanager
def serve_demo_site(
    database_url: str, sim_url: str, sim: SimulatorControl, name: str, **overrides: object
) -> Iterator[dict]:
    """An app instance whose /demo embeds a fresh tenant's widget key, allowed on that app's origin.

    Same vault keys as the shared stack, whose worker sends the upstream DELETE once a session ends."""
    assert WIDGET.exists(), "web/dist/widget.js is missing: run `./run setup` (npm ci && npm run build in web/)"
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    keys = {"openai": f"sk-{name}-0123456789abcdef", "avaturn": f"av-{name}-0123456789abcdef"}
    for provider, key in keys.items():
        sim.add_key(provider, key)
    settings = settings_for(database_url, sim_url, origin, **overrides)
    tenant = run(make_tenant(settings, keys, origin=origin))
    settings = settings.model_copy(update={"demo_widget_key": tenant.widget_key})
    with ServerThread(create_app(settings), port=port) as app:
        yield {"url": app.url, "tenant": tenant, "settings": settings}
