"""CSV a spreadsheet opens as is: a header row, ISO 8601 dates and instants (UTC), whole seconds as integers."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

MEDIA_TYPE = "text/csv; charset=utf-8"


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def lines(columns: Sequence[str], rows: Iterable[dict[str, Any]], *, header: bool = True) -> Iterator[str]:
    """One CSV line per row (header first), quoted where needed."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if header and buf.getvalue():  # no rows: still the header
        yield buf.getvalue()


def document(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    return "".join(lines(columns, rows))
