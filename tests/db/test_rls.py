"""Row-level security is the backstop under the app's own tenant filters.

The app's role sees one tenant per transaction, and nothing without one; it owns no table and cannot
bypass RLS. A new tenant-owned table without forced RLS and a policy fails the first test.
"""

from __future__ import annotations

import uuid

import asyncpg

from app.db.rls import APP_ROLE
from tests.support.database import Db, run

TENANT = "select set_config('app.tenant_id', $1, true)"


def tenant_tables(db: Db) -> list[str]:
    return [
        r["table_name"]
        for r in db.fetch(
            "select table_name from information_schema.columns"
            " where table_schema = 'public' and column_name = 'tenant_id'"
        )
    ]


def test_every_table_with_tenant_id_has_forced_rls_and_a_policy(db: Db) -> None:
    tables = tenant_tables(db)
    assert {"agents", "api_keys", "widget_keys", "provider_credentials", "sessions", "jobs"} <= set(tables)
    for table in tables:
        flags = db.fetch("select relrowsecurity, relforcerowsecurity from pg_class where relname = $1", table)[0]
        assert flags == {"relrowsecurity": True, "relforcerowsecurity": True}, f"{table}: RLS not forced"
        policies = db.fetch(
            "select roles, qual from pg_policies where tablename = $1 and policyname = 'tenant_isolation'", table
        )
        assert policies and APP_ROLE in policies[0]["roles"] and "greenroom_current_tenant()" in policies[0]["qual"], (
            table
        )


def test_the_app_role_owns_nothing_and_cannot_bypass(db: Db, database_url: str) -> None:
    role = db.fetch("select rolsuper, rolbypassrls from pg_roles where rolname = $1", APP_ROLE)[0]
    assert role == {"rolsuper": False, "rolbypassrls": False}
    assert db.value("select count(*) from pg_tables where schemaname = 'public' and tableowner = $1", APP_ROLE) == 0
    assert APP_ROLE in database_url, "the app under test must connect as the app role"


def test_without_a_tenant_every_tenant_table_reads_empty(db: Db, database_url: str, stack, tenant) -> None:
    stack.http.post("/v1/sessions", json={"agent": "demo"}, headers={"Authorization": f"Bearer {tenant.server_key}"})

    async def counts() -> dict[str, int]:
        conn = await asyncpg.connect(database_url)
        try:
            return {t: await conn.fetchval(f'select count(*) from "{t}"') for t in tenant_tables(db)}
        finally:
            await conn.close()

    assert (
        db.value("select count(*) from sessions where tenant_id = $1", tenant.tenant_id) == 1
    )  # the owner sees the row
    assert run(counts()) == dict.fromkeys(tenant_tables(db), 0)


def test_a_pooled_connection_carries_nothing_from_tenant_a_to_tenant_b(db: Db, database_url: str, tenant) -> None:
    other = uuid.uuid4()

    async def scenario() -> tuple[int, int, int, int]:
        conn = await asyncpg.connect(database_url)  # one connection, reused as a pool would
        try:
            async with conn.transaction():
                await conn.execute(TENANT, str(tenant.tenant_id))
                seen_a = await conn.fetchval("select count(*) from agents")
            async with conn.transaction():
                await conn.execute(TENANT, str(other))
                seen_b = await conn.fetchval("select count(*) from agents")
                leaked = await conn.fetchval("select count(*) from agents where tenant_id = $1", tenant.tenant_id)
            after = await conn.fetchval("select count(*) from agents")  # outside any tenant transaction
            return seen_a, seen_b, leaked, after
        finally:
            await conn.close()

    seen_a, seen_b, leaked, after = run(scenario())
    assert seen_a == db.value("select count(*) from agents where tenant_id = $1", tenant.tenant_id) > 0
    assert (seen_b, leaked, after) == (0, 0, 0)


def test_a_write_into_another_tenant_is_refused(database_url: str, tenant) -> None:
    async def scenario() -> str:
        conn = await asyncpg.connect(database_url)
        try:
            async with conn.transaction():
                await conn.execute(TENANT, str(uuid.uuid4()))
                await conn.execute(
                    "insert into agents (id, tenant_id, slug, name, engine, engine_config, avatar) "
                    "values ($1, $2, 'sneaky', 'x', 'cartesia', '{}', '{}')",
                    uuid.uuid4(),
                    tenant.tenant_id,
                )
        except asyncpg.exceptions.InsufficientPrivilegeError as exc:
            return str(exc)
        finally:
            await conn.close()
        return "allowed"

    assert "row-level security" in run(scenario())
