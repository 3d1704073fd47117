"""Server-side state of sign-in: admin sessions and sign-ins in progress. Neither is tenant-owned (a user spans tenants)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TimestampMixin


class AdminSession(IdMixin, TimestampMixin, Base):
    """Only the SHA-256 of the cookie value is stored: a database dump signs nobody in."""

    __tablename__ = "admin_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Not `tenant_id`: the session is the user's, the active tenant is only a preference (checked against memberships).
    active_tenant_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="SET NULL"))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(400))


class SignInAttempt(IdMixin, TimestampMixin, Base):
    """A sign-in in progress, keyed by the hash of a browser cookie: binds `state` to that browser. Single use."""

    __tablename__ = "sign_in_attempts"

    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    provider: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(128))
    nonce: Mapped[str] = mapped_column(String(128))
    code_verifier: Mapped[str] = mapped_column(String(128))
    invitation_hash: Mapped[str | None] = mapped_column(String(64))
    next_path: Mapped[str] = mapped_column(Text, default="/")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
