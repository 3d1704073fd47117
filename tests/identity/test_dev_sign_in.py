"""The newcomer's path: `greenroom dev`, the printed sign-in URL, `alice` signs in and owns the Demo tenant."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from app.cli.serving import free_port
from tests.cli.test_dev_stack import ctrl_c, start_dev, wait_banner


def test_greenroom_dev_prints_a_sign_in_url_that_works(tmp_path: Path) -> None:
    port = free_port()
    proc = start_dev(tmp_path / "data", port, tmp_path / "dev.log")
    try:
        banner = wait_banner(proc, tmp_path / "dev.log")
        url = re.search(r"Sign in\s+(\S+)", banner).group(1)  # type: ignore[union-attr]
        with httpx.Client(timeout=30) as browser:
            login = browser.get(url)
            assert login.status_code == 302
            callback = httpx.post(login.headers["location"], data={"sub": "alice"}).headers["location"]
            assert browser.get(callback).status_code == 303
            me = browser.get(f"http://127.0.0.1:{port}/auth/me").json()
            assert [(m["tenant_slug"], m["role"]) for m in me["memberships"]] == [("demo", "owner")]
            assert browser.get(f"http://127.0.0.1:{port}/v1/agents").json()["items"][0]["slug"] == "demo"
            assert "Alice" in browser.get(f"http://127.0.0.1:{port}/").text
    finally:
        assert ctrl_c(proc) == 0
