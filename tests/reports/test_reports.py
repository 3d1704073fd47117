"""Reports a finance team can use: totals that add up, CSV a spreadsheet opens, history that pages, reconciliation."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest

from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def run_sessions(stack, tenant, db: Db) -> list[str]:
    """Four sessions: two agents, widget and server, killed or ended by the client; all metered."""
    ids = []
    for agent in ("demo", "demo", "voice"):
        ids.append(
            stack.http.post("/v1/sessions", json={"agent": agent}, headers=auth(tenant.server_key)).json()["session_id"]
        )
    widget = stack.http.post(
        "/v1/widget/sessions", json={"agent": "demo"}, headers={**auth(tenant.widget_key), "Origin": tenant.origin}
    ).json()
    ids.append(widget["session_id"])
    for sid in ids[:3]:
        stack.http.delete(f"/v1/sessions/{sid}", headers=auth(tenant.server_key))
    stack.http.post(
        f"/v1/widget/sessions/{widget['session_id']}/end",
        headers={**auth(widget["heartbeat"]["token"]), "Origin": tenant.origin},
    )
    wait_for(
        lambda: (
            db.value("select count(*) from usage_events where tenant_id = $1 and event = 'ended'", tenant.tenant_id)
            == 4
        ),
        timeout=15,
        what="four metered sessions",
    )
    return ids


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_usage_totals_are_the_sums_of_their_rows_in_json_and_csv(stack, tenant, db: Db) -> None:
    run_sessions(stack, tenant, db)
    params = {"from": today(), "to": today(), "by": "agent,end_reason,origin"}
    report = stack.http.get("/v1/reports/usage", params=params, headers=auth(tenant.server_key)).json()
    for measure in ("sessions", "upstream_seconds", "billed_seconds"):
        assert report["totals"][measure] == sum(r[measure] for r in report["rows"])
    assert report["totals"]["sessions"] == 4
    assert report["totals"]["billed_seconds"] == db.value(
        "select sum(billed_seconds) from usage_events where tenant_id = $1 and event = 'ended'", tenant.tenant_id
    )
    by_agent = {(r["agent"], r["end_reason"], r["origin"]): r["sessions"] for r in report["rows"]}
    assert by_agent == {
        ("demo", "api_terminated", None): 2,
        ("voice", "api_terminated", None): 1,
        ("demo", "client_ended", tenant.origin): 1,
    }

    resp = stack.http.get("/v1/reports/usage", params={**params, "format": "csv"}, headers=auth(tenant.server_key))
    assert resp.headers["content-type"].startswith("text/csv") and "attachment" in resp.headers["content-disposition"]
    rows = parse_csv(resp.text)
    assert list(rows[0]) == [
        "period",
        "agent",
        "end_reason",
        "origin",
        "sessions",
        "upstream_seconds",
        "billed_seconds",
    ]
    assert all(ISO_DATE.match(r["period"]) for r in rows)
    assert all(
        r[m].isdigit() for r in rows for m in ("sessions", "upstream_seconds", "billed_seconds")
    )  # whole numbers
    assert sum(int(r["billed_seconds"]) for r in rows) == report["totals"]["billed_seconds"]


def test_this_months_usage_shows_the_budget_and_a_day_series(stack, tenant, db: Db) -> None:
    db.execute("update tenants set monthly_minutes = 100 where id = $1", tenant.tenant_id)
    run_sessions(stack, tenant, db)
    usage = stack.http.get("/v1/usage", headers=auth(tenant.server_key)).json()
    assert usage["month"] == today()[:7] and usage["finished"]["sessions"] == 4
    assert usage["days"] == [{"day": today(), "sessions": 4, "billed_seconds": usage["finished"]["billed_seconds"]}]
    b = usage["budget"]
    assert b["monthly_minutes"] == 100 and b["used_seconds"] == usage["finished"]["billed_seconds"]
    assert b["remaining_seconds"] == 6000 - b["used_seconds"] and b["resets_at"].endswith(("Z", "+00:00"))
    assert (
        stack.http.get("/v1/usage", params={"month": "2020-01"}, headers=auth(tenant.server_key)).json()["budget"]
        is None
    )
    assert_problem(
        stack.http.get("/v1/usage", params={"month": "November"}, headers=auth(tenant.server_key)),
        400,
        "invalid-request",
    )


def test_session_history_filters_and_pages_without_gaps_or_repeats(stack, tenant, db: Db) -> None:
    ids = run_sessions(stack, tenant, db)
    seen, cursor = [], None
    while True:
        page = stack.http.get(
            "/v1/reports/sessions",
            params={"limit": 3, **({"cursor": cursor} if cursor else {})},
            headers=auth(tenant.server_key),
        ).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(s["id"] for s in seen) == sorted(ids)
    assert [s["created_at"] for s in seen] == sorted((s["created_at"] for s in seen), reverse=True)
    assert all(s["billed_seconds"] >= 1 and s["upstream_ended_at"] for s in seen)

    voice = stack.http.get("/v1/reports/sessions", params={"agent": "voice"}, headers=auth(tenant.server_key)).json()
    assert [s["id"] for s in voice["items"]] == [ids[2]]
    client = stack.http.get(
        "/v1/reports/sessions", params={"end_reason": "client_ended"}, headers=auth(tenant.server_key)
    ).json()
    assert [s["id"] for s in client["items"]] == [ids[3]]

    resp = stack.http.get("/v1/reports/sessions", params={"format": "csv"}, headers=auth(tenant.server_key))
    assert resp.headers["content-type"].startswith("text/csv")
    exported = parse_csv(resp.text)
    assert sorted(r["id"] for r in exported) == sorted(ids)
    assert all(ISO_INSTANT.match(r["created_at"]) and r["billed_seconds"].isdigit() for r in exported)
    assert_problem(
        stack.http.get("/v1/reports/sessions", params={"cursor": "bogus"}, headers=auth(tenant.server_key)),
        400,
        "invalid-request",
    )


def test_reconciliation_is_empty_when_the_ledger_matches(stack, tenant, db: Db) -> None:
    run_sessions(stack, tenant, db)
    assert stack.http.get("/v1/reports/reconciliation", headers=auth(tenant.server_key)).json()["mismatches"] == []


def test_reconciliation_lists_exactly_the_session_that_differs(own, tmp_path) -> None:
    """One mismatch seeded on purpose, in a world of its own (its simulator's clock is moved): the tenant's report
    and the operator's all-tenant run list it, and only it, next to a tenant whose sessions agree."""
    clean, odd = own.tenant(), own.tenant()
    run_sessions(own, clean, own.db)

    # The provider ends a session on its own (nobody joined within user_absent_timeout) before our DELETE arrives:
    # the DELETE answers 404, the ledger can only bound the end, and reconciliation must say so.
    own.db.execute(
        """update agents set avatar = avatar || '{"user_absent_timeout": 10}' where tenant_id = $1 and slug = 'demo'""",
        odd.tenant_id,
    )
    sid = own.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(odd.server_key)).json()["session_id"]
    own.sim.advance_clock(12)  # the provider's absent timeout passes (durations, not instants, are compared)
    own.http.delete(f"/v1/sessions/{sid}", headers=auth(odd.server_key))
    wait_for(
        lambda: own.db.value(
            "select count(*) from usage_events where session_id = $1 and event = 'ended'", uuid.UUID(sid)
        ),
        timeout=15,
        what="the ledger row",
    )
    found = own.http.get("/v1/reports/reconciliation", headers=auth(odd.server_key)).json()["mismatches"]
    assert [(m["session_id"], m["problem"]) for m in found] == [(sid, "duration_differs")]
    assert found[0]["provider_seconds"] == 10.0 and "user_absent" in found[0]["detail"]
    assert own.http.get("/v1/reports/reconciliation", headers=auth(clean.server_key)).json()["mismatches"] == []

    everyone = report_cli(own.owner_database_url, own.sim_url, tmp_path, "reconcile", ok=False)  # exit 1: a mismatch
    [line] = everyone.stdout.splitlines()
    assert line.startswith("duration_differs") and f"session {sid} " in line, everyone.stdout


def report_cli(
    owner_database_url: str, ground_truth_url: str, cwd, *args: str, ok: bool | None = True
) -> subprocess.CompletedProcess[str]:
    """`greenroom report …` as an operator runs it: the schema owner's URL and the provider's record, nothing else."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")} | {
        "GREENROOM_OWNER_DATABASE_URL": owner_database_url,
        "GREENROOM_GROUND_TRUTH_URL": ground_truth_url,
    }
    r = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "report", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )
    assert "Traceback" not in r.stderr, r.stderr
    if ok is not None:
        assert (r.returncode == 0) == ok, (r.returncode, r.stdout, r.stderr)
    return r


def test_bad_report_parameters_are_clear_problems(stack, tenant) -> None:
    for params in (
        {"from": "2026-11-30", "to": "2026-11-01"},
        {"from": "yesterday", "to": "2026-11-01"},
        {"from": "2026-11-01", "to": "2026-11-30", "by": "colour"},
        {"from": "2026-11-01", "to": "2026-11-30", "period": "week"},
        {"from": "2020-01-01", "to": "2026-11-30"},
        {"from": "2026-11-01", "to": "2026-11-30", "format": "xml"},
    ):
        assert_problem(
            stack.http.get("/v1/reports/usage", params=params, headers=auth(tenant.server_key)), 400, "invalid-request"
        )


def test_every_tenant_of_the_run_so_far_reconciles_exactly(
    stack, tenant, db: Db, owner_database_url: str, sim_server, tmp_path
) -> None:
    """The operator's all-tenant reconciliation over the shared database and simulator. Every test before this one
    ended what it started and none moved the shared simulator's clock, so the whole run so far must agree, to the
    session (tests that must disagree do it in a world of their own: see the test above)."""
    run_sessions(stack, tenant, db)  # at least these four, whatever ran before
    everyone = report_cli(owner_database_url, sim_server.url, tmp_path, "reconcile", ok=None)
    assert (everyone.returncode, everyone.stdout.splitlines()) == (
        0,
        [f"{today()[:7]}: the ledger and the provider agree"],
    ), everyone.stdout


@pytest.mark.slow  # the CLI, six times, each a fresh process
def test_the_report_command_exports_what_the_api_shows(
    stack, tenant, db: Db, owner_database_url: str, sim_server, tmp_path
) -> None:
    ids = run_sessions(stack, tenant, db)

    def cli(*args: str, ok: bool | None = True) -> subprocess.CompletedProcess[str]:
        return report_cli(owner_database_url, sim_server.url, tmp_path, *args, ok=ok)

    out = tmp_path / "sessions.csv"
    done = cli("sessions", "--tenant", str(tenant.tenant_id), "-o", str(out))
    assert "exporting sessions" in done.stderr and f"{len(ids)} sessions" in done.stderr  # progress, then a count
    exported = parse_csv(out.read_text())
    api = stack.http.get("/v1/reports/sessions", headers=auth(tenant.server_key)).json()["items"]
    assert {r["id"]: int(r["billed_seconds"]) for r in exported} == {s["id"]: s["billed_seconds"] for s in api}

    usage = parse_csv(cli("usage", "--tenant", str(tenant.tenant_id), "--by", "agent").stdout)
    assert {r["agent"]: int(r["sessions"]) for r in usage} == {"demo": 3, "voice": 1}
    assert "the ledger and the provider agree" in cli("reconcile", "--tenant", str(tenant.tenant_id)).stdout
    assert "use YYYY-MM" in cli("usage", "--tenant", str(tenant.tenant_id), "--month", "11/2026", ok=False).stderr

    before = stack.http.get(
        "/v1/reports/usage",
        params={"from": today(), "to": today(), "by": "agent,end_reason,origin"},
        headers=auth(tenant.server_key),
    ).json()
    assert "rollup rows rebuilt from the ledger" in cli("rebuild-rollups").stdout
    after = stack.http.get(
        "/v1/reports/usage",
        params={"from": today(), "to": today(), "by": "agent,end_reason,origin"},
        headers=auth(tenant.server_key),
    ).json()
    assert after == before  # the rollups are exactly sums of the ledger
