"""HTTP surface of the broker for tenant backends and signed-in admins: start, list, get and terminate sessions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import api_docs
from app.access.guards import ADMIN_PROBLEMS, authenticate_admin, tenant_transaction
from app.audit.service import record
from app.broker import idempotency
from app.broker.models import LIVE_STATES, STATES, AvatarSession
from app.broker.schemas import CreateSession, Heartbeat, SessionList, SessionOut, SessionStarted
from app.broker.service import Broker, StartedSession, lock_session
from app.db.engine import set_tenant, transaction
from app.errors import PROBLEM_MEDIA_TYPE, Problem, problem_responses
from app.metrics import SESSION_STARTS_FAILED, SESSIONS_STARTED
from app.reports.history import HistoryFilter, sessions_page

Authorization = Annotated[
    str | None, HeaderParameter(name="Authorization", required=False, description="`Bearer <key or session token>`")
]
OriginHeader = Annotated[str | None, HeaderParameter(name="Origin", required=False)]
IdempotencyHeader = Annotated[str | None, HeaderParameter(
    name="Idempotency-Key", required=False,
    description="Makes the create safe to retry: a replay with the same body returns the first answer (header "
    "`Idempotent-Replayed: true`); the same key with another body is refused (422); a duplicate while the first "
    "is running gets 409. Keys are per tenant, up to 255 characters.")]

CREATE_PROBLEMS = ("unknown-agent", "missing-credential", "concurrency-limit", "quota-exhausted", "idempotency-mismatch",
                     "idempotency-in-progress", "upstream-auth-failed", "upstream-rejected", "upstream-busy", "upstream-error",
                     "upstream-timeout")
START_PROBLEMS = (*ADMIN_PROBLEMS, *CREATE_PROBLEMS)
READ_PROBLEMS = (*ADMIN_PROBLEMS, "session-not-found")


def _started(request: Request, started: StartedSession) -> SessionStarted:
    settings = request.app.state.settings
    sid = started.session_id
    return SessionStarted(
        session_id=sid, token=started.token, avaturn_api_host=settings.sdk_api_host, expires_at=started.expires_at,
        heartbeat=Heartbeat(url=f"{settings.public_url.rstrip('/')}/v1/widget/sessions/{sid}/heartbeat",
                            token=started.session_token, interval_s=settings.heartbeat_interval_s),
    )


async def start_and_answer(
    request: Request, broker: Broker, authenticate: Any, data: CreateSession, key: str | None
) -> Response[SessionStarted]:
    """Start a session; with an Idempotency-Key, claim it first and store whatever answer this request ends with."""
    channel = "widget" if request.url.path.startswith("/v1/widget/") else "api"
    try:
        answer = await _start_and_answer(request, broker, authenticate, data, key)
    except Problem as problem:
        SESSION_STARTS_FAILED.labels(channel, problem.slug).inc()
        raise
    except Exception:
        SESSION_STARTS_FAILED.labels(channel, "internal-error").inc()
        raise
    if answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers:
        SESSIONS_STARTED.labels(channel).inc()
    return answer


async def _start_and_answer(
    request: Request, broker: Broker, authenticate: Any, data: CreateSession, key: str | None
) -> Response[SessionStarted]:
    key = idempotency.validate_key(key)
    if key is None:
        return Response(_started(request, await broker.start(authenticate, data.agent)), status_code=201)
    async with transaction(broker.sessions) as db:
        caller = await authenticate(db)
        try:
            await idempotency.claim(db, broker.vault, caller.tenant_id, key, idempotency.request_hash(data.model_dump()))
        except idempotency.Replay as replay:
            return Response(replay.body, status_code=replay.status_code, headers={"Idempotent-Replayed": "true"},
                            media_type=PROBLEM_MEDIA_TYPE if replay.status_code >= 400 else "application/json")
    try:
        started = await broker.start(authenticate, data.agent)
    except Problem as problem:
        await _remember(broker, caller.tenant_id, key, problem.status, problem.to_dict(request.url.path))
        raise
    answer = _started(request, started).model_dump(mode="json")
    await _remember(broker, caller.tenant_id, key, 201, answer)
    return Response(answer, status_code=201)


async def _remember(broker: Broker, tenant_id: uuid.UUID, key: str, status: int, answer: dict[str, Any]) -> None:
    """Store the answer for replays; a crash before this leaves the claim to be taken over once stale."""
    async with transaction(broker.sessions, tenant_id) as db:
        await idempotency.finish(db, broker.vault, tenant_id, key, status, answer)


class SessionsController(Controller):
    path = "/v1/sessions"
    security = api_docs.TENANT
    tags = ["Sessions"]

    @post(
        "/", status_code=201, summary="Start an avatar session",
        description="For tenant backends (server key) and signed-in admins. Creates the upstream session with the tenant's provider keys and returns what the "
        "browser SDK needs. Upstream problems carry `provider`.",
        responses=problem_responses(*START_PROBLEMS),
    )
    async def create(
        self, request: Request, broker: NamedDependency[Broker], data: JSONBody[CreateSession], idempotency_key: IdempotencyHeader
    ) -> Response[SessionStarted]:
        async def authenticate(db: AsyncSession) -> Any:
            caller = await authenticate_admin(db, request)
            caller.require("sessions:write")
            await set_tenant(db, caller.tenant_id)
            return caller

        return await start_and_answer(request, broker, authenticate, data, idempotency_key)

    @get("/", summary="List sessions",
         description="Newest first, filtered, paged with `cursor`. The same history as `/v1/reports/sessions` (which "
         "also exports CSV), in this resource's shape.", responses=problem_responses(*ADMIN_PROBLEMS))
    async def list_sessions(
        self, request: Request,
        state_filter: Annotated[str | None, QueryParameter(name="state", required=False, description=" | ".join(STATES))] = None,
        agent: Annotated[str | None, QueryParameter(required=False, description="Agent slug.")] = None,
        end_reason: Annotated[str | None, QueryParameter(required=False, description="e.g. client_ended.")] = None,
        created_from: Annotated[datetime | None, QueryParameter(required=False)] = None,
        created_to: Annotated[datetime | None, QueryParameter(required=False)] = None,
        limit: FromQuery[int] = 50,
        cursor: Annotated[str | None, QueryParameter(required=False, description="`next_cursor` of the previous page.")] = None,
    ) -> SessionList:
        if not 1 <= limit <= 500:
            raise Problem("invalid-request", "limit must be between 1 and 500")
        f = HistoryFilter(agent=agent, state=state_filter, end_reason=end_reason, created_from=created_from,
                          created_to=created_to).check()
        async with tenant_transaction(request, "sessions:read") as (db, caller):
            rows, next_cursor = await sessions_page(db, caller.tenant_id, f, limit=limit, cursor=cursor)
        return SessionList(items=[SessionOut.from_history(r) for r in rows], next_cursor=next_cursor)

    @get("/{session_id:uuid}", summary="Get a session", responses=problem_responses(*READ_PROBLEMS))
    async def get_session(self, request: Request, session_id: FromPath[uuid.UUID]) -> SessionOut:
        async with tenant_transaction(request, "sessions:read") as (db, caller):
            row = await db.scalar(
                select(AvatarSession).where(AvatarSession.tenant_id == caller.tenant_id, AvatarSession.id == session_id)
            )
            if row is None:
                raise Problem("session-not-found")
            return SessionOut.of(row)

    @delete(
        "/{session_id:uuid}", status_code=202, summary="Terminate a session",
        description="Ends the session now: the state becomes `terminated` at once and the provider is told to end it "
        "(delivered by the worker, retried until acknowledged). Terminating an ended session changes nothing.",
        responses=problem_responses(*READ_PROBLEMS),
    )
    async def terminate(self, request: Request, broker: NamedDependency[Broker], session_id: FromPath[uuid.UUID]) -> SessionOut:
        async with tenant_transaction(request, "sessions:write") as (db, caller):
            row = await lock_session(db, caller.tenant_id, session_id)
            if row is None:
                raise Problem("session-not-found")
            was_live = row.state in LIVE_STATES
            reason = "admin_terminated" if getattr(caller, "user_id", None) else "api_terminated"
            out = SessionOut.of(await broker.end(db, row, "terminated", reason))
            if was_live:
                await record(db, request, caller, "session.terminated", "session", row.id, after=out)
            return out


def broker_dependency() -> dict[str, Provide]:
    async def provide(request: Request) -> Broker:
        return request.app.state.broker

    return {"broker": Provide(provide)}
