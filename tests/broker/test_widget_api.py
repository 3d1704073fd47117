"""The widget API as a browser on a tenant's site calls it: publishable key, exact Origin, CORS."""

from __future__ import annotations

import httpx

from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db
from tests.support.stack import METRICS_AUTH


def widget_create(stack, tenant, origin: str | None, agent: str = "demo") -> httpx.Response:
    headers = {"Authorization": f"Bearer {tenant.widget_key}"}
    if origin is not None:
        headers["Origin"] = origin
    return stack.http.post("/v1/widget/sessions", json={"agent": agent}, headers=headers)


def test_allowed_origin_gets_a_session_with_cors(stack, tenant, db: Db) -> None:
    resp = widget_create(stack, tenant, tenant.origin)
    assert resp.status_code == 201, resp.text
    assert resp.headers["access-control-allow-origin"] == tenant.origin
    row = db.fetch("select origin, widget_key_id, api_key_id from sessions where tenant_id = $1", tenant.tenant_id)[0]
    assert row["origin"] == tenant.origin and row["widget_key_id"] and row["api_key_id"] is None


def test_origin_must_match_exactly(stack, tenant, sim: SimulatorControl) -> None:
    before = len(sim.sessions())
    for origin in [
        "https://evil.example",
        "http://shop.example",
        "https://shop.example:8443",
        "https://sub.shop.example",
        None,
        "null",
    ]:
        resp = widget_create(stack, tenant, origin)
        assert_problem(resp, 403, "origin-not-allowed")
        assert "access-control-allow-origin" not in resp.headers
    assert len(sim.sessions()) == before
    # Default port and case are normalised, not loosened.
    assert widget_create(stack, tenant, "HTTPS://Shop.Example:443").status_code == 201


def test_preflight_answers_only_allowed_origins(stack, tenant) -> None:
    def preflight(origin: str) -> httpx.Response:
        return stack.http.options(
            "/v1/widget/sessions",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )

    ok = preflight(tenant.origin)
    assert ok.status_code == 204 and ok.headers["access-control-allow-origin"] == tenant.origin
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    bad = preflight("https://evil.example")
    assert "access-control-allow-origin" not in bad.headers


def test_server_key_is_not_a_widget_key_and_vice_versa(stack, tenant) -> None:
    resp = stack.http.post(
        "/v1/widget/sessions",
        json={"agent": "demo"},
        headers={"Authorization": f"Bearer {tenant.server_key}", "Origin": tenant.origin},
    )
    assert_problem(resp, 401, "unknown-key")
    resp = stack.http.post(
        "/v1/sessions", json={"agent": "demo"}, headers={"Authorization": f"Bearer {tenant.widget_key}"}
    )
    assert_problem(resp, 401, "unknown-key")


def test_revoked_widget_key_is_401(stack, tenant, db: Db) -> None:
    db.execute("update widget_keys set revoked_at = now() where tenant_id = $1", tenant.tenant_id)
    assert_problem(widget_create(stack, tenant, tenant.origin), 401, "unknown-key")


def test_upstream_failure_is_readable_from_the_allowed_origin(stack, tenant, sim: SimulatorControl) -> None:
    sim.fault("avaturn.create", status=500)
    resp = widget_create(stack, tenant, tenant.origin)
    assert_problem(resp, 502, "upstream-error")
    assert resp.headers["access-control-allow-origin"] == tenant.origin


def test_heartbeat_and_end_with_the_session_token(stack, tenant, sim: SimulatorControl, db: Db) -> None:
    body = widget_create(stack, tenant, tenant.origin).json()
    hb = body["heartbeat"]
    token = {"Authorization": f"Bearer {hb['token']}", "Origin": tenant.origin}
    beat = httpx.post(hb["url"], headers=token)
    assert beat.status_code == 200 and beat.json()["state"] == "active"
    assert beat.headers["access-control-allow-origin"] == tenant.origin
    assert_problem(httpx.post(hb["url"], headers={"Authorization": "Bearer gr_st_wrong"}), 401, "invalid-session-token")

    end_url = f"{stack.url}/v1/widget/sessions/{body['session_id']}/end"
    ended = httpx.post(end_url, headers=token)
    assert ended.status_code == 200 and ended.json()["state"] == "ended"
    row = db.fetch(
        "select state, end_reason, upstream_session_id from sessions where id::text = $1", body["session_id"]
    )[0]
    assert row["end_reason"] == "client_ended"
    wait_for(lambda: not sim.session(row["upstream_session_id"])["alive"], what="upstream end")
    assert httpx.post(hb["url"], headers=token).json()["state"] == "ended"


def test_concurrent_heartbeats_are_answered_and_recorded_in_batches(stack, tenant, db: Db) -> None:
    import asyncio

    from prometheus_client.parser import text_string_to_metric_families

    def batch_totals() -> tuple[float, float]:
        found = {
            s.name: s.value
            for f in text_string_to_metric_families(stack.http.get("/metrics", headers=METRICS_AUTH).text)
            for s in f.samples
            if s.name.startswith("greenroom_heartbeat_batch_size_")
        }
        return found.get("greenroom_heartbeat_batch_size_count", 0.0), found.get(
            "greenroom_heartbeat_batch_size_sum", 0.0
        )

    sessions = [widget_create(stack, tenant, tenant.origin).json() for _ in range(12)]
    count_before, sum_before = batch_totals()

    async def beat_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=30) as client:
            beats = [
                client.post(
                    s["heartbeat"]["url"],
                    headers={"Authorization": f"Bearer {s['heartbeat']['token']}", "Origin": tenant.origin},
                )
                for s in sessions
                for _ in range(4)
            ]
            # Someone else's token for a real session id is refused, even inside a batch of good ones.
            beats.append(
                client.post(
                    sessions[0]["heartbeat"]["url"],
                    headers={"Authorization": f"Bearer {sessions[1]['heartbeat']['token']}"},
                )
            )
            return await asyncio.gather(*beats)

    answers = asyncio.run(beat_all())
    assert [a.status_code for a in answers[:-1]] == [200] * 48 and {a.json()["state"] for a in answers[:-1]} == {
        "active"
    }
    assert_problem(answers[-1], 401, "invalid-session-token")
    seen = db.value(
        "select count(*) from sessions where id = any($1::uuid[]) and last_heartbeat_at is not null",
        [s["session_id"] for s in sessions],
    )
    assert seen == 12  # recorded by the time the answer came back
    count, total = batch_totals()
    assert total - sum_before == 49 and count - count_before < 49  # fewer statements than beats
    for s in sessions:
        stack.http.delete(f"/v1/sessions/{s['session_id']}", headers={"Authorization": f"Bearer {tenant.server_key}"})


def test_a_wrong_token_gets_nothing_even_in_a_batch_with_the_right_one(stack, tenant, database_url: str) -> None:
    import asyncio
    import uuid as _uuid

    from app.broker.heartbeats import HeartbeatBatcher
    from app.db.engine import make_engine, make_sessionmaker
    from app.kit.tokens import hash_token
    from tests.support.database import run

    mine, other = (widget_create(stack, tenant, tenant.origin).json() for _ in range(2))

    async def one_batch() -> list:
        engine = make_engine(database_url, null_pool=True)
        try:
            batcher = HeartbeatBatcher(make_sessionmaker(engine), window_s=0.2)  # both beats surely share a batch
            sid = _uuid.UUID(mine["session_id"])
            answers = await asyncio.gather(
                batcher.beat(sid, hash_token(mine["heartbeat"]["token"])),
                batcher.beat(sid, hash_token(other["heartbeat"]["token"])),
            )
            assert batcher.batches == [2]
            return answers
        finally:
            await engine.dispose()

    right, wrong = run(one_batch())
    assert right.state == "active" and wrong is None
    for s in (mine, other):
        stack.http.delete(f"/v1/sessions/{s['session_id']}", headers={"Authorization": f"Bearer {tenant.server_key}"})
