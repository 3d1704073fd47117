from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TenantOwned, TimestampMixin

LIVE_STATES = ("starting", "active")
STATES = ("starting", "active", "ended", "terminated", "failed")


class AvatarSession(IdMixin, TenantOwned, TimestampMixin, Base):
    """One avatar session as Greenroom knows it; the provider keeps no record we can query."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint(f"state in {STATES}", name="state"),
        Index("ix_sessions_tenant_live", "tenant_id", postgresql_where="state in ('starting', 'active')"),
        Index("ix_sessions_tenant_created", "tenant_id", "created_at"),
    )

    agent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("agents.id", ondelete="SET NULL"))
    agent_slug: Mapped[str] = mapped_column(String(63))
    engine: Mapped[str] = mapped_column(String(32))
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("api_keys.id", ondelete="SET NULL")
    )
    widget_key_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("widget_keys.id", ondelete="SET NULL")
    )
    origin: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="starting")
    end_reason: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    upstream_session_id: Mapped[str | None] = mapped_column(String(128))
    max_duration_s: Mapped[int] = mapped_column(Integer)
    heartbeat_token_hash: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the provider's side ended (our DELETE acknowledged, or the max length passed): the end of metered time.
    upstream_ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


IDEMPOTENCY_PRINCIPALS = ("server_key", "admin")  # the widget path refuses the header (decision 0012)


class IdempotencyKey(TenantOwned, Base):
    """A claimed `Idempotency-Key` and, once done, the sealed answer it produced (see broker/idempotency.py).

    A record belongs to the principal that made it (the server key, or the signed-in admin user): the same key value
    from another principal of the tenant is another record."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        CheckConstraint("state in ('in_progress', 'done')", name="state"),
        CheckConstraint(f"principal_kind in {IDEMPOTENCY_PRINCIPALS}", name="principal_kind"),
        Index("ix_idempotency_keys_created", "created_at"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    principal_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    principal_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)  # api_keys.id or users.id
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="in_progress")
    status_code: Mapped[int | None] = mapped_column(SmallInteger)
    response: Mapped[bytes | None] = mapped_column(LargeBinary)
    nonce: Mapped[bytes | None] = mapped_column(LargeBinary)
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_nonce: Mapped[bytes | None] = mapped_column(LargeBinary)
    master_key_version: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StartRefusal(TenantOwned, Base):
    """Session starts refused to one tenant's callers in one hour, per problem type and channel
    (app/broker/refusals.py)."""

    __tablename__ = "start_refusals"
    __table_args__ = (CheckConstraint("channel in ('api', 'widget')", name="channel"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    problem: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    refusals: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
