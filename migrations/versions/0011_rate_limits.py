"""rate limits held in PostgreSQL, so they hold across instances

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Fixed one-minute windows per bucket (a widget key, or a visitor of a widget key as a salted IP hash).
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(100), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
    )
    op.create_index("ix_rate_limits_window", "rate_limits", ["window_start"])
    op.add_column("widget_keys", sa.Column("rate_per_minute", sa.Integer(), nullable=True))
    op.add_column("widget_keys", sa.Column("visitor_rate_per_minute", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("widget_keys", "visitor_rate_per_minute")
    op.drop_column("widget_keys", "rate_per_minute")
    op.drop_table("rate_limits")
