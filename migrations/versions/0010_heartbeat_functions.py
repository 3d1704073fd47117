"""heartbeats: one read to answer, writes batched

Revision ID: 0010
Revises: 0009

A widget beats every 20 s; one instance must carry tens of thousands of sessions. The answer is one
SECURITY DEFINER read (the session token names the session, no tenant needed); the "last seen" writes
are collected in memory and applied once a second for every session at once.
"""
from __future__ import annotations

from alembic import op

from app.db.rls import APP_ROLE

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FUNCTIONS = ("greenroom_heartbeat_state(uuid, text)", "greenroom_touch_sessions(uuid[])")


def upgrade() -> None:
    op.execute("""
        create function greenroom_heartbeat_state(p_id uuid, p_token_hash text)
        returns table (state varchar, ended_at timestamptz, expires_at timestamptz, origin text)
        language sql stable security definer set search_path = public as $$
          select state, ended_at, expires_at, origin from sessions where id = p_id and heartbeat_token_hash = p_token_hash $$""")
    op.execute("""
        create function greenroom_touch_sessions(p_ids uuid[]) returns integer
        language sql volatile security definer set search_path = public as $$
          with touched as (
            update sessions set last_heartbeat_at = clock_timestamp()
            where id = any (p_ids) and state in ('starting', 'active') returning 1)
          select count(*)::int from touched $$""")
    for fn in FUNCTIONS:
        op.execute(f"revoke all on function {fn} from public")
        op.execute(f"grant execute on function {fn} to {APP_ROLE}")


def downgrade() -> None:
    for fn in FUNCTIONS:
        op.execute(f"drop function {fn}")
