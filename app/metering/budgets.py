"""Monthly minute budgets: what a new session may still run, the problem when nothing is left, and whether new
sessions are being refused right now (and why), which the usage answers say before anyone is refused."""

from __future__ import annotations

import math
from typing import Literal

from app.errors import Problem
from app.metering.service import Budget

# Avaturn refuses a `max_duration` under 60 s, so a session needs at least a minute of budget to start.
MIN_SESSION_S = 60

Refusal = Literal["budget", "suspended"]


def startable_s(b: Budget) -> int | None:
    """The longest session the budget can still pay for (None: no budget); under MIN_SESSION_S, none starts."""
    remaining = b.remaining_s
    if remaining is None:
        return None
    if b.rounding == "minute":  # a started minute bills whole: stop on a minute boundary
        remaining = remaining // 60 * 60
    return remaining


def starts_refused(b: Budget) -> tuple[Refusal, str] | None:
    """Whether every new session is refused now, and why in words: the tenant is suspended, or less than the
    shortest session a provider takes (a minute) is left of the month's budget."""
    if b.tenant_status != "active":
        return "suspended", (
            "The operator suspended this tenant: every new session is refused (403 tenant-suspended) until it is "
            "resumed. Sessions, usage and reports stay readable."
        )
    startable = startable_s(b)
    if startable is not None and startable < MIN_SESSION_S:
        return "budget", (
            f"Less than a minute of this month's {b.monthly_minutes} minutes is left ({b.remaining_s} s): every new "
            f"session is refused (429 quota-exhausted) until {b.resets_at:%Y-%m-%d} (UTC) or until the operator "
            "raises the budget. A session needs at least a minute to start."
        )
    return None


def within_budget(b: Budget, max_duration_s: int) -> int:
    """The `max_duration` to send upstream: never more than the remaining budget can pay for."""
    remaining = startable_s(b)
    if remaining is None:
        return max_duration_s
    if remaining < MIN_SESSION_S:
        retry_after = max(1, math.ceil((b.resets_at - b.now).total_seconds()))
        raise Problem(
            "quota-exhausted",
            f"This month's {b.monthly_minutes} minutes are used up ({b.used_s} s billed; a session needs at least a "
            f"minute to start); sessions start again on {b.resets_at:%Y-%m-%d} (UTC), or when the operator raises "
            "the budget.",
            monthly_minutes=b.monthly_minutes,
            used_seconds=b.used_s,
            resets_at=b.resets_at.isoformat(),
            headers={"Retry-After": str(retry_after)},
        )
    return min(max_duration_s, remaining)
