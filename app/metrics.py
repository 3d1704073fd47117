"""Prometheus metrics: what an operator graphs and alerts on, and who may read them.

Counters and histograms are per process (`/metrics` on each app instance; `greenroom worker --metrics-port`
for each worker); the gauges of live sessions and the job queue are read from the database, so every
process reports the same cluster-wide figures.

The app's `/metrics` sits on the public port, so outside dev mode it answers only a caller holding
`GREENROOM_METRICS_TOKEN` (`Authorization: Bearer <token>`); without a token configured it is closed to everyone
(401, and one warning in the log). Dev mode without a token leaves it open. docs/operations.md, "Metrics".
"""

from __future__ import annotations

import functools
import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.settings import Settings

log = logging.getLogger("greenroom.metrics")

# The text exposition format every Prometheus reads. Pinned rather than prometheus_client's "latest" (1.0.0 in
# 0.26): the body is the same for our names, which need none of 1.0.0's escaping, and an upgrade of the library
# must not change what the app declares. Sent as the whole Content-Type header, charset included.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

SESSIONS_STARTED = Counter(
    "greenroom_sessions_started_total", "Sessions started (the provider acknowledged).", ["channel"]
)
SESSION_STARTS_FAILED = Counter(
    "greenroom_session_starts_failed_total",
    "Session starts refused or failed, by problem type.",
    ["channel", "problem"],
)
SESSIONS_ENDED = Counter(
    "greenroom_sessions_ended_total",
    "Sessions whose end the provider acknowledged (metered), by end reason.",
    ["reason"],
)
UPSTREAM_SECONDS = Histogram(
    "greenroom_upstream_request_seconds",
    "Upstream calls by provider, route and outcome (ok or the error kind).",
    ["provider", "route", "outcome"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REAPER_LAG = Histogram(
    "greenroom_reaper_lag_seconds",
    "From the moment a session was due to end to the reaper ending it.",
    ["reason"],
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300),
)
HEARTBEAT_BATCH = Histogram(
    "greenroom_heartbeat_batch_size",
    "Sessions per batched heartbeat write.",
    buckets=(1, 10, 50, 100, 500, 1000, 5000, 10000, 50000),
)
SESSIONS_LIVE = Gauge("greenroom_sessions_live", "Live sessions across tenants, by state.", ["state"])
JOBS = Gauge(
    "greenroom_jobs", "Jobs in the durable queue, by kind and state (pending, running, parked).", ["kind", "state"]
)
JOB_OLDEST = Gauge("greenroom_job_oldest_pending_seconds", "Age of the oldest unfinished job, by kind.", ["kind"])

P = ParamSpec("P")
R = TypeVar("R")

_SNAPSHOT = text("select name, label, value from greenroom_metrics_snapshot()")
_last_refresh = 0.0
REFRESH_EVERY_S = 2.0  # scrapes more often than this reuse the last figures


async def refresh_from_database(sessions: async_sessionmaker[AsyncSession], *, force: bool = False) -> None:
    """Set the cluster-wide gauges from one cheap query (at most every REFRESH_EVERY_S)."""
    global _last_refresh
    if not force and time.monotonic() - _last_refresh < REFRESH_EVERY_S:
        return
    _last_refresh = time.monotonic()
    # One short read-only transaction, opened here rather than through app.db: metrics sit below the database
    # package in the import rules (the upstream clients, a layer down from app.db, record their calls here).
    async with sessions() as db, db.begin():
        rows = (await db.execute(_SNAPSHOT)).all()
    for gauge in (SESSIONS_LIVE, JOBS, JOB_OLDEST):
        gauge.clear()  # a state that emptied must read 0 or vanish, not keep its last value
    for state in ("starting", "active"):
        SESSIONS_LIVE.labels(state).set(0)
    for name, label, value in rows:
        if name == "sessions_live":
            SESSIONS_LIVE.labels(label).set(value)
        elif name == "jobs":
            kind, _, state = label.rpartition(":")
            JOBS.labels(kind, state).set(value)
        else:
            JOB_OLDEST.labels(label).set(value)


@contextmanager
def upstream_call(provider: str, route: str) -> Iterator[None]:
    """Time one upstream call; the outcome is `ok` or the UpstreamError's kind."""
    began, outcome = time.perf_counter(), "ok"
    try:
        yield
    except Exception as exc:
        outcome = getattr(exc, "kind", type(exc).__name__)
        raise
    finally:
        UPSTREAM_SECONDS.labels(provider, route, outcome).observe(time.perf_counter() - began)


def timed(provider: str, route: str) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Coroutine[Any, Any, R]]]:
    """Decorate an upstream client's async method: every call lands in `greenroom_upstream_request_seconds`."""

    def wrap(fn: Callable[P, Awaitable[R]]) -> Callable[P, Coroutine[Any, Any, R]]:
        @functools.wraps(fn)
        async def call(*args: P.args, **kwargs: P.kwargs) -> R:
            with upstream_call(provider, route):
                return await fn(*args, **kwargs)

        return call

    return wrap


def exposition() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE


_closed_warned = False


def refusal(settings: Settings, authorization: str | None) -> str | None:
    """None if a request with this `Authorization` header may read `/metrics`; otherwise why not (the 401's detail).

    A configured token is required in every mode; without one, dev mode is open and every other mode is closed."""
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    if not token:
        if settings.dev_mode:
            return None
        _warn_closed()
        return "Metrics are closed: this server has no metrics token (GREENROOM_METRICS_TOKEN)."
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return None
    return "This endpoint needs the metrics token (GREENROOM_METRICS_TOKEN) as a bearer token."


def _warn_closed() -> None:
    """Once per process: a scraper is being refused because the operator has not set a token yet."""
    global _closed_warned
    if not _closed_warned:
        _closed_warned = True
        log.warning(
            "metrics: /metrics refuses every scrape: GREENROOM_METRICS_TOKEN is not set (required outside dev mode)"
        )
