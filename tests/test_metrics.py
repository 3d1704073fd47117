"""`/metrics`: what an operator graphs — sessions by outcome and end reason, upstream latency per route, the job
queue, reaper lag and heartbeat batches — in Prometheus' text format, and nothing secret in it; and who may read it
(outside dev mode the metrics token only, closed without one; dev mode without a token open), as the OpenAPI
document says."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from app import metrics
from app.cli.serving import ServerThread
from app.main import create_app
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db
from tests.support.stack import METRICS_AUTH, TEST_METRICS_TOKEN

# What the response sends, whole: Prometheus' text format 0.0.4, one charset.
EXPOSITION = "text/plain; version=0.0.4; charset=utf-8"


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(m: dict, name: str, **labels: str) -> float:
    return m.get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(stack) -> dict:
    resp = stack.http.get("/metrics", headers=METRICS_AUTH)
    assert resp.status_code == 200, resp.text
    return samples(resp.text)


def test_metrics_count_what_happened(stack, tenant, db: Db) -> None:
    before = scrape(stack)
    active_before = db.value("select count(*) from sessions where state = 'active'")
    sid = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).json()["session_id"]
    # The live gauge is read from the database at most every 2 s: it shows this session within that, then its end.
    wait_for(
        lambda: value(scrape(stack), "greenroom_sessions_live", state="active") == active_before + 1,
        timeout=10,
        what="the live gauge to count the new session",
    )
    stack.http.post("/v1/sessions", json={"agent": "nobody"}, headers=auth(tenant.server_key))
    stack.http.delete(f"/v1/sessions/{sid}", headers=auth(tenant.server_key))
    wait_for(
        lambda: db.value("select count(*) from usage_events where session_id = $1 and event = 'ended'", uuid.UUID(sid)),
        timeout=15,
        what="the metered end",
    )
    wait_for(
        lambda: value(scrape(stack), "greenroom_sessions_live", state="active") == active_before,
        timeout=10,
        what="the live gauge to drop the ended session",
    )
    resp = stack.http.get("/metrics", headers=METRICS_AUTH)
    assert resp.headers["content-type"] == EXPOSITION
    after = samples(resp.text)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("greenroom_sessions_started_total", channel="api") == 1
    assert grew("greenroom_session_starts_failed_total", channel="api", problem="unknown-agent") == 1
    assert grew("greenroom_sessions_ended_total", reason="api_terminated") == 1
    # One call each (every test before this one has finished with the provider: nothing else calls it meanwhile).
    for provider, route in (("openai", "client_secrets"), ("avaturn", "create_session"), ("avaturn", "delete_session")):
        assert grew("greenroom_upstream_request_seconds_count", provider=provider, route=route, outcome="ok") == 1, (
            route
        )
    for secret in (tenant.server_key, tenant.widget_key, *tenant.provider_keys.values(), str(tenant.tenant_id)):
        assert secret not in resp.text


def test_the_job_gauges_show_a_delete_the_provider_keeps_refusing(stack, tenant, db: Db, sim: SimulatorControl) -> None:
    kind = "avaturn.delete_session"

    def unfinished(m: dict) -> float:
        return value(m, "greenroom_jobs", kind=kind, state="pending") + value(
            m, "greenroom_jobs", kind=kind, state="running"
        )

    sid = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key)).json()["session_id"]
    sim.fault("avaturn.delete", status=503)  # until it is seen: the DELETE job stays in the queue, retried
    stack.http.delete(f"/v1/sessions/{sid}", headers=auth(tenant.server_key))
    seen = wait_for(
        lambda: (m := scrape(stack)) and unfinished(m) == 1 and m,
        timeout=15,
        what="the queue gauge to show the refused DELETE",
    )
    assert value(seen, "greenroom_job_oldest_pending_seconds", kind=kind) > 0
    sim.clear_faults()
    wait_for(
        lambda: db.value("select state from jobs where payload->>'session_id' = $1", sid) == "done",
        timeout=20,
        what="the DELETE delivered once the provider answers",
    )
    wait_for(
        lambda: unfinished(m := scrape(stack)) == 0 and not value(m, "greenroom_job_oldest_pending_seconds", kind=kind),
        timeout=10,
        what="the queue gauges to empty",
    )


def test_heartbeat_batches_and_reaper_lag_are_observed(stack, tenant, db: Db) -> None:
    before = scrape(stack)
    body = stack.http.post(
        "/v1/widget/sessions", json={"agent": "demo"}, headers={**auth(tenant.widget_key), "Origin": tenant.origin}
    ).json()
    beat = stack.http.post(
        f"/v1/widget/sessions/{body['session_id']}/heartbeat",
        headers={**auth(body["heartbeat"]["token"]), "Origin": tenant.origin},
    )
    assert beat.json()["state"] == "active"
    after_beat = scrape(stack)
    # One beat, one batch of one: observed by the time the beat is answered.
    assert (
        value(after_beat, "greenroom_heartbeat_batch_size_count")
        - value(before, "greenroom_heartbeat_batch_size_count")
        == 1
    )
    assert (
        value(after_beat, "greenroom_heartbeat_batch_size_sum") - value(before, "greenroom_heartbeat_batch_size_sum")
        == 1
    )

    # The widget goes silent past the grace period: the stack's reaper (every 5 s) ends it and observes its lag.
    sid = uuid.UUID(body["session_id"])
    grace = stack.settings.heartbeat_grace_s or 3 * stack.settings.heartbeat_interval_s
    db.execute(
        "update sessions set last_heartbeat_at = clock_timestamp() - make_interval(secs => $2) where id = $1",
        sid,
        float(grace),
    )
    wait_for(
        lambda: db.value("select end_reason from sessions where id = $1", sid) == "heartbeat_lost",
        timeout=20,
        what="the reaper",
    )
    after = scrape(stack)
    lag = "greenroom_reaper_lag_seconds"
    assert (
        value(after, f"{lag}_count", reason="heartbeat_lost") - value(before, f"{lag}_count", reason="heartbeat_lost")
        == 1
    )
    observed = value(after, f"{lag}_sum", reason="heartbeat_lost") - value(
        before, f"{lag}_sum", reason="heartbeat_lost"
    )
    assert 0 <= observed <= stack.settings.reaper_interval_s + 5, observed


@contextmanager
def app_with(stack, **settings: object) -> Iterator[str]:
    """Another app instance on the stack's database, with these settings changed; its URL."""
    with ServerThread(create_app(stack.settings.model_copy(update=settings))) as app:
        yield app.url


def test_outside_dev_mode_only_the_metrics_token_reads_them(stack) -> None:
    assert not stack.settings.dev_mode and stack.settings.metrics_token
    refused = [
        {},
        {"Authorization": "Bearer not-the-metrics-token"},
        {"Authorization": f"Bearer {TEST_METRICS_TOKEN}x"},
        {"Authorization": f"Basic {TEST_METRICS_TOKEN}"},
        {"Authorization": TEST_METRICS_TOKEN},
    ]
    for headers in refused:
        resp = stack.http.get("/metrics", headers=headers)
        assert_problem(resp, 401, "unknown-key")
        assert "greenroom_" not in resp.text and TEST_METRICS_TOKEN not in resp.text
    ok = stack.http.get("/metrics", headers={"Authorization": f"bearer {TEST_METRICS_TOKEN}"})  # scheme: any case
    assert ok.status_code == 200 and ok.headers["content-type"] == EXPOSITION
    families = {f.name: f.type for f in text_string_to_metric_families(ok.text)}
    assert families["greenroom_sessions_started"] == "counter" and families["greenroom_jobs"] == "gauge"


def test_outside_dev_mode_without_a_token_metrics_are_closed(stack, log_capture, monkeypatch) -> None:
    monkeypatch.setattr(metrics, "_closed_warned", False)  # the warning is once per process: this test's process
    before = len(log_capture.lines)
    with app_with(stack, metrics_token=None) as url:
        for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer anything"}, METRICS_AUTH):
            body = assert_problem(httpx.get(f"{url}/metrics", headers=headers), 401, "unknown-key")
            assert "GREENROOM_METRICS_TOKEN" in body["detail"]
    # An empty variable (compose passes an unset one so) is no token, not a token that an empty bearer matches.
    with app_with(stack, metrics_token="") as url:
        assert_problem(httpx.get(f"{url}/metrics", headers={"Authorization": "Bearer"}), 401, "unknown-key")
    warned = [line for line in log_capture.lines[before:] if "/metrics refuses every scrape" in line]
    assert len(warned) == 1, warned  # says why, once, not on every scrape
    assert "GREENROOM_METRICS_TOKEN is not set" in warned[0]


def test_dev_mode_leaves_metrics_open_unless_a_token_is_set(stack) -> None:
    with app_with(stack, dev_mode=True, metrics_token=None) as url:
        ok = httpx.get(f"{url}/metrics")
        assert ok.status_code == 200 and ok.headers["content-type"] == EXPOSITION
        assert "greenroom_sessions_started_total" in ok.text
    with app_with(stack, dev_mode=True, metrics_token=SecretStr("dev-metrics-token-for-tests")) as url:
        assert_problem(httpx.get(f"{url}/metrics"), 401, "unknown-key")
        assert httpx.get(f"{url}/metrics", headers={"Authorization": "Bearer dev-metrics-token-for-tests"}).is_success


def test_the_openapi_document_says_what_metrics_answers(stack) -> None:
    doc = stack.http.get("/schema/openapi.json").json()
    op = doc["paths"]["/metrics"]["get"]
    assert op["security"] == [{"metricsToken": []}]
    scheme = doc["components"]["securitySchemes"]["metricsToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert set(op["responses"]) == {"200", "401"}
    # The documented media types are the ones the answers carry.
    assert list(op["responses"]["200"]["content"]) == [EXPOSITION]
    sent = stack.http.get("/metrics", headers=METRICS_AUTH).headers.get_list("content-type")
    assert sent == [EXPOSITION]  # one header, one charset (Litestar appends its own to a text/* media type)
    assert list(op["responses"]["401"]["content"]) == ["application/problem+json"]
    assert stack.http.get("/metrics").headers["content-type"].startswith("application/problem+json")
