"""`greenroom dev`'s simulator also takes the documented dev keys (`sk-dev-…`, `av-dev-…`, `sk_car_dev…`), so a
newcomer's own key works; the tests' simulator never does, and neither takes a key that is only the prefix."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from app.cli.serving import ServerThread
from app.identity.service import dev_hint
from app.settings import Settings
from app.vault.shape import DEV_SIMULATOR_PREFIXES, check_shape
from devtools.simulator import SimulatorConfig, create_simulator_app
from devtools.simulator.state import DEV_KEY_PREFIXES


def accepted(url: str, provider: str, key: str) -> bool:
    """Each provider's own key check, as Greenroom's verification calls it (a 401 means refused)."""
    auth = {"Authorization": f"Bearer {key}"}
    if provider == "openai":
        resp = httpx.post(f"{url}/v1/realtime/client_secrets", json={"session": {"type": "realtime"}}, headers=auth)
    elif provider == "avaturn":
        resp = httpx.delete(f"{url}/api/v1/sessions/00000000-0000-4000-8000-000000000000", headers=auth)
    else:
        resp = httpx.post(
            f"{url}/access-token",
            json={"grants": {"agent": True}, "expires_in": 10},
            headers={"Authorization": f"Bearer {key}", "Cartesia-Version": "2025-04-16"},
        )
    return resp.status_code != 401


@pytest.fixture(scope="module")
def dev_sim() -> Iterator[str]:
    with ServerThread(create_simulator_app(SimulatorConfig(accept_dev_keys=True))) as server:
        yield server.url


@pytest.mark.parametrize("provider", ["openai", "avaturn", "cartesia"])
def test_the_dev_simulator_takes_a_key_of_the_dev_pattern(
    dev_sim: str, sim_server: ServerThread, provider: str
) -> None:
    prefix = DEV_KEY_PREFIXES[provider]
    assert accepted(dev_sim, provider, prefix + "mine")
    assert not accepted(dev_sim, provider, prefix)  # the prefix alone is no key
    assert not accepted(
        dev_sim, provider, {"openai": "sk-", "avaturn": "av-", "cartesia": "sk_car_"}[provider] + "mine"
    )
    # The tests' simulator (the shared one) takes only the keys a test added.
    assert not accepted(sim_server.url, provider, prefix + "mine")


def test_the_app_names_the_simulators_dev_keys_and_only_in_dev_mode() -> None:
    assert DEV_SIMULATOR_PREFIXES == DEV_KEY_PREFIXES
    for provider, prefix in DEV_SIMULATOR_PREFIXES.items():
        check_shape(provider, prefix + "mine")  # a dev key passes the provider's shape check before verification
    hint = dev_hint(Settings(dev_mode=True))
    assert hint is not None and hint.simulator_key_prefixes == DEV_KEY_PREFIXES and "sk-dev-mine" in hint.note
    assert dev_hint(Settings(dev_mode=False)) is None
