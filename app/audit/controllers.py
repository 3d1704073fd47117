"""`GET /v1/audit-events`: who changed what, filterable, newest first, cursor-paginated."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, get
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.errors import problem_responses
from app.kit import api_docs
from app.kit.pagination import check_limit, optional_query


class AuditEventOut(BaseModel):
    id: int = Field(examples=[42])
    actor_type: str = Field(description="api_key | user | operator | system", examples=["user"])
    actor_id: str | None = Field(examples=["5b0c…"])
    actor_label: str | None = Field(examples=["alice@example.com"])
    action: str = Field(examples=["agent.updated"])
    target_type: str = Field(examples=["agent"])
    target_id: str | None = Field(examples=["7d1c0b8e-2f4a-4e7b-9a51-0c3d2e1f4a5b"])
    before: dict[str, Any] | None = Field(examples=[{"name": "Sales"}])
    after: dict[str, Any] | None = Field(examples=[{"name": "Sales EU"}])
    ip: str | None = Field(examples=["203.0.113.7"])
    user_agent: str | None = Field(examples=["curl/8.5.0"])
    created_at: datetime = Field(examples=["2026-11-25T14:00:00Z"])


class AuditEventPage(BaseModel):
    items: list[AuditEventOut]
    next_cursor: int | None = Field(description="Pass as `cursor` for the next (older) page.", examples=[17])


class AuditEventsController(Controller):
    path = "/v1/audit-events"
    security = api_docs.TENANT
    tags = ["Audit"]

    @get("/", summary="List audit events", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_events(
        self,
        tx_admin: TenantTx,
        actor: Annotated[str | None, optional_query("actor", "Actor id (user or key id).")] = None,
        action: Annotated[
            str | None, optional_query("action", "Exact action, e.g. `agent.updated`, or a prefix ending in `.`.")
        ] = None,
        target: Annotated[str | None, optional_query("target", "Target object id.")] = None,
        since: Annotated[datetime | None, optional_query("since", "Events at or after this time.")] = None,
        until: Annotated[datetime | None, optional_query("until", "Events before this time.")] = None,
        cursor: Annotated[int | None, optional_query("cursor", "`next_cursor` of the previous page.")] = None,
        limit: Annotated[int, optional_query("limit", "1 to 500.")] = 100,
    ) -> AuditEventPage:
        check_limit(limit)
        db, caller = tx_admin
        q = select(AuditEvent).where(AuditEvent.tenant_id == caller.tenant_id)
        if actor:
            q = q.where(AuditEvent.actor_id == actor)
        if action:
            q = q.where(AuditEvent.action.startswith(action) if action.endswith(".") else AuditEvent.action == action)
        if target:
            q = q.where(AuditEvent.target_id == target)
        if since:
            q = q.where(AuditEvent.created_at >= since)
        if until:
            q = q.where(AuditEvent.created_at < until)
        if cursor:
            q = q.where(AuditEvent.id < cursor)
        rows = list(await db.scalars(q.order_by(AuditEvent.id.desc()).limit(limit + 1)))
        page = rows[:limit]
        items = [
            AuditEventOut(
                **{c: getattr(r, c) for c in AuditEventOut.model_fields if c != "ip"}, ip=str(r.ip) if r.ip else None
            )
            for r in page
        ]
        return AuditEventPage(items=items, next_cursor=page[-1].id if len(rows) > limit else None)
