"""webhooks: endpoints per tenant, sealed signing secrets, the delivery log, quota notices

Revision ID: 0014
Revises: 0013

See docs/decisions/0014-webhooks.md. Deliveries are jobs (`webhook.deliver`) in the existing job table; these
tables hold what a tenant configures and reads. Every one carries tenant_id under forced row-level security.
`greenroom_quota_threshold_candidates` is the worker's one look-up across tenants: which tenants with minutes
still burning have crossed a threshold of their month's budget that no notice was sent for yet.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.db.rls import APP_ROLE, enable_tenant_rls

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("webhook_endpoints", "webhook_secrets", "webhook_attempts", "quota_notices")
FN = "greenroom_quota_threshold_candidates(int[], int)"


def _tenant(table: str) -> sa.Column:
    return sa.Column("tenant_id", sa.UUID(), sa.ForeignKey("tenants.id", name=f"fk_{table}_tenant_id_tenants",
                                                           ondelete="CASCADE"), nullable=False)


def _endpoint(table: str) -> sa.Column:
    return sa.Column("endpoint_id", sa.UUID(), sa.ForeignKey(
        "webhook_endpoints.id", name=f"fk_{table}_endpoint_id_webhook_endpoints", ondelete="CASCADE"), nullable=False)


def _now(name: str, fn: str = "now()") -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text(fn), nullable=False)


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.UUID(), primary_key=True),
        _tenant("webhook_endpoints"),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("description", sa.String(200), nullable=False, server_default=""),
        sa.Column("events", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("disabled_at", sa.DateTime(timezone=True)),
        sa.Column("disabled_reason", sa.Text()),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failing_since", sa.DateTime(timezone=True)),
        _now("created_at"),
        _now("updated_at"),
    )
    op.create_index("ix_webhook_endpoints_tenant_id", "webhook_endpoints", ["tenant_id"])

    op.create_table(
        "webhook_secrets",
        sa.Column("id", sa.UUID(), primary_key=True),
        _tenant("webhook_secrets"),
        _endpoint("webhook_secrets"),
        # Sealed like a provider key (app/vault/crypto.py), with its own purpose in the associated data.
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("key_nonce", sa.LargeBinary(), nullable=False),
        sa.Column("master_key_version", sa.SmallInteger(), nullable=False),
        _now("created_at"),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_webhook_secrets_tenant_id", "webhook_secrets", ["tenant_id"])
    op.create_index("ix_webhook_secrets_endpoint_id", "webhook_secrets", ["endpoint_id"])

    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        _tenant("webhook_attempts"),
        _endpoint("webhook_attempts"),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("status_code", sa.SmallInteger()),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text()),
        _now("attempted_at", "clock_timestamp()"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("outcome in ('succeeded', 'failed')", name="ck_webhook_attempts_outcome"),
    )
    op.create_index("ix_webhook_attempts_tenant_id", "webhook_attempts", ["tenant_id"])
    op.create_index("ix_webhook_attempts_endpoint", "webhook_attempts", ["endpoint_id", "id"])

    op.create_table(
        "quota_notices",
        _tenant("quota_notices"),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("threshold", sa.SmallInteger(), nullable=False),
        sa.Column("used_seconds", sa.BigInteger(), nullable=False),
        sa.Column("monthly_minutes", sa.Integer(), nullable=False),
        _now("created_at"),
        sa.PrimaryKeyConstraint("tenant_id", "month", "threshold", name="pk_quota_notices"),
    )
    for table in TABLES:
        enable_tenant_rls(table)

    # Only tenants with minutes still burning (a session not yet metered: the same rows the budget adds up) can
    # cross a threshold between two ends; ends are checked by the worker as it meters them.
    op.execute("""
        create function greenroom_quota_threshold_candidates(p_thresholds int[], p_batch int)
        returns table (tenant_id uuid)
        language sql stable security definer set search_path = public as $$
          select t.id
          from tenants t
          cross join lateral (select greenroom_month_billed_seconds(t.id, clock_timestamp()) as used) u
          where t.monthly_minutes > 0
            and exists (select 1 from sessions s where s.tenant_id = t.id and s.upstream_session_id is not null
                        and s.upstream_ended_at is null)
            and exists (select 1 from unnest(p_thresholds) th
                        where u.used * 100 >= t.monthly_minutes::bigint * 60 * th
                          and not exists (select 1 from quota_notices n
                                          where n.tenant_id = t.id and n.threshold = th
                                            and n.month = date_trunc('month', clock_timestamp() at time zone 'UTC')::date))
          limit p_batch $$""")
    op.execute(f"revoke all on function {FN} from public")
    op.execute(f"grant execute on function {FN} to {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"drop function {FN}")
    for table in reversed(TABLES):
        op.drop_table(table)
