"""Heartbeats, cheap: one read per beat; the `last_heartbeat_at` writes go to the database once a second, batched.

Losing up to a second of beats in a crash is harmless: the reaper allows a grace of three intervals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.engine import transaction
from app.metrics import HEARTBEAT_BATCH

log = logging.getLogger("greenroom.heartbeats")
STATE = text("select * from greenroom_heartbeat_state(:id, :h)")
TOUCH = text("select greenroom_touch_sessions(:ids)")


async def heartbeat_state(db: AsyncSession, session_id: uuid.UUID, token_hash: str) -> Any:
    """(state, ended_at, expires_at, origin) of the session this token belongs to, or None."""
    return (await db.execute(STATE, {"id": session_id, "h": token_hash})).first()


class HeartbeatBatcher:
    """Collects the sessions that beat; writes them all in one statement every `interval_s`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], interval_s: float = 1.0) -> None:
        self.sessions, self.interval_s = sessions, interval_s
        self.pending: set[uuid.UUID] = set()
        self.task: asyncio.Task[None] | None = None
        self.batches: list[int] = []  # sizes of recent batches, for metrics and tests

    def note(self, session_id: uuid.UUID) -> None:
        self.pending.add(session_id)

    async def flush(self) -> int:
        if not self.pending:
            return 0
        ids, self.pending = list(self.pending), set()
        try:
            async with transaction(self.sessions) as db:
                await db.execute(TOUCH, {"ids": ids})
        except Exception:
            log.exception("could not record %d heartbeats; keeping them for the next flush", len(ids))
            self.pending.update(ids)
            return 0
        self.batches = [*self.batches[-99:], len(ids)]
        HEARTBEAT_BATCH.observe(len(ids))
        return len(ids)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            await self.flush()

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="heartbeat-batcher")

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.flush()
