"""idempotency keys belong to the principal that made them, not to the whole tenant

Revision ID: 0018
Revises: 0017

Until now `(tenant_id, key)` was the record's identity, so any caller of a tenant (another server key, a widget key
with a forged Origin) that sent the same key and body got the first caller's stored answer: its session id, provider
token and heartbeat token. A record now belongs to `(tenant_id, principal_kind, principal_id, key)`: the server key
(`api_keys.id`) or the signed-in admin (`users.id`) that made it (docs/decisions/0012-idempotency-keys.md).

Existing records are deleted: they name no principal, and handing one to any caller but its maker is the leak
this closes. They would expire within 24 hours anyway; a create made before the upgrade and retried after it
starts a new session instead of replaying (the first one is in the tenant's session list). The downgrade deletes
the records too (two principals' records may share a key, which the old primary key cannot hold).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLE = "idempotency_keys"


def upgrade() -> None:
    # The migration's owner role has its own policy on this table (0009): this deletes every tenant's records.
    op.execute(f"delete from {TABLE}")
    op.drop_constraint(op.f("pk_idempotency_keys"), TABLE, type_="primary")
    op.add_column(TABLE, sa.Column("principal_kind", sa.String(16), nullable=False))
    op.add_column(TABLE, sa.Column("principal_id", sa.UUID(), nullable=False))
    op.create_check_constraint(
        op.f("ck_idempotency_keys_principal_kind"), TABLE, "principal_kind in ('server_key', 'admin')"
    )
    op.create_primary_key(op.f("pk_idempotency_keys"), TABLE, ["tenant_id", "principal_kind", "principal_id", "key"])


def downgrade() -> None:
    op.execute(f"delete from {TABLE}")
    op.drop_constraint(op.f("pk_idempotency_keys"), TABLE, type_="primary")
    op.drop_constraint(op.f("ck_idempotency_keys_principal_kind"), TABLE, type_="check")
    op.drop_column(TABLE, "principal_id")
    op.drop_column(TABLE, "principal_kind")
    op.create_primary_key(op.f("pk_idempotency_keys"), TABLE, ["tenant_id", "key"])
