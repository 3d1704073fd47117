"""The usage ledger and its rollups (migration 0012, docs/decisions/0013-metering.md).

Rows are written only by app/metering/service.py, in the transaction of the session transition they record.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, TenantOwned


class UsageEvent(TenantOwned, Base):
    """One session transition (`started`, `ended`); append-only, unique per (month, session, event)."""

    __tablename__ = "usage_events"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # of the session's start (UTC); the partition key
    session_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    event: Mapped[str] = mapped_column(String(16), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    agent_slug: Mapped[str] = mapped_column(String(63))
    agent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    widget_key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    origin: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state: Mapped[str | None] = mapped_column(String(16))
    end_reason: Mapped[str | None] = mapped_column(String(32))
    end_confirmed: Mapped[bool | None] = mapped_column(Boolean)  # the provider answered our DELETE (not 404)
    upstream_ms: Mapped[int | None] = mapped_column(BigInteger)
    upstream_seconds: Mapped[int | None] = mapped_column(Integer)
    billed_seconds: Mapped[int | None] = mapped_column(Integer)
    rounding: Mapped[str | None] = mapped_column(String(16))


class UsageDaily(TenantOwned, Base):
    __tablename__ = "usage_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agent_slug: Mapped[str] = mapped_column(String(63), primary_key=True)
    widget_key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), primary_key=True)
    origin: Mapped[str | None] = mapped_column(Text, primary_key=True)
    end_reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer)
    upstream_seconds: Mapped[int] = mapped_column(BigInteger)
    billed_seconds: Mapped[int] = mapped_column(BigInteger)


class UsageMonthly(TenantOwned, Base):
    __tablename__ = "usage_monthly"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer)
    upstream_seconds: Mapped[int] = mapped_column(BigInteger)
    billed_seconds: Mapped[int] = mapped_column(BigInteger)
