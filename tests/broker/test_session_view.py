"""`GET /v1/sessions/{id}` shows a session as `GET /v1/sessions` lists it: one representation per resource."""

from __future__ import annotations

from typing import Any

from tests.support.asserts import wait_for


def test_one_session_reads_as_its_list_shows_it_metered_seconds_included(stack, tenant) -> None:
    auth = {"Authorization": f"Bearer {tenant.server_key}"}
    started = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth)
    assert started.status_code == 201, started.text
    path = f"/v1/sessions/{started.json()['session_id']}"
    live = stack.http.get(path, headers=auth).json()
    assert live["state"] == "active" and live["upstream_seconds"] is None and live["billed_seconds"] is None
    assert stack.http.delete(path, headers=auth).status_code == 202

    def metered() -> dict[str, Any] | None:
        one = stack.http.get(path, headers=auth).json()
        return one if one["upstream_seconds"] is not None else None

    one = wait_for(metered, timeout=20, what="the end to be acknowledged and metered")
    listed = stack.http.get("/v1/sessions", params={"limit": 500}, headers=auth).json()["items"]
    assert one == next(item for item in listed if item["id"] == one["id"])
    assert one["billed_seconds"] is not None and one["state"] == "terminated"
