"""heartbeats: answer and record many beats in one statement

Revision ID: 0016
Revises: 0015

Beats arriving within a few milliseconds of each other are answered together: one SECURITY DEFINER call
checks every (session, token hash) pair, stamps `last_heartbeat_at` on the live ones and returns each
session's state. One round trip per batch instead of one read per beat plus a write per second. Migration 0010's functions stay: during a rolling deploy, instances still
running the previous release call them.
"""
from __future__ import annotations

from alembic import op

from app.db.rls import APP_ROLE

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

FN = "greenroom_heartbeat_batch(uuid[], text[])"


def upgrade() -> None:
    op.execute("""
        create function greenroom_heartbeat_batch(p_ids uuid[], p_token_hashes text[])
        returns table (id uuid, token_hash text, state varchar, ended_at timestamptz, expires_at timestamptz, origin text)
        language sql volatile security definer set search_path = public as $$
          with beat as (select * from unnest(p_ids, p_token_hashes) as b(id, token_hash)),
          touched as (
            update sessions s set last_heartbeat_at = clock_timestamp()
            from beat where s.id = beat.id and s.heartbeat_token_hash = beat.token_hash
              and s.state in ('starting', 'active')
            returning s.id)
          select s.id, beat.token_hash, s.state, s.ended_at, s.expires_at, s.origin
          from sessions s join beat on s.id = beat.id and s.heartbeat_token_hash = beat.token_hash $$""")
    op.execute(f"revoke all on function {FN} from public")
    op.execute(f"grant execute on function {FN} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function {FN}")
