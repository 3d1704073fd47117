"""Ground truth and the Python API: keys never appear in plaintext; reset keeps keys."""

from __future__ import annotations

import json
from typing import Any

import httpx


def test_no_plaintext_key_anywhere(sim: Any) -> None:
    token = sim.http.post(
        "/access-token",
        json={"grants": {"agent": True}, "expires_in": 60},
        headers={**sim.auth(sim.cartesia_key), "Cartesia-Version": "2026-03-01"},
    ).json()["token"]
    sim.session()
    sim.create(
        {"conversation_engine": {"type": "cartesia", "access_token": token, "agent_id": "a"}}, key=sim.avaturn_key_2
    )
    sim.create(key="av-wrong-PLAINTEXT")
    sim.control.fault("sdk", latency_ms=1)
    dumps = json.dumps(
        [sim.http.get(f"/__sim/{p}").json() for p in ("sessions", "secrets", "faults", "requests", "clock")]
    )
    for key in (*sim.all_keys, "av-wrong-PLAINTEXT"):
        assert key not in dumps
    fingerprints = {s["key_fingerprint"] for s in sim.control.sessions()}
    assert len(fingerprints) == 2 and all(len(f) == 12 for f in fingerprints)


def test_reset_clears_state_but_keeps_keys(sim: Any) -> None:
    sim.session()
    sim.control.fault("avaturn.create", status=500)
    sim.control.add_key("avaturn", "av-added-later")
    sim.control.reset()
    assert sim.control.sessions() == [] and sim.control.secrets() == [] and sim.control.faults() == []
    assert sim.create(key="av-added-later").status_code == 200
    assert httpx.get(f"{sim.url}/__sim/health").json() == {"ok": True}


def test_requests_are_logged_per_route(sim: Any) -> None:
    sim.session()
    routes = [r["route"] for r in sim.control.requests()]
    assert routes == ["openai.client_secrets", "avaturn.create"]
    assert sim.control.requests("avaturn.create")[0]["status"] == 200
