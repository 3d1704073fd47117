"""Malformed input, sent as a client would: a 400 problem naming the field and no traceback in the log, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.asserts import assert_problem


def _send(stack, log_capture, method: str, path: str, **kw: Any) -> Any:
    before = len(log_capture.lines)
    resp = stack.http.request(method, path, **kw)
    logged = log_capture.lines[before:]
    assert not any("Traceback" in line or "unhandled" in line for line in logged), logged
    return resp


def _refused(resp: Any, key: str, source: str = "body") -> None:
    body = assert_problem(resp, 400, "invalid-request")
    assert {"key": key, "source": source} in [{"key": e["key"], "source": e["source"]} for e in body["errors"]], body


def _json(tenant) -> dict[str, str]:
    return {"Authorization": f"Bearer {tenant.server_key}", "content-type": "application/json"}


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v1/usage", {"month": "9999-12"}, "month"),
        ("/v1/reports/reconciliation", {"month": "9999-12"}, "month"),
        ("/v1/usage", {"month": "2026-13"}, "month"),
        ("/v1/reports/usage", {"from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ("/v1/reports/sessions", {"created_from": "9999-12-31T23:59:59-10:00"}, "created_from"),
        ("/v1/reports/sessions", {"created_to": "0001-01-01T00:00:00+10:00"}, "created_to"),
    ],
)
def test_out_of_range_months_and_dates_are_refused(stack, tenant, log_capture, path, params, field) -> None:
    headers = {"Authorization": f"Bearer {tenant.server_key}"}
    _refused(_send(stack, log_capture, "GET", path, params=params, headers=headers), field, "query")


def test_the_last_representable_month_still_answers(stack, tenant, log_capture) -> None:
    headers = {"Authorization": f"Bearer {tenant.server_key}"}
    resp = _send(stack, log_capture, "GET", "/v1/usage", params={"month": "9999-11"}, headers=headers)
    assert resp.status_code == 200 and resp.json()["month"] == "9999-11", resp.text
