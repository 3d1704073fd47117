"""The real openai SDK against the simulated POST /v1/realtime/client_secrets."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest


def test_mint_parses_with_the_real_sdk(sim: Any) -> None:
    with sim.openai() as c:
        secret = c.realtime.client_secrets.create(
            expires_after={"anchor": "created_at", "seconds": 120}, session=sim.session_config
        )
    assert secret.value.startswith("ek_")
    assert abs(secret.expires_at - (sim.control.now() + 120)) < 5
    assert secret.session.type == "realtime" and secret.session.object == "realtime.session"
    assert secret.session.id.startswith("sess_")
    assert secret.session.instructions == "Be brief."
    assert secret.session.audio and secret.session.audio.output and secret.session.audio.output.voice == "marin"
    [truth] = sim.control.secrets()
    assert (
        truth["kind"] == "openai_client_secret" and truth["value"] == secret.value and truth["used_by_session"] is None
    )


def test_async_client_works_too(sim: Any) -> None:
    import asyncio

    async def mint() -> str:
        async with openai.AsyncOpenAI(api_key=sim.openai_key, base_url=f"{sim.url}/v1", max_retries=0) as c:
            return (
                await c.realtime.client_secrets.create(
                    expires_after={"anchor": "created_at", "seconds": 600}, session=sim.session_config
                )
            ).value

    assert asyncio.run(mint()).startswith("ek_")


def test_default_expiry_is_600s(sim: Any) -> None:
    resp = sim.http.post(
        "/v1/realtime/client_secrets", json={"session": sim.session_config}, headers=sim.auth(sim.openai_key)
    )
    assert resp.status_code == 200
    assert abs(resp.json()["expires_at"] - (sim.control.now() + 600)) < 5


def test_wrong_or_missing_key_is_401(sim: Any) -> None:
    with sim.openai("sk-wrong") as c, pytest.raises(openai.AuthenticationError) as err:
        c.realtime.client_secrets.create(session=sim.session_config)
    assert err.value.status_code == 401 and err.value.message
    resp = httpx.post(f"{sim.url}/v1/realtime/client_secrets", json={"session": sim.session_config})
    assert resp.status_code == 401
    assert set(resp.json()["error"]) == {"message", "type", "param", "code"} and resp.json()["error"]["message"]


def test_revoked_key_is_401(sim: Any) -> None:
    sim.control.revoke_key("openai", sim.openai_key)
    with sim.openai() as c, pytest.raises(openai.AuthenticationError):
        c.realtime.client_secrets.create(session=sim.session_config)


@pytest.mark.parametrize(
    "expires_after",
    [
        {"anchor": "last_used", "seconds": 600},
        {"anchor": "created_at", "seconds": 9},
        {"anchor": "created_at", "seconds": 7201},
    ],
)
def test_bad_expires_after_is_400(sim: Any, expires_after: dict[str, Any]) -> None:
    with sim.openai() as c, pytest.raises(openai.BadRequestError) as err:
        c.realtime.client_secrets.create(expires_after=expires_after, session=sim.session_config)
    assert err.value.status_code == 400
    assert isinstance(err.value.body, dict) and str(err.value.body.get("param", "")).startswith("expires_after")


@pytest.mark.parametrize("session", [None, {"model": "gpt-realtime"}, {"type": "chat"}])
def test_missing_or_bad_session_type_is_400(sim: Any, session: dict[str, Any] | None) -> None:
    body = {} if session is None else {"session": session}
    resp = sim.http.post("/v1/realtime/client_secrets", json=body, headers=sim.auth(sim.openai_key))
    assert resp.status_code == 400 and resp.json()["error"]["type"] == "invalid_request_error"
    assert sim.control.secrets() == []
