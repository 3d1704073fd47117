"""parked jobs of every tenant, for the operator's console: ids and tenants only

Revision ID: 0019
Revises: 0018

The app role sees no job without a tenant (0003). `GET /v1/operator/jobs` finds the parked ones here (all of them,
or those of the given ids), newest first, as (id, tenant) only, then reads and retries each tenant's jobs inside that tenant (app/jobs/outbox.py), as the
reaper does with sessions. `greenroom jobs list|retry` runs as the schema owner and needs none of this.
"""
from __future__ import annotations

from alembic import op

from app.db.rls import APP_ROLE

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

FN = "greenroom_parked_jobs(int, bigint[])"


def upgrade() -> None:
    op.execute("""
        create function greenroom_parked_jobs(p_limit int, p_ids bigint[] default null)
        returns table (id bigint, tenant_id uuid)
        language sql stable security definer set search_path = public as $$
          select j.id, j.tenant_id from jobs j
          where j.state = 'parked' and (p_ids is null or j.id = any(p_ids))
          order by j.id desc limit p_limit $$""")
    op.execute(f"revoke all on function {FN} from public")
    op.execute(f"grant execute on function {FN} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function {FN}")
