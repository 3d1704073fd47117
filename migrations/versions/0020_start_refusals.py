"""start refusals: how many session starts each tenant's callers were refused, per hour and problem type

Revision ID: 0020
Revises: 0019

The console's overview shows the failures of the last 24 hours grouped by problem type; most of them (a used-up
budget, too many live sessions, a missing provider key) are refusals that leave no session row. One row per
tenant, hour, problem type and channel counts them (app/broker/refusals.py); a tenant's rows older than 8 days
go with its next refusal, so the table stays small without a sweep across tenants.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.db.rls import enable_tenant_rls

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "start_refusals",
        sa.Column("tenant_id", sa.UUID(), sa.ForeignKey("tenants.id", name="fk_start_refusals_tenant_id_tenants",
                                                        ondelete="CASCADE"), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("problem", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("refusals", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "hour", "problem", "channel", name="pk_start_refusals"),
        sa.CheckConstraint("channel in ('api', 'widget')", name="ck_start_refusals_channel"),
    )
    enable_tenant_rls("start_refusals")


def downgrade() -> None:
    op.drop_table("start_refusals")
