"""CSV a spreadsheet opens as is, and never runs: a header row, ISO 8601 dates and instants (UTC), whole seconds as
integers. Every CSV the product writes (the API's `format=csv` and `Accept: text/csv`, the operator's report,
`greenroom report ...`) goes through `cell`, `lines` or `document` here.

Formula injection (OWASP, "CSV Injection"). A spreadsheet evaluates a cell that begins with `=`, `+`, `-` or `@`
(and may strip a leading tab or carriage return on import, leaving such a cell); a tenant name, a widget key
label, an agent slug, an origin or an end reason is text someone else chose, so `=HYPERLINK(...)` there would be a
live link (or worse) in the reader's sheet. Every text cell that begins with one of those six characters is written
with a single quote in front, so a spreadsheet reads it as text; nothing else in the cell changes (quotes,
commas and line breaks inside it are quoted the CSV way, so the cell keeps its bounds).

Numbers stay numbers. An `int`, a finite `float` or a finite `Decimal` is written as Python prints it, a negative one
too: `-5` is a number to a spreadsheet, not a formula, and a printed number holds nothing but digits, signs, a
point and an exponent. Every numeric column the product writes today (sessions, upstream and billed seconds,
monthly minutes) is a count or a duration and never negative; a negative value there would still be written as the
plain number. Anything else is text and treated as text: NaN and infinity, `true` / `false`, and every string,
even one that reads `-5` (written `'-5`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

MEDIA_TYPE = "text/csv"  # Litestar adds `; charset=utf-8` to a text type

# What a spreadsheet may read as the start of a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """The text with a single quote in front if a spreadsheet would evaluate it; otherwise the text itself."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, Decimal) and value.is_finite()


def cell(value: Any) -> str:
    """One value as a cell: a number as the number, anything else as text made safe to open (`neutralise`)."""
    if value is None:
        return ""
    if _number(value):
        return str(value)
    if isinstance(value, datetime):
        text = value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:  # str, UUID, anything else
        text = str(value)
    return neutralise(text)


def lines(columns: Sequence[str], rows: Iterable[dict[str, Any]], *, header: bool = True) -> Iterator[str]:
    """One CSV line per row (header first), every cell through `cell`, quoted where needed."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header:
        writer.writerow([cell(c) for c in columns])
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if header and buf.getvalue():  # no rows: still the header
        yield buf.getvalue()


def document(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    return "".join(lines(columns, rows))
