"""idempotency keys expire: a SECURITY DEFINER sweep the worker runs across tenants

Revision ID: 0013
Revises: 0012

Keys are kept 24 hours, as Stripe keeps them; after that the same key starts a new request. The app role
sees idempotency keys only inside a tenant (RLS), so the worker's sweep is this narrow function.
"""
from __future__ import annotations

from alembic import op

from app.db.rls import APP_ROLE

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FN = "greenroom_expire_idempotency_keys(int, int)"


def upgrade() -> None:
    op.execute("""
        create function greenroom_expire_idempotency_keys(p_older_than_s int, p_batch int) returns int
        language sql volatile security definer set search_path = public as $$
          with gone as (
            delete from idempotency_keys where ctid in (
              select ctid from idempotency_keys
              where created_at < clock_timestamp() - make_interval(secs => p_older_than_s)
              limit p_batch for update skip locked)
            returning 1)
          select count(*)::int from gone $$""")
    op.execute(f"revoke all on function {FN} from public")
    op.execute(f"grant execute on function {FN} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function {FN}")
