"""The newcomer's path: `greenroom dev`, the printed app URL, its sign-in button, `alice` signs in, owns the Demo
tenant and is sent on to the console."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from app.cli.serving import free_port
from tests.cli.test_dev_stack import ctrl_c, start_dev, wait_banner


def test_greenroom_dev_prints_an_app_url_whose_sign_in_works(tmp_path: Path) -> None:
    port = free_port()
    proc = start_dev(tmp_path / "data", port, tmp_path / "dev.log")
    try:
        banner = wait_banner(proc, tmp_path / "dev.log")
        app = re.search(r"App\s+(\S+)", banner).group(1)  # type: ignore[union-attr]
        assert "alice" in banner and re.search(r"Console\s+" + re.escape(app) + "/console/", banner)
        with httpx.Client(base_url=app, timeout=30) as browser:
            start = browser.get("/")
            button = re.search(r"href='(/auth/login/[^']+)'", start.text).group(1)  # type: ignore[union-attr]
            assert "alice" in start.text  # the sign-in page says whom to sign in as, in dev
            login = browser.get(button)
            assert login.status_code == 302
            callback = httpx.post(login.headers["location"], data={"sub": "alice"}).headers["location"]
            assert browser.get(callback).status_code == 303
            me = browser.get("/auth/me").json()
            assert [(m["tenant_slug"], m["role"]) for m in me["memberships"]] == [("demo", "owner")]
            assert "Alice" in me["user"]["name"]
            assert browser.get("/v1/agents").json()["items"][0]["slug"] == "demo"
            assert browser.get("/").headers["location"] == "/console/"
            # A key of her own, typed as the README and /auth/me's dev hint say: the dev simulator takes it.
            assert me["dev_hint"]["simulator_key_prefixes"]["openai"] == "sk-dev-"
            unsafe = {"X-CSRF-Token": me["csrf_token"], "Origin": app}
            for provider, prefix in me["dev_hint"]["simulator_key_prefixes"].items():
                saved = browser.post(
                    "/v1/credentials", json={"provider": provider, "secret": f"{prefix}alice-own"}, headers=unsafe
                )
                assert saved.status_code == 201 and saved.json()["status"] == "valid", saved.text
            refused = browser.post(
                "/v1/credentials", json={"provider": "openai", "secret": "sk-mine-0123456789abcdef"}, headers=unsafe
            )
            assert refused.status_code == 422 and refused.json()["type"] == "/problems/credential-invalid"
    finally:
        assert ctrl_c(proc) == 0
