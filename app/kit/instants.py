"""Instants and days from a query string, as RFC 3339 says them, that PostgreSQL can be asked about.

The OpenAPI says `format: date-time` (or `date`); msgspec alone would also take `0.5` or `2484784925` as an instant
(seconds since 1970), and `date.fromisoformat` takes `20261101` or `2026-W48`. These parse only what the document
promises. An instant also needs its offset (`Z` or `+01:00`): a bare local time names no instant. And
`9999-12-31T23:59:59-10:00` is past the last instant Python can hold in UTC (the driver's conversion would fail with
OverflowError, a 500): it is refused as out of range, naming the parameter.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from litestar.openapi.spec import OpenAPIFormat
from litestar.params import QueryParameter

from app.errors import Problem

_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def instant_query(description: str, name: str | None = None, required: bool = False) -> Any:
    return QueryParameter(name=name, required=required, description=description, format=OpenAPIFormat.DATE_TIME)


def day_query(description: str, name: str | None = None, required: bool = True) -> Any:
    return QueryParameter(name=name, required=required, description=description, format=OpenAPIFormat.DATE)


def parse_instant(raw: str | None, name: str) -> datetime | None:
    if raw is None:
        return None
    value = None
    if _INSTANT.fullmatch(raw):
        try:  # fromisoformat takes at most 6 digits of a second
            value = datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", raw.upper()))
        except ValueError:
            value = None
    if value is None:
        raise _bad(name, f"`{name}` must be an instant like 2026-11-25T14:00:00Z.", "an RFC 3339 date-time")
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise _bad(name, f"`{name}` is out of range.", "out of range") from None
    return value


def parse_day(raw: str, name: str) -> date:
    try:
        if _DAY.fullmatch(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise _bad(name, f"`{name}` must be a date like 2026-11-01.", "a date like 2026-11-01")


def _bad(name: str, detail: str, message: str) -> Problem:
    return Problem("invalid-request", detail, errors=[{"message": message, "key": name, "source": "query"}])
