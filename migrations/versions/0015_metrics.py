"""metrics: one SECURITY DEFINER snapshot of live sessions and the job queue, for /metrics

Revision ID: 0015
Revises: 0014

The app role sees one tenant at a time; Prometheus wants totals across tenants. This function answers
counts and an age, nothing else, so no tenant's rows leave their tenant.
"""
from __future__ import annotations

from alembic import op

from app.db.rls import APP_ROLE

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

FN = "greenroom_metrics_snapshot()"


def upgrade() -> None:
    op.execute("""
        create function greenroom_metrics_snapshot()
        returns table (name text, label text, value double precision)
        language sql stable security definer set search_path = public as $$
          select 'sessions_live', s.state::text, count(*)::float8 from sessions s
          where s.state in ('starting', 'active') group by s.state
          union all
          select 'jobs', j.kind || ':' || j.state, count(*)::float8 from jobs j
          where j.state in ('pending', 'running', 'parked') group by j.kind, j.state
          union all
          select 'job_oldest_pending_seconds', j.kind::text,
                 extract(epoch from clock_timestamp() - min(j.created_at))::float8 from jobs j
          where j.state in ('pending', 'running') group by j.kind $$""")
    op.execute(f"revoke all on function {FN} from public")
    op.execute(f"grant execute on function {FN} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function {FN}")
