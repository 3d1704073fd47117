"""The pooled HTTP client every upstream REST client uses."""

from __future__ import annotations

import httpx

# Idle pooled connections are dropped after this long. It must stay below the server's own keep-alive timeout
# (uvicorn's is 5 s; load balancers' are usually 60 s): otherwise a request can go out on a connection the server
# is closing at that moment, and fail with a reset. Creates are never retried, so that race must not happen.
KEEPALIVE_EXPIRY_S = 2.0


def pooled_client(base_url: str, timeout_s: float, max_connections: int = 100) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
        limits=httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=KEEPALIVE_EXPIRY_S,
        ),
    )
