"""The test database: a real PostgreSQL made by the migrations.

The embedded server by default; GREENROOM_TEST_DATABASE_URL names another
(a server where we may create databases).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from app.cli.serving import free_port
from app.db.migrate import upgrade
from app.db.rls import APP_ROLE
from devtools.embedded_postgres import EmbeddedPostgres


@dataclass(frozen=True)
class TestDatabase:
    __test__ = False  # not a test class, whatever pytest makes of its name
    owner_url: str  # made the schema (migrations); tests read ground truth through it
    app_url: str  # `greenroom_app`: what the app connects as, subject to row-level security


def as_app_role(owner_url: str) -> str:
    """The same server and database as the app role (trust auth, as on the embedded server)."""
    explicit = os.environ.get("GREENROOM_TEST_APP_DATABASE_URL")
    if explicit:
        return explicit.rsplit("/", 1)[0] + "/" + owner_url.rsplit("/", 1)[1]
    return make_url(owner_url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


@contextmanager
def temporary_database() -> Iterator[TestDatabase]:
    name = f"greenroom_test_{uuid.uuid4().hex[:10]}"
    external = os.environ.get("GREENROOM_TEST_DATABASE_URL")
    if external:
        admin = external.replace("postgresql+asyncpg://", "postgresql://")
        run(_exec(admin, f'create database "{name}"'))
        url = admin.rsplit("/", 1)[0] + f"/{name}"
        try:
            upgrade(url)
            yield TestDatabase(url, as_app_role(url))
        finally:
            run(_exec(admin, f'drop database if exists "{name}" with (force)'))
        return
    with tempfile.TemporaryDirectory(prefix="greenroom-test-pg-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg", free_port())
        pg.start()
        try:
            pg.create_database(name)
            url = pg.url(name)
            upgrade(url)
            yield TestDatabase(url, as_app_role(url))
        finally:
            pg.stop("immediate")


def run(coro: Any) -> Any:
    """Run a coroutine to completion from sync test code, even where a loop is running (Playwright's)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _exec(url: str, sql: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


class Db:
    """Synchronous helpers for tests to read what the app wrote."""

    def __init__(self, url: str) -> None:
        self.url = url

    def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        async def go() -> list[dict[str, Any]]:
            conn = await asyncpg.connect(self.url)
            try:
                return [dict(r) for r in await conn.fetch(sql, *args)]
            finally:
                await conn.close()

        return run(go())

    def value(self, sql: str, *args: Any) -> Any:
        rows = self.fetch(sql, *args)
        return next(iter(rows[0].values())) if rows else None

    def execute(self, sql: str, *args: Any) -> None:
        self.fetch(sql, *args)


_TEMPLATES: dict[str, str] = {}  # server -> a database made by the migrations once, copied for every private stack


@contextmanager
def migrated_copy(test_db: TestDatabase) -> Iterator[TestDatabase]:
    """A database of its own on the test server, with the schema the migrations make (copied from a template the
    migrations made once per run), dropped afterwards. For tests whose data must not meet the shared database's."""
    server, main = test_db.owner_url.rsplit("/", 1)
    admin = f"{server}/{main}"
    template = _TEMPLATES.get(server)
    if template is None:
        template = f"greenroom_template_{uuid.uuid4().hex[:10]}"
        run(_exec(admin, f'create database "{template}"'))
        upgrade(f"{server}/{template}")
        _TEMPLATES[server] = template
    name = f"greenroom_own_{uuid.uuid4().hex[:10]}"
    run(_exec(admin, f'create database "{name}" template "{template}"'))
    url = f"{server}/{name}"
    try:
        yield TestDatabase(url, as_app_role(url))
    finally:
        run(_exec(admin, f'drop database if exists "{name}" with (force)'))


def drop_templates(test_db: TestDatabase) -> None:
    """At the end of the run: the template `migrated_copy` made (it would outlive the run on an external server)."""
    server, main = test_db.owner_url.rsplit("/", 1)
    template = _TEMPLATES.pop(server, None)
    if template:
        run(_exec(f"{server}/{main}", f'drop database if exists "{template}" with (force)'))
