"""reaper: a SECURITY DEFINER look-up of live sessions, of every tenant, that must end now

Revision ID: 0007
Revises: 0006

The app role sees no session without a tenant (0003), so the reaper finds its candidates here: id, tenant and
reason only, rows other transactions hold skipped. It then ends each inside its tenant, re-checking the rule
(app/broker/reaper.py, docs/decisions/0010-reaper.md). The reasons: `start_timeout` (starting too long),
`max_duration` (past expires_at), `heartbeat_lost` (a widget session whose heartbeats stopped).
"""
from __future__ import annotations

from alembic import op

from app.db.rls import APP_ROLE

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FN = "greenroom_reap_candidates(int, int, int)"


def upgrade() -> None:
    op.execute("""
        create function greenroom_reap_candidates(p_batch int, p_heartbeat_grace_s int, p_starting_timeout_s int)
        returns table (id uuid, tenant_id uuid, reason text)
        language sql volatile security definer set search_path = public as $$
          select s.id, s.tenant_id,
                 case when s.state = 'starting' then 'start_timeout'
                      when s.expires_at <= clock_timestamp() then 'max_duration'
                      else 'heartbeat_lost' end
          from sessions s
          where s.state in ('starting', 'active')  -- only live rows: the partial index ix_sessions_tenant_live
            and ((s.state = 'starting' and s.created_at < clock_timestamp() - make_interval(secs => p_starting_timeout_s))
              or (s.state = 'active' and s.expires_at <= clock_timestamp())
              or (s.state = 'active' and s.widget_key_id is not null
                  and coalesce(s.last_heartbeat_at, s.started_at) < clock_timestamp() - make_interval(secs => p_heartbeat_grace_s)))
          limit p_batch
          for update of s skip locked $$""")
    op.execute(f"revoke all on function {FN} from public")
    op.execute(f"grant execute on function {FN} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function {FN}")
