"""limits: concurrent sessions per tenant, agent and widget key; longest session per tenant

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tenants", sa.Column("max_concurrent_sessions", sa.Integer(), nullable=True))
    op.add_column("tenants", sa.Column("max_session_s", sa.Integer(), nullable=True))
    op.add_column("agents", sa.Column("max_concurrent_sessions", sa.Integer(), nullable=True))
    op.add_column("widget_keys", sa.Column("max_concurrent_sessions", sa.Integer(), nullable=True))
    for table in ("tenants", "agents", "widget_keys"):
        op.create_check_constraint(f"ck_{table}_max_concurrent", table, "max_concurrent_sessions is null or max_concurrent_sessions >= 0")
    op.create_check_constraint("ck_tenants_max_session", "tenants", "max_session_s is null or max_session_s between 60 and 86400")
    op.create_index("ix_sessions_agent_live", "sessions", ["agent_id"], postgresql_where="state in ('starting', 'active')")
    op.create_index("ix_sessions_widget_key_live", "sessions", ["widget_key_id"], postgresql_where="state in ('starting', 'active')")


def downgrade() -> None:
    op.drop_index("ix_sessions_widget_key_live", "sessions")
    op.drop_index("ix_sessions_agent_live", "sessions")
    op.drop_constraint("ck_tenants_max_session", "tenants")
    for table in ("tenants", "agents", "widget_keys"):
        op.drop_constraint(f"ck_{table}_max_concurrent", table)
        op.drop_column(table, "max_concurrent_sessions")
    op.drop_column("tenants", "max_session_s")
