"""What every list endpoint shares: `limit` from 1 to 500, and optional filters described in the OpenAPI.

A query parameter's rule is stated in the OpenAPI (`schema_extra`) and enforced here with a readable message, from
one constant, so the document and the server cannot disagree.
"""

from __future__ import annotations

from typing import Any

from litestar.params import QueryParameter

from app.errors import Problem

MAX_LIMIT = 500


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem(
            "invalid-request",
            f"limit must be between 1 and {MAX_LIMIT}.",
            errors=[{"message": f"1 to {MAX_LIMIT}", "key": "limit", "source": "query"}],
        )
    return limit


def limit_query() -> Any:
    """`limit`: how many items a page holds (check it with `check_limit`)."""
    return QueryParameter(
        name="limit",
        required=False,
        description=f"Items per page, 1 to {MAX_LIMIT}.",
        schema_extra={"minimum": 1, "maximum": MAX_LIMIT},
    )


def optional_query(name: str, description: str, **rule: Any) -> Any:
    """An optional query parameter with its OpenAPI description and rule (e.g. `enum=[...]`, `pattern=...`)."""
    return QueryParameter(name=name, required=False, description=description, schema_extra=rule or None)


def one_of(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    """An optional parameter whose OpenAPI `enum` is `allowed`."""
    if value is not None and value not in allowed:
        raise Problem(
            "invalid-request",
            f"{name} must be one of {', '.join(allowed)}.",
            errors=[{"message": f"one of {', '.join(allowed)}", "key": name, "source": "query"}],
        )
    return value


MAX_ID = 2**63 - 1  # PostgreSQL's bigint: an id-based cursor past it names no row


def id_cursor_query() -> Any:
    """`cursor` of a list paged by id: the `next_cursor` of the previous page (check it with `check_id_cursor`)."""
    return QueryParameter(
        name="cursor",
        required=False,
        description="`next_cursor` of the previous page.",
        schema_extra={"minimum": 0, "maximum": MAX_ID},
    )


def check_id_cursor(cursor: int | None) -> int | None:
    if cursor is not None and not 0 <= cursor <= MAX_ID:
        raise Problem(
            "invalid-request",
            "cursor is not one this API gave out.",
            errors=[{"message": "a next_cursor of this list", "key": "cursor", "source": "query"}],
        )
    return cursor
