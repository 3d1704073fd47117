"""Heartbeats, cheap: beats that arrive together are answered and recorded together.

A widget beats every 20 s; one instance must carry tens of thousands of sessions. Each beat waits at most
`window_s` (2 ms) for others to join it; then one statement (`greenroom_heartbeat_batch`, migration 0016)
checks every session token, stamps `last_heartbeat_at` on the live sessions and returns each one's state.
Under load that is one database round trip per batch instead of one per beat.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.keys import bearer
from app.broker import repository
from app.db.engine import transaction
from app.errors import Problem
from app.kit.tokens import hash_token
from app.metrics import HEARTBEAT_BATCH

log = logging.getLogger("greenroom.heartbeats")


class HeartbeatBatcher:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], window_s: float = 0.002, max_batch: int = 500
    ) -> None:
        self.sessions, self.window_s, self.max_batch = sessions, window_s, max_batch
        self.pending: list[tuple[uuid.UUID, str, asyncio.Future[Any]]] = []
        self.flushing: asyncio.TimerHandle | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.batches: list[int] = []  # sizes of recent batches, for tests

    async def beat_with_token(self, session_id: uuid.UUID, authorization: str | None) -> Any:
        """A widget's beat, authorised by the session's token (`Bearer …`); the session's state, or 401."""
        token = bearer(authorization)
        if not token:
            raise Problem("invalid-session-token", "Unknown session or wrong session token.")
        row = await self.beat(session_id, hash_token(token))  # batched with others
        if row is None:
            raise Problem("invalid-session-token", "Unknown session or wrong session token.")
        return row

    async def beat(self, session_id: uuid.UUID, token_hash: str) -> Any:
        """Record a beat; the session's (state, ended_at, expires_at, origin), or None for a wrong id or token."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending.append((session_id, token_hash, future))
        if len(self.pending) >= self.max_batch:
            self._flush_now()
        elif self.flushing is None:
            self.flushing = asyncio.get_running_loop().call_later(self.window_s, self._flush_now)
        return await future

    def _flush_now(self) -> None:
        if self.flushing is not None:
            self.flushing.cancel()
            self.flushing = None
        batch, self.pending = self.pending, []
        if batch:
            task = asyncio.create_task(self._write(batch))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _write(self, batch: list[tuple[uuid.UUID, str, asyncio.Future[Any]]]) -> None:
        try:
            async with transaction(self.sessions) as db:
                # Keyed by (session, token): a wrong token for a session that also beats rightly in this batch
                # gets nothing.
                beats = await repository.heartbeat_batch(db, [b[0] for b in batch], [b[1] for b in batch])
                rows = {(r.id, r.token_hash): r for r in beats}
        except Exception as exc:
            log.warning("could not record %d heartbeats: %s", len(batch), type(exc).__name__)
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        self.batches = [*self.batches[-99:], len(batch)]
        HEARTBEAT_BATCH.observe(len(batch))
        for session_id, token_hash, future in batch:
            if not future.done():
                future.set_result(rows.get((session_id, token_hash)))

    def start(self) -> None:  # nothing runs between beats; kept so the app's lifespan reads the same
        return None

    async def stop(self) -> None:
        self._flush_now()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
