"""Row-level security, used by migrations: every tenant-owned table gets the same policies."""

from __future__ import annotations

from alembic import op

APP_ROLE = "greenroom_app"


def enable_tenant_rls(table: str) -> None:
    """FORCE RLS (owners are subject too); the app role sees its transaction's tenant; the migration owner sees all."""
    op.execute(f"alter table {table} enable row level security")
    op.execute(f"alter table {table} force row level security")
    op.execute(
        f"""create policy tenant_isolation on {table} to {APP_ROLE}
                   using (tenant_id = greenroom_current_tenant()) with check (tenant_id = greenroom_current_tenant())"""
    )
    op.execute(f"create policy migration_owner on {table} to current_user using (true) with check (true)")
