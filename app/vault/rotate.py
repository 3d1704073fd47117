"""Rewrap every sealed secret's data key under the newest master key, while the app keeps serving.

Sealed secrets live in `provider_credentials` (tenants' provider keys) and `webhook_secrets` (webhook signing
secrets); both are rotated, one table after the other. Sealed idempotency answers are not: they expire within a
day (the worker's housekeeping, app/worker.py), so keep a retired master key configured for a day after a rotation.

Each batch is its own short transaction that locks its rows with SKIP LOCKED, so app instances and another
copy of the command are never blocked and no row is rewrapped twice. A row is rewritten in one UPDATE
(wrapped key, key nonce and version together), so a reader sees either the old or the new wrapping, and
the app, holding both master keys, can open either. Committing per batch makes the run resumable: the next
run selects whatever is still not on the newest version.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import registry as _all_models  # noqa: F401 - every mapped table, so the ORM can resolve foreign keys in a bare CLI process
from app.db.engine import transaction
from app.vault.crypto import Sealed, Vault, VaultError
from app.vault.models import ProviderCredential
from app.webhooks.models import WebhookSecret

Progress = Callable[[int, int], None]  # (rows handled so far, rows not on the newest version at the start)


@dataclass
class RotationResult:
    newest_version: int
    dry_run: bool = False
    rewrapped: int = 0  # with dry_run: would be rewrapped
    already_current: int = 0
    failed: dict[uuid.UUID, str] = field(default_factory=dict)  # row id -> why it could not be unwrapped
    remaining: int = 0  # still not on the newest version and not failed: locked elsewhere, or not reached yet
    interrupted: bool = False


SEALED_TABLES: tuple[Any, ...] = (ProviderCredential, WebhookSecret)


async def count_by_version(sessions: async_sessionmaker[AsyncSession]) -> dict[int, int]:
    """Sealed secrets (all tables) per master key version."""
    counts: dict[int, int] = {}
    async with transaction(sessions) as db:
        for table in SEALED_TABLES:
            for version, n in await db.execute(
                select(table.master_key_version, func.count()).group_by(table.master_key_version)
            ):
                counts[version] = counts.get(version, 0) + n
    return counts


async def rotate(
    sessions: async_sessionmaker[AsyncSession],
    vault: Vault,
    *,
    batch_size: int = 100,
    progress: Progress | None = None,
    stop: asyncio.Event | None = None,
    dry_run: bool = False,
) -> RotationResult:
    newest = vault.current_version
    counts = await count_by_version(sessions)
    result = RotationResult(newest, dry_run, already_current=counts.get(newest, 0))
    total = sum(counts.values()) - result.already_current
    for table in SEALED_TABLES:
        after: uuid.UUID | None = None
        while True:
            if stop is not None and stop.is_set():
                result.interrupted = True
                break
            after = await _batch(sessions, vault, table, result, after, batch_size)
            if after is None:
                break
            if progress is not None:
                progress(result.rewrapped + len(result.failed), total)
    if not dry_run:
        now = await count_by_version(sessions)
        result.remaining = max(sum(now.values()) - now.get(newest, 0) - len(result.failed), 0)
    return result


async def _batch(
    sessions: async_sessionmaker[AsyncSession],
    vault: Vault,
    c: Any,
    result: RotationResult,
    after: uuid.UUID | None,
    n: int,
) -> uuid.UUID | None:
    """Rewrap one batch of table `c` in one transaction; the id of its last row (the next batch starts after it),
    None when done."""
    kept = [c.updated_at] if hasattr(c, "updated_at") else []
    query = select(c.id, c.tenant_id, c.ciphertext, c.nonce, c.wrapped_key, c.key_nonce, c.master_key_version, *kept)
    # Not `<`: a row above the newest version means this keyset is stale (an app wraps with a key we lack);
    # it is reported as failed, not counted as current. The id cursor moves past failed rows, which keep
    # their version and would otherwise be selected forever.
    query = query.where(c.master_key_version != result.newest_version).order_by(c.id).limit(n)
    if after is not None:
        query = query.where(c.id > after)
    if not result.dry_run:
        query = query.with_for_update(skip_locked=True)
    async with transaction(sessions) as db:
        rows = (await db.execute(query)).all()
        changes = [change for row in rows if (change := _rewrap(vault, row, result)) is not None]
        if changes and not result.dry_run:
            await db.execute(update(c), changes)  # executemany by primary key
    return rows[-1].id if rows else None


def _rewrap(vault: Vault, row: Row[Any], result: RotationResult) -> dict[str, Any] | None:
    sealed = Sealed(row.ciphertext, row.nonce, row.wrapped_key, row.key_nonce, row.master_key_version)
    try:
        new = vault.rewrap(sealed, tenant_id=row.tenant_id, record_id=row.id)
    except VaultError as exc:
        result.failed[row.id] = str(exc)  # reported, and the row is left exactly as it was
        return None
    result.rewrapped += 1
    # updated_at is written back unchanged: it orders a tenant's credentials (the newest label wins), and
    # rewrapping must not change which key a session uses.
    change = {
        "id": row.id,
        "wrapped_key": new.wrapped_key,
        "key_nonce": new.key_nonce,
        "master_key_version": new.master_key_version,
    }
    if "updated_at" in row._fields:
        change["updated_at"] = row.updated_at
    return change
