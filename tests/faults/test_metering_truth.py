"""Metering truth: a mixed minute of sessions, then every second on the ledger is checked against the provider.

Invariant: whatever ended a session — its client, a vanished client (heartbeats stopped), an admin's kill,
its maximum length, the tenant's minute budget running out, or a kill during a provider outage — its upstream
seconds on the ledger match the provider's record (the simulator's ground truth) within 1 s, the
reconciliation report is empty, and a budget is overshot by no more than a few seconds per live session.
It takes a little over a minute: Avaturn's shortest maximum length is 60 s.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest

from app.cli.serving import ServerThread
from app.main import create_app
from tests.faults.isolated import isolated
from tests.support.asserts import wait_for
from tests.support.database import run
from tests.support.stack import TenantKeys, make_tenant

pytestmark = pytest.mark.slow

OUTAGE_S = 8
OVERSHOOT_PER_SESSION_S = 8  # reaper interval (1 s here, 5 s by default) + DELETE delivery, with room for a busy CI


def test_every_metered_second_matches_the_provider() -> None:
    with isolated(heartbeat_grace_s=3, reaper_interval_s=1.0) as iso:
        short = run(make_tenant(iso.settings, iso.keys))
        budget = run(make_tenant(iso.settings, iso.keys))
        # Nobody joins these sessions: Avaturn's absent timeout must not end them before we do.
        iso.owner.execute("update agents set avatar = jsonb_set(avatar, '{user_absent_timeout}', '600')")
        iso.owner.execute("update tenants set max_session_s = 60 where id = $1", short.tenant_id)
        iso.owner.execute("update tenants set monthly_minutes = 2 where id = $1", budget.tenant_id)
        with ServerThread(create_app(iso.settings), port=iso.port) as app:
            began = time.monotonic()
            run(_scenario(app.url, iso.tenant, short, budget, iso.sim))
            _wait_all_metered(iso.owner, timeout_s=90)  # the 60 s sessions included
            elapsed = time.monotonic() - began
            figures = _compare(iso)
            for t in (iso.tenant, short, budget):
                found = httpx.get(f"{app.url}/v1/reports/reconciliation", headers=_auth(t.server_key)).json()
                assert found["mismatches"] == [], found
        billed = iso.owner.value(
            "select sum(billed_seconds) from usage_events where tenant_id = $1 and event = 'ended'", budget.tenant_id
        )
    reasons = ", ".join(f"{n} {r}" for r, n in sorted(figures["reasons"].items()))
    print(
        f"{figures['sessions']} sessions in {elapsed:.0f} s ({reasons}); ledger vs provider: max difference "
        f"{figures['max_diff_s'] * 1000:.0f} ms, mean {figures['mean_diff_s'] * 1000:.0f} ms; "
        f"budget of 120 s billed {billed} s"
    )
    assert figures["max_diff_s"] < 1.0, figures
    assert set(figures["reasons"]) >= {
        "client_ended",
        "heartbeat_lost",
        "api_terminated",
        "max_duration",
        "quota_exhausted",
    }
    assert 120 <= billed <= 120 + 2 * OVERSHOOT_PER_SESSION_S, billed


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def _scenario(url: str, main: TenantKeys, short: TenantKeys, budget: TenantKeys, sim) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        await asyncio.gather(
            *(_client_that_ends(http, main) for _ in range(3)),
            *(_client_that_vanishes(http, main) for _ in range(3)),
            *(_admin_kill(http, main, after_s=2 + i) for i in range(3)),
            *(_server_session(http, short) for _ in range(2)),  # run to their 60 s maximum
            *(_server_session(http, budget) for _ in range(2)),  # two sessions share two minutes of budget
            _outage_kills(http, main, sim),
        )


async def _widget_session(http: httpx.AsyncClient, t: TenantKeys) -> dict:
    resp = await http.post(
        "/v1/widget/sessions", json={"agent": "demo"}, headers={**_auth(t.widget_key), "Origin": t.origin}
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


async def _server_session(http: httpx.AsyncClient, t: TenantKeys) -> str:
    resp = await http.post("/v1/sessions", json={"agent": "demo"}, headers=_auth(t.server_key))
    assert resp.status_code == 201, resp.text
    return resp.json()["session_id"]


async def _client_that_ends(http: httpx.AsyncClient, t: TenantKeys) -> None:
    s = await _widget_session(http, t)
    headers = {**_auth(s["heartbeat"]["token"]), "Origin": t.origin}
    for _ in range(3):
        await asyncio.sleep(1)
        await http.post(f"/v1/widget/sessions/{s['session_id']}/heartbeat", headers=headers)
    assert (await http.post(f"/v1/widget/sessions/{s['session_id']}/end", headers=headers)).status_code == 200


async def _client_that_vanishes(http: httpx.AsyncClient, t: TenantKeys) -> None:
    await _widget_session(http, t)  # and never a heartbeat: the reaper ends it after the grace period


async def _admin_kill(http: httpx.AsyncClient, t: TenantKeys, after_s: float) -> None:
    sid = await _server_session(http, t)
    await asyncio.sleep(after_s)
    assert (await http.delete(f"/v1/sessions/{sid}", headers=_auth(t.server_key))).status_code == 202


async def _outage_kills(http: httpx.AsyncClient, t: TenantKeys, sim) -> None:
    """Kills while the provider refuses DELETEs: the provider's session runs on, and that time is billed."""
    sids = [await _server_session(http, t) for _ in range(3)]
    await asyncio.sleep(1)
    await asyncio.to_thread(sim.fault, "avaturn.delete", status=503)
    for sid in sids:
        await http.delete(f"/v1/sessions/{sid}", headers=_auth(t.server_key))
    await asyncio.sleep(OUTAGE_S)
    await asyncio.to_thread(sim.clear_faults)


def _wait_all_metered(owner, timeout_s: float) -> None:
    wait_for(
        lambda: (
            owner.value(
                "select count(*) from sessions where upstream_session_id is not null and upstream_ended_at is null"
            )
            == 0
        ),
        timeout=timeout_s,
        what="every session metered",
    )


def _compare(iso) -> dict:
    rows = iso.owner.fetch("""select s.upstream_session_id, e.upstream_ms, e.end_reason from sessions s
                              join usage_events e on e.session_id = s.id and e.event = 'ended'""")
    truth = {s["id"]: s for s in iso.sim.sessions()}
    diffs = []
    for r in rows:
        t = truth[r["upstream_session_id"]]
        assert not t["alive"], f"{r['upstream_session_id']} still runs at the provider"
        diffs.append(abs(r["upstream_ms"] / 1000 - (t["ended_at"] - t["created_at"])))
    assert len(rows) == len(truth), "a provider session without a ledger row, or the reverse"
    return {
        "sessions": len(rows),
        "max_diff_s": max(diffs),
        "mean_diff_s": sum(diffs) / len(diffs),
        "reasons": Counter(r["end_reason"] for r in rows),
    }
