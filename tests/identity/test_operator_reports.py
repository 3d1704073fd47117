"""The operator's usage report across tenants: only for operator accounts, totals that add up, CSV too."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from tests.identity.conftest import OPERATOR_SUB, Browser
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db


def test_the_operator_sees_every_tenants_totals(new_browser, owner: Browser, stack, tenant, db: Db) -> None:
    key = {"Authorization": f"Bearer {tenant.server_key}"}
    sid = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=key).json()["session_id"]
    stack.http.delete(f"/v1/sessions/{sid}", headers=key)
    billed = wait_for(
        lambda: db.value(
            "select billed_seconds from usage_events where session_id = $1::uuid and event = 'ended'", sid
        ),
        timeout=15,
        what="the ledger row",
    )
    day = datetime.now(UTC).date().isoformat()
    params = {"from": day, "to": day}

    assert_problem(owner.http.get("/v1/operator/reports/usage", params=params), 403, "not-an-operator")
    operator = new_browser()
    operator.sign_in(OPERATOR_SUB)
    report = operator.http.get("/v1/operator/reports/usage", params=params).json()
    mine = next(r for r in report["rows"] if r["tenant_id"] == str(tenant.tenant_id))
    assert (mine["sessions"], mine["billed_seconds"]) == (1, billed)
    assert report["totals"]["billed_seconds"] == sum(r["billed_seconds"] for r in report["rows"])
    assert len(report["rows"]) == db.value("select count(*) from tenants")  # tenants without usage are listed too

    rows = list(
        csv.DictReader(
            io.StringIO(operator.http.get("/v1/operator/reports/usage", params={**params, "format": "csv"}).text)
        )
    )
    assert next(r for r in rows if r["tenant_id"] == str(tenant.tenant_id))["billed_seconds"] == str(billed)
