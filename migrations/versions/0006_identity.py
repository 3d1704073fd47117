"""identity: users, memberships, invitations, admin sessions, sign-ins in progress

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.db.rls import APP_ROLE, enable_tenant_rls

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ROLE_CHECK = "role in ('owner','admin','billing','viewer')"


def _id() -> sa.Column:
    return sa.Column("id", sa.UUID(), primary_key=True)


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _tenant(table: str) -> sa.Column:
    return sa.Column("tenant_id", sa.UUID(), sa.ForeignKey("tenants.id", ondelete="CASCADE",
                     name=f"fk_{table}_tenant_id_tenants"), nullable=False, index=True)


def _user(table: str, column: str, ondelete: str, nullable: bool) -> sa.Column:
    return sa.Column(column, sa.UUID(), sa.ForeignKey("users.id", ondelete=ondelete, name=f"fk_{table}_{column}_users"),
                     nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users", _id(),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("email_verified", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True)),
        _created(),
        sa.UniqueConstraint("issuer", "subject", name="uq_users_issuer_subject"),
    )
    op.create_table(
        "memberships", _id(), _tenant("memberships"),
        _user("memberships", "user_id", "CASCADE", False),
        sa.Column("role", sa.String(20), nullable=False),
        _created(),
        sa.UniqueConstraint("tenant_id", "user_id", name="uq_memberships_tenant_user"),
        sa.CheckConstraint(ROLE_CHECK, name="ck_memberships_role"),
    )
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    op.create_table(
        "invitations", _id(), _tenant("invitations"),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _user("invitations", "invited_by", "SET NULL", True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True)),
        _user("invitations", "accepted_by", "SET NULL", True),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        _created(),
        sa.CheckConstraint(ROLE_CHECK, name="ck_invitations_role"),
    )
    op.create_table(
        "admin_sessions", _id(),
        sa.Column("id_hash", sa.String(64), nullable=False, unique=True),
        _user("admin_sessions", "user_id", "CASCADE", False),
        sa.Column("active_tenant_id", sa.UUID(), sa.ForeignKey("tenants.id", ondelete="SET NULL",
                  name="fk_admin_sessions_active_tenant_id_tenants")),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("ip", sa.String(64)),
        sa.Column("user_agent", sa.String(400)),
        _created(),
    )
    op.create_index("ix_admin_sessions_user_id", "admin_sessions", ["user_id"])
    op.create_table(
        "sign_in_attempts", _id(),
        sa.Column("id_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("state", sa.String(128), nullable=False),
        sa.Column("nonce", sa.String(128), nullable=False),
        sa.Column("code_verifier", sa.String(128), nullable=False),
        sa.Column("invitation_hash", sa.String(64)),
        sa.Column("next_path", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        _created(),
    )


    # Row-level security for the two tenant-owned tables (see decision 9), with the two look-ups that
    # come before a tenant is chosen: a user's own memberships, and an invitation by its token.
    for table in ("memberships", "invitations"):
        enable_tenant_rls(table)
    op.execute(f"""create policy own_memberships on memberships for select to {APP_ROLE}
                   using (user_id = nullif(current_setting('app.user_id', true), '')::uuid)""")
    op.execute("""
        create function greenroom_invitation_tenant(p_token_hash text) returns uuid
        language sql stable security definer set search_path = public as $$
          select tenant_id from invitations where token_hash = p_token_hash $$""")
    op.execute("revoke all on function greenroom_invitation_tenant(text) from public")
    op.execute(f"grant execute on function greenroom_invitation_tenant(text) to {APP_ROLE}")


def downgrade() -> None:
    op.execute("drop function greenroom_invitation_tenant(text)")
    for table in ("sign_in_attempts", "admin_sessions", "invitations", "memberships", "users"):
        op.drop_table(table)
