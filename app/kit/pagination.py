"""What every list endpoint shares: `limit` from 1 to 500, and optional filters described in the OpenAPI."""

from __future__ import annotations

from typing import Any

from litestar.params import QueryParameter

from app.errors import Problem

MAX_LIMIT = 500


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem("invalid-request", f"limit must be between 1 and {MAX_LIMIT}.")
    return limit


def optional_query(name: str, description: str) -> Any:
    """An optional query parameter with its OpenAPI description (filters of the list endpoints)."""
    return QueryParameter(name=name, required=False, description=description)
