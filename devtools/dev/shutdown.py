"""A clean stop of `greenroom dev` ends every live session at the simulator before the processes go.

The simulator keeps its sessions in memory. A session left live across a restart would be unknown upstream and,
after the next start, billed its full `max_duration` by the reaper. Ending live sessions on Ctrl-C keeps the ledger
true to what a developer saw: the session ran until they stopped the stack.
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func, select

from app.broker.ending import end_session
from app.broker.models import LIVE_STATES, AvatarSession
from app.db import registry as _all_models  # noqa: F401  every model registered
from app.db.engine import make_engine, make_sessionmaker, transaction

END_REASON = "dev_stopped"


async def end_live_sessions(owner_url: str, *, wait_s: float) -> tuple[int, int]:
    """End every live session (as the schema owner, all tenants); wait until the worker has ended them upstream.

    Returns (ended, confirmed upstream within `wait_s`)."""
    engine = make_engine(owner_url, null_pool=True)
    sessions = make_sessionmaker(engine)
    try:
        async with transaction(sessions) as db:
            live = list(
                await db.scalars(select(AvatarSession).where(AvatarSession.state.in_(LIVE_STATES)).with_for_update())
            )
            for session in live:
                await end_session(db, session, "terminated", END_REASON)
        ids = [s.id for s in live if s.upstream_session_id]
        deadline = time.monotonic() + wait_s
        while True:
            async with transaction(sessions) as db:
                confirmed = (
                    await db.scalar(
                        select(func.count())
                        .select_from(AvatarSession)
                        .where(AvatarSession.id.in_(ids), AvatarSession.upstream_ended_at.is_not(None))
                    )
                    if ids
                    else 0
                )
            if confirmed == len(ids) or time.monotonic() > deadline:
                return len(live), int(confirmed or 0)
            await asyncio.sleep(0.1)
    finally:
        await engine.dispose()
