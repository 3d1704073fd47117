"""`greenroom vault rotate`: every data key rewrapped under the newest master key, online, resumable.

The session database is shared, and rotation scans the whole table: other tests' credentials, sealed under
other random keysets, show up here as failed rows (which also proves they are left alone). Tests that need
exact counts or batch boundaries use a database of their own on the same server (`own_url`).
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from app.db.engine import make_engine, make_sessionmaker, transaction
from app.db.migrate import upgrade
from app.settings import Settings
from app.vault.crypto import Sealed, Vault
from app.vault.rotate import RotationResult, count_by_version, rotate
from app.vault.service import load_credentials, reveal
from tests.support.database import Db, run
from tests.support.stack import TenantKeys, make_tenant, settings_for

ROOT = Path(__file__).resolve().parents[2]


def keyset(*versions: int) -> dict[int, bytes]:
    return {v: os.urandom(32) for v in versions}


def keys_env(keys: dict[int, bytes]) -> str:
    return ",".join(f"{v}:{base64.b64encode(k).decode()}" for v, k in sorted(keys.items()))


def settings_with(url: str, keys: dict[int, bytes]) -> Settings:
    return settings_for(url, "http://127.0.0.1:9", "http://127.0.0.1:9", master_keys=keys_env(keys))


def new_tenant(url: str, keys: dict[int, bytes]) -> TenantKeys:
    provider_keys = {p: f"{p}-{secrets.token_urlsafe(24)}" for p in ("openai", "avaturn", "cartesia")}
    return run(make_tenant(settings_with(url, keys), provider_keys))


async def rotate_on(url: str, keys: dict[int, bytes], **kw: Any) -> RotationResult:
    engine = make_engine(url, pool_size=2)
    try:
        return await rotate(make_sessionmaker(engine), Vault(keys), **kw)
    finally:
        await engine.dispose()


async def versions_on(url: str) -> dict[int, int]:
    engine = make_engine(url, null_pool=True)
    try:
        return await count_by_version(make_sessionmaker(engine))
    finally:
        await engine.dispose()


def rows_of(db: Db, tenants: list[TenantKeys]) -> list[dict[str, Any]]:
    return db.fetch(
        "select * from provider_credentials where tenant_id = any($1::uuid[]) order by id",
        [t.tenant_id for t in tenants],
    )


def open_row(keys: dict[int, bytes], row: dict[str, Any]) -> str:
    sealed = Sealed(row["ciphertext"], row["nonce"], row["wrapped_key"], row["key_nonce"], row["master_key_version"])
    return Vault(keys).open(sealed, tenant_id=row["tenant_id"], record_id=row["id"], provider=row["provider"])


def assert_plaintexts(keys: dict[int, bytes], rows: list[dict[str, Any]], tenants: list[TenantKeys]) -> None:
    expected = {(t.tenant_id, p): k for t in tenants for p, k in t.provider_keys.items()}
    assert {(r["tenant_id"], r["provider"]): open_row(keys, r) for r in rows} == expected


@pytest.fixture
def own_url(owner_database_url: str) -> Iterator[str]:
    """A fresh migrated database on the session's server, for tests that need the whole table to themselves."""
    name = f"greenroom_rotate_{uuid.uuid4().hex[:10]}"
    plain = owner_database_url.replace("postgresql+asyncpg://", "postgresql://")

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(plain)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    run(admin(f'create database "{name}"'))
    url = plain.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        run(admin(f'drop database if exists "{name}" with (force)'))


def test_rotation_rewraps_only_the_data_key_under_the_newest_version(owner_database_url: str, db: Db) -> None:
    old = keyset(1)
    tenants = [new_tenant(owner_database_url, old) for _ in range(2)]
    before = rows_of(db, tenants)
    assert {r["master_key_version"] for r in before} == {1}

    both = {**old, **keyset(2)}
    result = run(rotate_on(owner_database_url, both, batch_size=2))

    after = rows_of(db, tenants)
    assert {r["master_key_version"] for r in after} == {2}
    assert_plaintexts({2: both[2]}, after, tenants)  # version 1 is no longer needed for these rows
    for b, a in zip(before, after, strict=True):
        assert (a["ciphertext"], a["nonce"], a["updated_at"]) == (b["ciphertext"], b["nonce"], b["updated_at"])
        assert a["wrapped_key"] != b["wrapped_key"] and a["key_nonce"] != b["key_nonce"]
    assert result.rewrapped >= len(after) and not set(result.failed) & {r["id"] for r in after}
    assert result.remaining == 0 and not result.interrupted


def test_interrupted_run_leaves_a_consistent_mix_and_the_next_run_finishes(own_url: str) -> None:
    db, old = Db(own_url), keyset(1)
    tenants = [new_tenant(own_url, old) for _ in range(3)]  # 9 credentials
    both = {**old, **keyset(2)}

    # Ctrl-C in the CLI sets the stop event: the batch in flight is committed, then the run returns.
    stop = asyncio.Event()
    first = run(rotate_on(own_url, both, batch_size=4, progress=lambda done, total: stop.set(), stop=stop))
    assert (first.interrupted, first.rewrapped, first.remaining) == (True, 4, 5)
    assert run(versions_on(own_url)) == {1: 5, 2: 4}
    assert_plaintexts(both, rows_of(db, tenants), tenants)

    # A crash between batches (here the progress callback raising) keeps the batches already committed.
    class Boom(Exception):
        pass

    def explode(done: int, total: int) -> None:
        raise Boom

    with pytest.raises(Boom):
        run(rotate_on(own_url, both, batch_size=4, progress=explode))
    assert run(versions_on(own_url)) == {1: 1, 2: 8}
    assert_plaintexts(both, rows_of(db, tenants), tenants)

    seen: list[tuple[int, int]] = []
    last = run(rotate_on(own_url, both, batch_size=4, progress=lambda done, total: seen.append((done, total))))
    assert (last.rewrapped, last.already_current, last.failed, last.remaining, last.interrupted) == (1, 8, {}, 0, False)
    assert seen == [(1, 1)]
    assert run(versions_on(own_url)) == {2: 9}
    assert_plaintexts({2: both[2]}, rows_of(db, tenants), tenants)


@pytest.mark.slow  # two rotations racing readers on purpose, over ~10 s
def test_reads_never_fail_while_two_copies_rotate(owner_database_url: str, db: Db) -> None:
    old = keyset(1)
    tenants = [new_tenant(owner_database_url, old) for _ in range(3)]
    both = {**old, **keyset(2)}
    app_vault = Vault(both)  # what a rolled-out app instance holds during the rotation
    done, failures, versions_read = threading.Event(), [], set()
    reads = 0

    def reader() -> None:
        async def loop() -> None:
            nonlocal reads
            engine = make_engine(owner_database_url, pool_size=1)
            sessions = make_sessionmaker(engine)
            try:
                while not done.is_set():
                    for t in tenants:  # the broker's path: load in a transaction, decrypt outside it
                        async with transaction(sessions, t.tenant_id) as s:
                            creds = await load_credentials(s, t.tenant_id, list(t.provider_keys))
                        for provider, cred in creds.items():
                            versions_read.add(cred.master_key_version)
                            try:
                                assert reveal(app_vault, cred) == t.provider_keys[provider]
                            except Exception as exc:
                                failures.append(repr(exc))
                        reads += 1
            finally:
                await engine.dispose()

        asyncio.run(loop())

    def slowly(done_: int, total: int) -> None:
        time.sleep(0.01)  # widen the window in which readers see a mix of versions

    with ThreadPoolExecutor(3) as pool:
        reading = pool.submit(reader)
        copies = [
            pool.submit(run, rotate_on(owner_database_url, both, batch_size=1, progress=slowly)) for _ in range(2)
        ]
        results = [c.result(timeout=120) for c in copies]
        done.set()
        reading.result(timeout=30)

    assert not failures, failures[:3]
    assert reads > 0 and versions_read == {1, 2}, (reads, versions_read)
    mine = rows_of(db, tenants)
    assert {r["master_key_version"] for r in mine} == {2}
    assert_plaintexts({2: both[2]}, mine, tenants)
    # SKIP LOCKED: every row was rewrapped by exactly one of the copies (only our rows open with our keyset).
    assert sum(r.rewrapped for r in results) == len(mine)


def test_unreadable_rows_are_reported_and_left_untouched(owner_database_url: str, db: Db) -> None:
    keys = keyset(2)
    tenant = new_tenant(owner_database_url, keys)
    rows = rows_of(db, [tenant])
    retired, tampered, good = rows[0]["id"], rows[1]["id"], rows[2]["id"]
    # A row on a version removed from the keyset too early, and one whose wrapped key was altered.
    db.execute("update provider_credentials set master_key_version = 1 where id = $1", retired)
    db.execute("update provider_credentials set wrapped_key = $2 where id = $1", tampered, os.urandom(48))
    before = {r["id"]: r for r in rows_of(db, [tenant])}

    newer = {**keys, **keyset(3)}
    result = run(rotate_on(owner_database_url, newer, batch_size=1))

    assert result.failed[retired] == "master key version 1 is not configured"
    assert "does not belong" in result.failed[tampered]
    after = {r["id"]: r for r in rows_of(db, [tenant])}
    assert after[retired] == before[retired] and after[tampered] == before[tampered]
    assert after[good]["master_key_version"] == 3 and open_row({3: newer[3]}, after[good]) == open_row(
        keys, before[good]
    )
    assert not result.interrupted and result.remaining == 0  # failed rows are reported, not "remaining"


def test_status_counts_credentials_per_version(owner_database_url: str) -> None:
    old = keyset(1)
    start = run(versions_on(owner_database_url))
    new_tenant(owner_database_url, old)
    added = run(versions_on(owner_database_url))
    assert added.get(1, 0) == start.get(1, 0) + 3 and added.get(2, 0) == start.get(2, 0)

    run(rotate_on(owner_database_url, {**old, **keyset(2)}))  # other tests' rows fail to open and stay where they are
    rotated = run(versions_on(owner_database_url))
    assert rotated.get(1, 0) == added[1] - 3 and rotated.get(2, 0) == added.get(2, 0) + 3


def greenroom(url: str, keys: dict[int, bytes], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")}
    env.update(
        GREENROOM_DATABASE_URL=url,
        GREENROOM_MASTER_KEYS=keys_env(keys),
        GREENROOM_SIGNING_KEY=secrets.token_urlsafe(48),
    )
    return subprocess.run(
        [sys.executable, "-m", "app.cli.main", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.slow  # the CLI, four times, each a fresh process
def test_cli_rotates_reports_counts_and_fails_on_unreadable_rows(own_url: str) -> None:
    old = keyset(1)
    for _ in range(2):
        new_tenant(own_url, old)
    both = {**old, **keyset(2)}

    dry = greenroom(own_url, both, "vault", "rotate", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would be rewrapped to master key version 2: 6\nalready current: 0\nfailed: 0\n" in dry.stdout
    assert run(versions_on(own_url)) == {1: 6}

    done = greenroom(own_url, both, "vault", "rotate", "--batch-size", "4")
    assert done.returncode == 0, done.stderr
    assert "rewrapped to master key version 2: 6\nalready current: 0\nfailed: 0\n" in done.stdout
    status = greenroom(own_url, both, "vault", "status")
    assert status.returncode == 0, status.stderr
    lines = [line.split() for line in status.stdout.splitlines()]
    assert ["1", "0", "configured"] in lines and ["2", "6", "newest"] in lines
    assert "version(s) 1: they can be removed" in status.stdout

    stranger = new_tenant(own_url, keyset(1))  # sealed under a version 1 this keyset does not have
    again = greenroom(own_url, both, "vault", "rotate")
    assert again.returncode == 1, again.stdout + again.stderr
    assert "rewrapped to master key version 2: 0\nalready current: 6\nfailed: 3\n" in again.stdout
    failed_ids = {
        r["id"]
        for r in Db(own_url).fetch("select id from provider_credentials where tenant_id = $1", stranger.tenant_id)
    }
    assert all(str(i) in again.stdout for i in failed_ids)
    assert run(versions_on(own_url)) == {1: 3, 2: 6}


def test_webhook_signing_secrets_are_rotated_too(own_url: str) -> None:
    """A webhook's signing secret is sealed like a provider key: a rotation must carry it to the newest version."""
    from app.db.engine import transaction
    from app.webhooks import signing
    from app.webhooks.models import WebhookEndpoint, WebhookSecret

    old = keyset(1)
    tenant = new_tenant(own_url, old)

    async def add_endpoint() -> str:
        engine = make_engine(own_url, null_pool=True)
        try:
            async with transaction(make_sessionmaker(engine), tenant.tenant_id) as db:
                endpoint = WebhookEndpoint(
                    id=uuid.uuid4(),
                    tenant_id=tenant.tenant_id,
                    url="https://hooks.example/in",
                    events=["session.ended"],
                    enabled=True,
                )
                db.add(endpoint)
                await db.flush()
                from app.webhooks.service import add_secret

                return await add_secret(db, Vault(old), endpoint)
        finally:
            await engine.dispose()

    secret = run(add_endpoint())
    new = {**old, **keyset(2)}
    result = run(rotate_on(own_url, new))
    assert result.rewrapped == 3 + 1 and not result.failed  # three provider keys and the signing secret
    assert run(versions_on(own_url)) == {2: 4}
    row = Db(own_url).fetch("select * from webhook_secrets")[0]
    assert row["master_key_version"] == 2
    sealed_row = WebhookSecret(
        **{
            k: row[k]
            for k in ("id", "tenant_id", "ciphertext", "nonce", "wrapped_key", "key_nonce", "master_key_version")
        }
    )
    assert signing.reveal(Vault({2: new[2]}), sealed_row) == secret  # readable without the retired version
