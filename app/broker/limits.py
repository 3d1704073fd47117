"""Concurrency limits that hold across any number of app instances.

The check and the insert of the new `starting` session happen in Tx 1 while the tenant's row is locked
(`SELECT … FOR UPDATE`): every create of one tenant, on every instance, waits its turn for those few
milliseconds, so the count it reads is the count it leaves. The lock is taken only when a limit applies.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.broker import repository
from app.errors import Problem

RETRY_AFTER_S = "5"  # a hint: a slot frees when any live session ends


async def reserve_slot(db: AsyncSession, tenant_id: uuid.UUID, agent: Any, widget_key_id: uuid.UUID | None) -> None:
    """Raise 429 `concurrency-limit` if one more live session would exceed the tenant's, agent's or key's limit."""
    key_limit = None
    if widget_key_id is not None:
        key_limit = await repository.widget_key_limit(db, widget_key_id)
    limits = {"tenant": agent.tenant_max_concurrent, "agent": agent.max_concurrent_sessions, "widget key": key_limit}
    if all(v is None for v in limits.values()):
        return
    await repository.lock_tenant(db, tenant_id)
    counts = await repository.live_counts(db, tenant_id, agent.id, widget_key_id)
    for (scope, limit), count in zip(limits.items(), counts, strict=True):
        if limit is not None and count >= limit:
            raise Problem(
                "concurrency-limit",
                f"The {scope} allows {limit} live session(s) at once and has {count}; end one or retry.",
                scope=scope.replace(" ", "_"),
                limit=limit,
                live=count,
                headers={"Retry-After": RETRY_AFTER_S},
            )
