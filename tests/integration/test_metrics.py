"""`/metrics`: what an operator graphs — sessions by outcome and end reason, upstream latency per route, the job
queue, reaper lag and heartbeat batches — in Prometheus' text format, and nothing secret in it."""

from __future__ import annotations

import uuid

from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from app.main import create_app
from app.serving import ServerThread
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(m: dict, name: str, **labels: str) -> float:
    return m.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_what_happened(stack, tenant, db: Db) -> None:
    before = samples(stack.http.get("/metrics").text)
    sid = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).json()["session_id"]
    live = samples(stack.http.get("/metrics").text)  # refreshed at most every 2 s: the count may lag, the metric exists
    assert ("greenroom_sessions_live", (("state", "active"),)) in live
    stack.http.post("/v1/sessions", json={"agent": "nobody"}, headers=auth(tenant.server_key))
    stack.http.delete(f"/v1/sessions/{sid}", headers=auth(tenant.server_key))
    wait_for(lambda: db.value("select count(*) from usage_events where session_id = $1 and event = 'ended'", uuid.UUID(sid)),
             timeout=15, what="the metered end")
    resp = stack.http.get("/metrics")
    assert resp.headers["content-type"].startswith("text/plain")
    after = samples(resp.text)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("greenroom_sessions_started_total", channel="api") == 1
    assert grew("greenroom_session_starts_failed_total", channel="api", problem="unknown-agent") == 1
    assert grew("greenroom_sessions_ended_total", reason="api_terminated") == 1
    for provider, route in (("openai", "client_secrets"), ("avaturn", "create_session"), ("avaturn", "delete_session")):
        assert grew("greenroom_upstream_request_seconds_count", provider=provider, route=route, outcome="ok") >= 1, route
    assert any(name == "greenroom_jobs" or name == "greenroom_heartbeat_batch_size_count" or name.startswith("greenroom_reaper_lag")
               for name, _ in after)
    for secret in (tenant.server_key, tenant.widget_key, *tenant.provider_keys.values(), str(tenant.tenant_id)):
        assert secret not in resp.text


def test_metrics_can_require_a_token(stack) -> None:
    settings = stack.settings.model_copy(update={"metrics_token": SecretStr("s3cret-metrics-token-for-tests")})
    with ServerThread(create_app(settings)) as app:
        import httpx

        assert_problem(httpx.get(f"{app.url}/metrics"), 401, "unknown-key")
        ok = httpx.get(f"{app.url}/metrics", headers={"Authorization": "Bearer s3cret-metrics-token-for-tests"})
        assert ok.status_code == 200 and "greenroom_sessions_started_total" in ok.text
