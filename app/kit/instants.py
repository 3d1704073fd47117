"""Instants from a query string that PostgreSQL can be asked about.

msgspec parses `9999-12-31T23:59:59-10:00` happily, but that instant is past the last one Python can hold in UTC,
and the driver's conversion then fails with OverflowError (a 500). `in_range` refuses it as `invalid-request`
naming the parameter; any handler that takes a `datetime` query parameter passes it through here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app.errors import Problem


def in_range(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise Problem(
                "invalid-request",
                f"`{name}` is out of range.",
                errors=[{"message": "out of range", "key": name, "source": "query"}],
            ) from None
    return value
