from __future__ import annotations

from typing import Any

import httpx


def assert_problem(resp: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    """An RFC 9457 problem document with the stable type for `slug`."""
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text}"
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers["content-type"]
    body = resp.json()
    assert body["type"] == f"/problems/{slug}", body
    assert body["status"] == status and body["title"], body
    return body


def wait_for(predicate: Any, timeout: float = 8.0, what: str = "condition", every: float = 0.02) -> Any:
    """Poll `predicate` until it returns something truthy (and return that), or fail saying what was awaited."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
