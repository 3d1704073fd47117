"""One simulator on a real socket for the whole module set; state reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import openai
import pytest

from app.cli.serving import ServerThread
from devtools.simulator import SimulatorConfig, SimulatorControl, create_simulator_app

OPENAI_KEY = "sk-test-openai-PLAINTEXT-0001"
AVATURN_KEY = "av-test-avaturn-PLAINTEXT-0002"
AVATURN_KEY_2 = "av-test-avaturn-PLAINTEXT-0003"
CARTESIA_KEY = "sk_car_test-PLAINTEXT-0004"
ALL_KEYS = (OPENAI_KEY, AVATURN_KEY, AVATURN_KEY_2, CARTESIA_KEY)
SESSION = {
    "type": "realtime",
    "model": "gpt-realtime",
    "instructions": "Be brief.",
    "audio": {"output": {"voice": "marin"}},
}


@dataclass
class Sim:
    """The running simulator, its control client, a plain HTTP client, and the keys it accepts."""

    url: str
    control: SimulatorControl
    http: httpx.Client
    openai_key: str = OPENAI_KEY
    avaturn_key: str = AVATURN_KEY
    avaturn_key_2: str = AVATURN_KEY_2
    cartesia_key: str = CARTESIA_KEY
    all_keys: tuple[str, ...] = ALL_KEYS

    @property
    def session_config(self) -> dict[str, Any]:
        return dict(SESSION)

    def openai(self, key: str | None = None) -> openai.OpenAI:
        return openai.OpenAI(api_key=key or OPENAI_KEY, base_url=f"{self.url}/v1", max_retries=0)

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or AVATURN_KEY}"}

    def mint(self, seconds: int = 600, key: str = OPENAI_KEY) -> str:
        with self.openai(key) as client:
            return client.realtime.client_secrets.create(
                expires_after={"anchor": "created_at", "seconds": seconds},
                session=SESSION,  # type: ignore[arg-type]
            ).value

    def create(self, body: dict[str, Any] | None = None, key: str = AVATURN_KEY, **extra: Any) -> httpx.Response:
        if body is None:
            body = {"conversation_engine": {"type": "openai-realtime", "client_secret": self.mint()}, **extra}
        return self.http.post("/api/v1/sessions", json=body, headers=self.auth(key))

    def session(self, **extra: Any) -> dict[str, Any]:
        resp = self.create(**extra)
        assert resp.status_code == 200, resp.text
        return dict(resp.json())


@pytest.fixture(scope="session")
def _server() -> Iterator[str]:
    config = SimulatorConfig(
        openai_keys={OPENAI_KEY}, avaturn_keys={AVATURN_KEY, AVATURN_KEY_2}, cartesia_keys={CARTESIA_KEY}
    )
    server = ServerThread(create_simulator_app(config)).start()
    yield server.url
    server.stop()


@pytest.fixture
def sim(_server: str) -> Iterator[Sim]:
    with SimulatorControl(_server) as control, httpx.Client(base_url=_server, timeout=10) as http:
        control.reset()
        for provider, key in (
            ("openai", OPENAI_KEY),
            ("avaturn", AVATURN_KEY),
            ("avaturn", AVATURN_KEY_2),
            ("cartesia", CARTESIA_KEY),
        ):
            control.add_key(provider, key)  # undo any revocation by an earlier test
        yield Sim(_server, control, http)
        control.clear_faults()
