"""server keys can expire: rolling a key keeps the old one working for a grace period

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("api_keys", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("api_keys", sa.Column("replaced_by", sa.UUID(), nullable=True))
    op.execute("""
        create or replace function greenroom_api_key(p_hash text)
        returns table (id uuid, tenant_id uuid, scopes text[], last_used_at timestamptz, tenant_status varchar)
        language sql stable security definer set search_path = public as $$
          select k.id, k.tenant_id, k.scopes, k.last_used_at, t.status from api_keys k join tenants t on t.id = k.tenant_id
          where k.key_hash = p_hash and k.revoked_at is null and (k.expires_at is null or k.expires_at > clock_timestamp()) $$""")


def downgrade() -> None:
    op.execute("""
        create or replace function greenroom_api_key(p_hash text)
        returns table (id uuid, tenant_id uuid, scopes text[], last_used_at timestamptz, tenant_status varchar)
        language sql stable security definer set search_path = public as $$
          select k.id, k.tenant_id, k.scopes, k.last_used_at, t.status from api_keys k join tenants t on t.id = k.tenant_id
          where k.key_hash = p_hash and k.revoked_at is null $$""")
    op.drop_column("api_keys", "replaced_by")
    op.drop_column("api_keys", "expires_at")
