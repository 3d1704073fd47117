"""The one rule for page sizes: every list takes `limit` from 1 to 500."""

from __future__ import annotations

from app.errors import Problem

MAX_LIMIT = 500


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem("invalid-request", f"limit must be between 1 and {MAX_LIMIT}.")
    return limit
