"""Sign-ins in progress (the OIDC state, nonce and PKCE verifier). Not tenant-owned: a user spans tenants.

The admin sessions a sign-in ends in are auth's table (app/auth/models.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TimestampMixin


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
