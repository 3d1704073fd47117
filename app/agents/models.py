from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, TenantOwned, TimestampMixin

ENGINES = ("openai-realtime", "cartesia")


class Agent(IdMixin, TenantOwned, TimestampMixin, Base):
    """An avatar plus a conversation engine; sessions are started by its slug."""

    __tablename__ = "agents"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_agents_tenant_slug"),)

    slug: Mapped[str] = mapped_column(String(63))
    name: Mapped[str] = mapped_column(String(200))
    engine: Mapped[str] = mapped_column(String(32))
    # openai-realtime: {model, voice, instructions}; cartesia: {agent_id}
    engine_config: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # {avatar_id, background, render_model, user_absent_timeout, max_duration}
    avatar: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    max_concurrent_sessions: Mapped[int | None] = mapped_column(Integer)  # lower than the tenant's, if set
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
