"""Monthly minute budgets: what a new session may still run, and the problem when nothing is left."""

from __future__ import annotations

import math

from app.errors import Problem
from app.metering.service import Budget

# Avaturn refuses a `max_duration` under 60 s, so a session needs at least a minute of budget to start.
MIN_SESSION_S = 60


def within_budget(b: Budget, max_duration_s: int) -> int:
    """The `max_duration` to send upstream: never more than the remaining budget can pay for."""
    remaining = b.remaining_s
    if remaining is None:
        return max_duration_s
    if b.rounding == "minute":  # a started minute bills whole: stop on a minute boundary
        remaining = remaining // 60 * 60
    if remaining < MIN_SESSION_S:
        retry_after = max(1, math.ceil((b.resets_at - b.now).total_seconds()))
        raise Problem(
            "quota-exhausted",
            f"This month's {b.monthly_minutes} minutes are used up ({b.used_s} s billed); sessions start again "
            f"on {b.resets_at:%Y-%m-%d} (UTC), or when the operator raises the budget.",
            monthly_minutes=b.monthly_minutes,
            used_seconds=b.used_s,
            resets_at=b.resets_at.isoformat(),
            headers={"Retry-After": str(retry_after)},
        )
    return min(max_duration_s, remaining)
