from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TenantOwned, TimestampMixin

PROVIDERS = ("openai", "avaturn", "cartesia")


class ProviderCredential(IdMixin, TenantOwned, TimestampMixin, Base):
    """A tenant's provider key, envelope-encrypted; only last4 and a fingerprint are readable."""

    __tablename__ = "provider_credentials"
    __table_args__ = (UniqueConstraint("tenant_id", "provider", "label", name="uq_provider_credentials_label"),)

    provider: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100), default="default")
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    key_nonce: Mapped[bytes] = mapped_column(LargeBinary)
    master_key_version: Mapped[int] = mapped_column(SmallInteger)
    last4: Mapped[str] = mapped_column(String(4))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="unverified")  # valid | invalid | unverified
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
