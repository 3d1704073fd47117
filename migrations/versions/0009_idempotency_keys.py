"""idempotency keys for session creates (Stripe's semantics)

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.db.rls import enable_tenant_rls

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, server_default="in_progress"),
        sa.Column("status_code", sa.SmallInteger()),
        # The stored answer holds session tokens: sealed by the vault like a provider key.
        sa.Column("response", sa.LargeBinary()),
        sa.Column("nonce", sa.LargeBinary()),
        sa.Column("wrapped_key", sa.LargeBinary()),
        sa.Column("key_nonce", sa.LargeBinary()),
        sa.Column("master_key_version", sa.SmallInteger()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_idempotency_keys_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "key", name=op.f("pk_idempotency_keys")),
        sa.CheckConstraint("state in ('in_progress', 'done')", name=op.f("ck_idempotency_keys_state")),
    )
    op.create_index("ix_idempotency_keys_created", "idempotency_keys", ["created_at"])
    enable_tenant_rls("idempotency_keys")


def downgrade() -> None:
    op.drop_table("idempotency_keys")
