"""The session-create answer both surfaces share (tenant API and widget): idempotent claims and replays (the tenant
API's; the widget path refuses the header), the stored answer, the start metrics, and for the widget its rate limit
and CORS. HTTP-shaped on purpose (a replay is a stored HTTP answer); the rules are in service.py and idempotency.py."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Request, Response
from litestar.params import HeaderParameter
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import ADMIN_PROBLEMS
from app.auth.keys import authenticate_widget_key
from app.auth.principal import Authenticate, Principal
from app.auth.rate_limits import check_widget_create
from app.broker import idempotency
from app.broker.cors import cors_headers, readable_by
from app.broker.refusals import Channel, note_refusal
from app.broker.schemas import CreateSession, Heartbeat, SessionStarted
from app.broker.service import Broker, StartedSession
from app.db.engine import transaction
from app.errors import PROBLEM_MEDIA_TYPE, Problem, ProblemSlug
from app.metrics import SESSION_STARTS_FAILED, SESSIONS_STARTED
from app.settings import Settings

Authorization = Annotated[
    str | None, HeaderParameter(name="Authorization", required=False, description="`Bearer <key or session token>`")
]
OriginHeader = Annotated[str | None, HeaderParameter(name="Origin", required=False)]
IdempotencyHeader = Annotated[
    str | None,
    HeaderParameter(
        name=idempotency.HEADER,
        required=False,
        pattern=idempotency.KEY_PATTERN,
        description="Makes the create safe to retry: a replay with the same body returns the first answer (header "
        "`Idempotent-Replayed: true`); the same key with another body is refused (422); a duplicate while the first "
        "is running gets 409. Up to 255 visible ASCII characters (a UUID is a good key), kept 24 hours. A key "
        "belongs to the caller that sent "
        "it — this server key, or this signed-in admin — never to the whole tenant: another key or admin using the "
        "same value gets a request of its own, never your answer. `POST /v1/widget/sessions` refuses the header "
        "(400): a publishable key identifies no caller a stored answer (with its session tokens) could belong to.",
    ),
]

CREATE_PROBLEMS: tuple[ProblemSlug, ...] = (
    "unknown-agent",
    "missing-credential",
    "concurrency-limit",
    "quota-exhausted",
    "upstream-auth-failed",
    "upstream-rejected",
    "upstream-busy",
    "upstream-error",
    "upstream-timeout",
)
IDEMPOTENCY_PROBLEMS: tuple[ProblemSlug, ...] = ("idempotency-mismatch", "idempotency-in-progress")
START_PROBLEMS: tuple[ProblemSlug, ...] = (*ADMIN_PROBLEMS, *CREATE_PROBLEMS, *IDEMPOTENCY_PROBLEMS)
READ_PROBLEMS: tuple[ProblemSlug, ...] = (*ADMIN_PROBLEMS, "session-not-found")


def _started(broker: Broker, started: StartedSession) -> SessionStarted:
    settings = broker.settings
    sid = started.session_id
    return SessionStarted(
        session_id=sid,
        token=started.token,
        avaturn_api_host=settings.sdk_api_host,
        expires_at=started.expires_at,
        heartbeat=Heartbeat(
            url=f"{settings.public_url.rstrip('/')}/v1/widget/sessions/{sid}/heartbeat",
            token=started.session_token,
            interval_s=settings.heartbeat_interval_s,
        ),
    )


async def start_and_answer(
    request: Request[Any, Any, Any], broker: Broker, authenticate: Authenticate, data: CreateSession, key: str | None
) -> Response[Any]:
    """Start a session; with an Idempotency-Key, claim it first and store whatever answer this request ends with.
    A refusal once the caller is known as the tenant's is counted for the tenant (app/broker/refusals.py)."""
    channel: Channel = "widget" if request.url.path.startswith("/v1/widget/") else "api"
    known: list[Principal] = []

    async def authenticate_and_note(db: AsyncSession) -> Principal:
        known.append(await authenticate(db))
        return known[-1]

    try:
        answer = await _start_and_answer(request, broker, authenticate_and_note, data, key)
    except Problem as problem:
        SESSION_STARTS_FAILED.labels(channel, problem.slug).inc()
        if known:
            await note_refusal(broker.sessions, known[-1].tenant, problem.slug, channel)
        raise
    except Exception:
        SESSION_STARTS_FAILED.labels(channel, "internal-error").inc()
        if known:
            await note_refusal(broker.sessions, known[-1].tenant, "internal-error", channel)
        raise
    if answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers:
        SESSIONS_STARTED.labels(channel).inc()
    return answer


async def start_from_widget(
    request: Request[Any, Any, Any],
    broker: Broker,
    settings: Settings,
    authorization: str | None,
    origin: str | None,
    data: CreateSession,
) -> Response[Any]:
    """A start with a publishable key: the key and its origin, the attempt counted, then the usual start. Once the
    origin passed the key's allow-list, the answer (a problem too) is readable by that page. An `Idempotency-Key`
    is refused (decision 0012), after the key and origin are checked and before the attempt is counted."""
    # Counted in a transaction of its own, so an attempt that fails later still counts, and counts once.
    refused_for: uuid.UUID | None = None  # the tenant whose page was refused here (refusals.py counts it)
    try:
        async with transaction(broker.sessions) as db:
            caller = await authenticate_widget_key(db, authorization, origin)
            client_ip = request.client.host if request.client else None
            try:
                if idempotency.HEADER in request.headers:
                    raise idempotency.not_accepted()
                await check_widget_create(db, settings, caller.actor_id, client_ip)
            except Problem as problem:
                readable_by(problem, caller.origin)
                refused_for = caller.tenant
                raise
    except Problem as problem:
        if refused_for is not None:
            await note_refusal(broker.sessions, refused_for, problem.slug, "widget")
        raise

    async def authenticate(db: AsyncSession) -> Principal:
        return await authenticate_widget_key(db, authorization, origin)

    try:
        answer = await start_and_answer(request, broker, authenticate, data, None)
    except Problem as problem:
        readable_by(problem, caller.origin)
        raise
    answer.headers.update(cors_headers(caller.origin))
    return answer


async def _start_and_answer(
    request: Request[Any, Any, Any], broker: Broker, authenticate: Authenticate, data: CreateSession, key: str | None
) -> Response[Any]:
    # A fresh answer is a SessionStarted; a replay is the stored answer, as stored (JSON or a problem document).
    key = idempotency.validate_key(key)
    if key is None:
        return Response(_started(broker, await broker.start(authenticate, data.agent)), status_code=201)
    async with transaction(broker.sessions) as db:
        caller = await authenticate(db)
        try:
            await idempotency.claim(db, broker.vault, caller, key, idempotency.request_hash(data.model_dump()))
        except idempotency.Replay as replay:
            return Response(
                replay.body,
                status_code=replay.status_code,
                headers={"Idempotent-Replayed": "true"},
                media_type=PROBLEM_MEDIA_TYPE if replay.status_code >= 400 else "application/json",
            )
    try:
        started = await broker.start(authenticate, data.agent)
    except Problem as problem:
        await _remember(broker, caller, key, problem.status, problem.to_dict(request.url.path))
        raise
    answer = _started(broker, started).model_dump(mode="json")
    await _remember(broker, caller, key, 201, answer)
    return Response(answer, status_code=201)


async def _remember(broker: Broker, caller: Principal, key: str, status: int, answer: dict[str, Any]) -> None:
    """Store the answer for the caller's replays; a crash before this leaves the claim to be taken over once stale."""
    async with transaction(broker.sessions, caller.tenant) as db:
        await idempotency.finish(db, broker.vault, caller, key, status, answer)
