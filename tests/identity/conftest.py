"""Sign-in over real sockets: the dev identity provider (oidc-provider-mock), a strict authlib provider, app
instances."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli.serving import ServerThread, free_port, wait_http
from app.main import create_app
from app.settings import Settings
from devtools.identity_provider import provider_config, start_dev_idp
from tests.support.stack import settings_for

STRICT_CLIENT, STRICT_SECRET = "greenroom-test", "strict-secret-0123456789"
OPERATOR_SUB = "olga"


class Idp:
    def __init__(self, url: str) -> None:
        self.url = url

    def control(self, **values: Any) -> None:
        assert httpx.post(f"{self.url}/__control", json=values).status_code == 200

    def verifiers(self) -> list[str | None]:
        return httpx.get(f"{self.url}/__verifiers").json()

    def user(self, email: str | None = None, verified: bool = True, name: str | None = None) -> str:
        """A fresh user on the dev provider (its `PUT /users/{sub}`); returns the subject."""
        sub = "u-" + secrets.token_hex(4)
        claims = {"email": email or f"{sub}@example.com", "email_verified": verified, "name": name or sub.title()}
        assert httpx.put(f"{self.url}/users/{sub}", json=claims).status_code == 204
        return sub


def equip(owner: Browser, sim: Any, name: str) -> None:
    """Through the signed-in owner: OpenAI and Avaturn keys the simulator accepts, and an agent `front-desk`."""
    for provider, prefix in (("openai", "sk"), ("avaturn", "av")):
        key = f"{prefix}-{name}-{secrets.token_hex(8)}"
        sim.add_key(provider, key)
        assert owner.send("POST", "/v1/credentials", json={"provider": provider, "secret": key}).status_code == 201
    agent = {"slug": "front-desk", "name": "Front desk", "engine": {"type": "openai-realtime"}}
    assert owner.send("POST", "/v1/agents", json=agent).status_code == 201


class Browser:
    """A browser stand-in: one cookie jar, redirects followed by hand so each hop can be checked."""

    def __init__(self, app_url: str) -> None:
        self.app_url = app_url
        self.http = httpx.Client(base_url=app_url, timeout=30)

    def start(self, provider: str = "dev", **params: str) -> httpx.Response:
        resp = self.http.get(f"/auth/login/{provider}", params=params)
        assert resp.status_code == 302, resp.text
        return resp

    def at_provider(self, login: httpx.Response, sub: str | None) -> str:
        """The provider's answer: the callback URL (dev: a form POST of `sub`; strict: it signs in whoever it is
        told)."""
        url = login.headers["location"]
        answer = httpx.post(url, data={"sub": sub}) if sub else httpx.get(url)
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]

    def sign_in(self, sub: str | None = "alice", provider: str = "dev", **params: str) -> httpx.Response:
        return self.http.get(self.at_provider(self.start(provider, **params), sub))

    def me(self) -> dict[str, Any]:
        resp = self.http.get("/auth/me")
        assert resp.status_code == 200, resp.text
        return resp.json()

    def send(
        self, method: str, path: str, *, origin: str | None = None, csrf: str | None = "auto", **kw: Any
    ) -> httpx.Response:
        headers = dict(kw.pop("headers", {}))
        headers["Origin"] = origin or self.app_url
        if csrf == "auto":
            csrf = self.me()["csrf_token"]
        if csrf:
            headers["X-CSRF-Token"] = csrf
        return self.http.request(method, path, headers=headers, **kw)

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="session")
def app_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def dev_idp() -> Iterator[Idp]:
    port = free_port()
    proc = start_dev_idp(port)
    yield Idp(f"http://127.0.0.1:{port}")
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def strict_idp(app_port: int) -> Iterator[Idp]:
    port = free_port()
    redirects = ",".join(f"http://127.0.0.1:{app_port}/auth/callback/{name}" for name in ("strict", "gh", "strict2"))
    script = Path(__file__).with_name("strict_idp.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(port), STRICT_CLIENT, STRICT_SECRET, redirects],
        env={"PYTHONWARNINGS": "ignore", "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    idp = Idp(f"http://127.0.0.1:{port}")
    wait_http(f"{idp.url}/.well-known/openid-configuration", proc=proc, what="the identity provider")
    yield idp
    proc.terminate()
    proc.wait(10)


def identity_settings(
    database_url: str, sim_url: str, app_url: str, dev_idp: Idp, strict_idp: Idp | None, **overrides: Any
) -> Settings:
    dev_port = int(dev_idp.url.rsplit(":", 1)[1])
    providers: dict[str, Any] = {"dev": provider_config(dev_port)}
    if strict_idp is not None:
        strict = {"issuer": strict_idp.url, "client_id": STRICT_CLIENT, "client_secret": STRICT_SECRET}
        providers["strict"] = strict
        # Same client registered with a second name: the two must not be confusable (mix-up attacks).
        providers["strict2"] = {**strict, "issuer": strict_idp.url + "/"}
        providers["gh"] = {
            "preset": "github",
            "client_id": STRICT_CLIENT,
            "client_secret": STRICT_SECRET,
            "authorization_endpoint": f"{strict_idp.url}/authorize",
            "token_endpoint": f"{strict_idp.url}/token",
            "userinfo_endpoint": f"{strict_idp.url}/user",
            "scopes": ["email"],
        }
    values: dict[str, Any] = {
        "dev_mode": True,
        "identity_providers": providers,
        "operator_accounts": [f"{dev_idp.url}#{OPERATOR_SUB}"],
    }
    values.update(overrides)
    return settings_for(database_url, sim_url, app_url, **values)


@pytest.fixture(scope="session")
def identity_app(
    database_url: str, sim_server: ServerThread, dev_idp: Idp, strict_idp: Idp, app_port: int
) -> Iterator[ServerThread]:
    """Dev mode on http://127.0.0.1: cookies without Secure, so the test's cookie jar sends them."""
    settings = identity_settings(database_url, sim_server.url, f"http://127.0.0.1:{app_port}", dev_idp, strict_idp)
    with ServerThread(create_app(settings), port=app_port) as server:
        server.settings = settings  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def browser(identity_app: ServerThread) -> Iterator[Browser]:
    b = Browser(identity_app.url)
    yield b
    b.close()


@pytest.fixture
def new_browser(identity_app: ServerThread) -> Iterator[Any]:
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(identity_app.url))
        return made[-1]

    yield make
    for b in made:
        b.close()


@pytest.fixture
def owner(new_browser: Any, dev_idp: Idp) -> Browser:
    """A fresh user who signed up: owner of a fresh tenant."""
    b = new_browser()
    assert b.sign_in(dev_idp.user()).status_code == 303
    return b
