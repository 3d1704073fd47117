"""`GET /v1/audit-events`: who changed what, filterable, newest first, cursor-paginated."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get

from app.audit import service
from app.audit.schemas import AuditEventPage, EventFilter
from app.auth.dependencies import ADMIN_PROBLEMS, TenantTx
from app.errors import problem_responses
from app.kit import api_docs
from app.kit.instants import instant_query, parse_instant
from app.kit.pagination import check_id_cursor, check_limit, id_cursor_query, limit_query, optional_query


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
        since: Annotated[str | None, instant_query("Events at or after this time.")] = None,
        until: Annotated[str | None, instant_query("Events before this time.")] = None,
        cursor: Annotated[int | None, id_cursor_query()] = None,
        limit: Annotated[int, limit_query()] = 100,
    ) -> AuditEventPage:
        check_limit(limit)
        check_id_cursor(cursor)
        where = EventFilter(
            actor=actor,
            action=action,
            target=target,
            since=parse_instant(since, "since"),
            until=parse_instant(until, "until"),
            before_id=cursor,
        )
        return await service.list_events(*tx_admin, where, limit)
