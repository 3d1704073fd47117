"""The tables auth owns: server and widget keys, admin sessions, rate-limit windows. Only auth writes them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TenantOwned, TimestampMixin


class ApiKey(IdMixin, TenantOwned, TimestampMixin, Base):
    """Server key `gr_sk_…`: only its SHA-256 is stored; `prefix` identifies it in lists."""

    __tablename__ = "api_keys"

    label: Mapped[str] = mapped_column(String(100), default="default")
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(Text))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # set when rolled: the grace period
    replaced_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class WidgetKey(IdMixin, TenantOwned, TimestampMixin, Base):
    """Publishable key `gr_pk_…`: public by design (it sits in page HTML), bound to exact origins."""

    __tablename__ = "widget_keys"

    label: Mapped[str] = mapped_column(String(100), default="default")
    key: Mapped[str] = mapped_column(String(64), unique=True)
    allowed_origins: Mapped[list[str]] = mapped_column(ARRAY(Text))
    agent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("agents.id", ondelete="SET NULL"))
    max_concurrent_sessions: Mapped[int | None] = mapped_column(Integer)  # lower than the tenant's, if set
    rate_per_minute: Mapped[int | None] = mapped_column(Integer)  # new sessions a minute; None: the setting's default
    visitor_rate_per_minute: Mapped[int | None] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateLimit(Base):
    """A fixed one-minute window of one bucket (see auth/rate_limits.py)."""

    __tablename__ = "rate_limits"

    bucket: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    hits: Mapped[int] = mapped_column(Integer)


class AdminSession(IdMixin, TimestampMixin, Base):
    """Only the SHA-256 of the cookie value is stored: a database dump signs nobody in."""

    __tablename__ = "admin_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Not `tenant_id`: the session is the user's, the active tenant is only a preference (checked against memberships).
    active_tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="SET NULL")
    )
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(400))
