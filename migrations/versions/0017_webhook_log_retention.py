"""webhook delivery log retention: a SECURITY DEFINER sweep the worker runs across tenants

Revision ID: 0017
Revises: 0016

The delivery log grows with every attempt; the worker forgets attempts older than 90 days in batches
(app/jobs/housekeeping.py). Like the idempotency-key sweep (0013), it answers a count and nothing else.
"""
from __future__ import annotations

from alembic import op

from app.db.rls import APP_ROLE

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

FN = "greenroom_expire_webhook_attempts(int, int)"


def upgrade() -> None:
    op.execute("""
        create function greenroom_expire_webhook_attempts(p_older_than_s int, p_batch int) returns int
        language sql volatile security definer set search_path = public as $$
          with gone as (
            delete from webhook_attempts where ctid in (
              select ctid from webhook_attempts
              where attempted_at < clock_timestamp() - make_interval(secs => p_older_than_s)
              limit p_batch for update skip locked)
            returning 1)
          select count(*)::int from gone $$""")
    op.execute(f"revoke all on function {FN} from public")
    op.execute(f"grant execute on function {FN} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function {FN}")
