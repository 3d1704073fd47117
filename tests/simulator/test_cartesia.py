"""Cartesia POST /access-token."""

from __future__ import annotations

from typing import Any

import pytest

VERSION = {"Cartesia-Version": "2026-03-01"}


def test_token_is_minted_and_recorded(sim: Any) -> None:
    resp = sim.http.post(
        "/access-token",
        json={"grants": {"agent": True}, "expires_in": 300},
        headers={**sim.auth(sim.cartesia_key), **VERSION},
    )
    assert resp.status_code == 200
    token = resp.json()["token"]
    [truth] = sim.control.secrets()
    assert truth["value"] == token and truth["kind"] == "cartesia_access_token"
    assert truth["expires_at"] == pytest.approx(truth["created_at"] + 300)


@pytest.mark.parametrize(
    ("key", "version", "body", "status"),
    [
        ("sk_car_unknown", True, {"expires_in": 300}, 401),
        (None, True, {"expires_in": 300}, 401),
        ("good", False, {"expires_in": 300}, 400),
        ("good", True, {"grants": {"agent": True}, "expires_in": 0}, 400),
        ("good", True, {"grants": {"agent": True}, "expires_in": 3601}, 400),
        ("good", True, {"grants": ["agent"], "expires_in": 60}, 400),
    ],
)
def test_rejections(sim: Any, key: str | None, version: bool, body: dict[str, Any], status: int) -> None:
    headers = dict(VERSION) if version else {}
    if key is not None:
        headers.update(sim.auth(sim.cartesia_key if key == "good" else key))
    resp = sim.http.post("/access-token", json=body, headers=headers)
    assert resp.status_code == status
    assert resp.json()["message"] and "title" in resp.json()
    assert sim.control.secrets() == []
