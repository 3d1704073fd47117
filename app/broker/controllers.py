"""HTTP surface of the broker for tenant backends and signed-in admins: start, list, get and terminate sessions."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.auth.dependencies import ADMIN_PROBLEMS, Authenticator, TenantTx
from app.broker import ending
from app.broker.create_flow import (
    READ_PROBLEMS,
    START_PROBLEMS,
    IdempotencyHeader,
    start_and_answer,
)
from app.broker.history import HistoryFilter
from app.broker.models import STATES
from app.broker.schemas import CreateSession, SessionList, SessionOut, SessionStarted
from app.broker.service import Broker, list_sessions, session_view
from app.errors import problem_responses
from app.kit import api_docs
from app.kit.instants import instant_query, parse_instant
from app.kit.pagination import check_limit, limit_query, optional_query


class SessionsController(Controller):
    path = "/v1/sessions"
    security = api_docs.TENANT
    tags = ["Sessions"]

    @post(
        "/",
        status_code=201,
        summary="Start an avatar session",
        description="For tenant backends (server key) and signed-in admins. Creates the upstream session with the "
        "tenant's provider keys and returns what the browser SDK needs. Upstream problems carry `provider`.",
        responses=problem_responses(*START_PROBLEMS),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        auth_sessions_write: Authenticator,
        broker: NamedDependency[Broker],
        data: JSONBody[CreateSession],
        idempotency_key: IdempotencyHeader,
    ) -> Response[SessionStarted]:
        # Authenticated inside the broker's first transaction (one transaction, not two, on the hot path).
        return await start_and_answer(request, broker, auth_sessions_write, data, idempotency_key)

    @get(
        "/",
        summary="List sessions",
        description="Newest first, filtered, paged with `cursor`. The same history as `/v1/reports/sessions` (which "
        "also exports CSV), in this resource's shape.",
        responses=problem_responses(*ADMIN_PROBLEMS),
    )
    async def list_sessions(
        self,
        tx_sessions_read: TenantTx,
        state_filter: Annotated[str | None, optional_query("state", " | ".join(STATES), enum=list(STATES))] = None,
        agent: Annotated[str | None, QueryParameter(required=False, description="Agent slug.")] = None,
        end_reason: Annotated[str | None, QueryParameter(required=False, description="e.g. client_ended.")] = None,
        created_from: Annotated[str | None, instant_query("Sessions created at or after this time.")] = None,
        created_to: Annotated[str | None, instant_query("Sessions created before this time.")] = None,
        limit: Annotated[int, limit_query()] = 50,
        cursor: Annotated[
            str | None, QueryParameter(required=False, description="`next_cursor` of the previous page.")
        ] = None,
    ) -> SessionList:
        check_limit(limit)
        f = HistoryFilter(
            agent=agent,
            state=state_filter,
            end_reason=end_reason,
            created_from=parse_instant(created_from, "created_from"),
            created_to=parse_instant(created_to, "created_to"),
        )
        db, caller = tx_sessions_read
        return await list_sessions(db, caller.tenant, f, limit=limit, cursor=cursor)

    @get("/{session_id:uuid}", summary="Get a session", responses=problem_responses(*READ_PROBLEMS))
    async def get_session(self, tx_sessions_read: TenantTx, session_id: FromPath[uuid.UUID]) -> SessionOut:
        db, caller = tx_sessions_read
        return await session_view(db, caller.tenant, session_id)

    @delete(
        "/{session_id:uuid}",
        status_code=202,
        summary="Terminate a session",
        description="Ends the session now: the state becomes `terminated` at once and the provider is told to end it "
        "(delivered by the worker, retried until acknowledged). Terminating an ended session changes nothing.",
        responses=problem_responses(*READ_PROBLEMS),
    )
    async def terminate(self, tx_sessions_write: TenantTx, session_id: FromPath[uuid.UUID]) -> SessionOut:
        db, caller = tx_sessions_write
        return await ending.terminate(db, caller, session_id)
