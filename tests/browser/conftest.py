"""Real headless Chromium (Debian's, through Playwright's python API) for the browser tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

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
        b = p.chromium.launch(executable_path=chromium_path(), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"])
        yield b
        b.close()
