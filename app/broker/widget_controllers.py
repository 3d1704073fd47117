"""The widget API, called from tenant pages: start with a publishable key, heartbeat, end. CORS answers only
origins on a widget key's allow-list."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.keys import any_widget_key_allows_origin, authenticate_widget_key, bearer
from app.auth.principal import Principal
from app.auth.rate_limits import check_widget_create
from app.broker.create_flow import (
    CREATE_PROBLEMS,
    Authorization,
    IdempotencyHeader,
    OriginHeader,
    start_and_answer,
)
from app.broker.heartbeats import HeartbeatBatcher
from app.broker.models import AvatarSession
from app.broker.schemas import CreateSession, HeartbeatAnswer, SessionStarted
from app.broker.service import Broker
from app.db.engine import set_tenant, transaction
from app.errors import Problem, problem_responses
from app.kit import api_docs
from app.kit.origins import normalize_origin
from app.kit.tokens import hash_token
from app.settings import Settings

WIDGET_PROBLEMS = (
    "invalid-request",
    "unknown-key",
    "tenant-suspended",
    *CREATE_PROBLEMS,
    "origin-not-allowed",
    "agent-not-allowed",
    "rate-limited",
)
TOKEN_PROBLEMS = ("invalid-request", "invalid-session-token")


async def _preflight(request: Request[Any, Any, Any]) -> Response[None] | None:
    """CORS preflights carry no key: allow an origin that some live widget key allows; the request checks its key.

    A `before_request` hook rather than an OPTIONS handler, because Litestar adds its own OPTIONS handler per path.
    """
    if request.method != "OPTIONS":
        return None
    broker: NamedDependency[Broker] = (
        request.app.state.broker
    )  # a hook gets no dependencies: the one read of app.state outside main.py
    origin = request.headers.get("origin")
    allowed = False
    if origin:
        async with transaction(broker.sessions) as db:
            allowed = await any_widget_key_allows_origin(db, origin)
    if not allowed:
        return Response(None, status_code=204)
    headers = _cors(normalize_origin(origin or "")) | {
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key",
        "Access-Control-Max-Age": "600",
    }
    return Response(None, status_code=204, headers=headers)


class WidgetSessionsController(Controller):
    """Called from tenant pages: CORS answers only origins on a widget key's allow-list."""

    path = "/v1/widget/sessions"
    tags = ["Widget"]
    before_request = staticmethod(_preflight)  # a hook, not a method: Litestar calls it with the request

    @post(
        "/",
        status_code=201,
        summary="Start a session from the widget",
        description="`Authorization: Bearer gr_pk_…`; the `Origin` must match the key's allow-list exactly.",
        responses=problem_responses(*WIDGET_PROBLEMS),
        security=api_docs.WIDGET_KEY,
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        broker: NamedDependency[Broker],
        authorization: Authorization,
        origin: OriginHeader,
        data: JSONBody[CreateSession],
        idempotency_key: IdempotencyHeader,
    ) -> Response[SessionStarted]:
        verified: list[str | None] = []
        # Counted in a transaction of its own, so an attempt that fails later still counts, and counts once.
        async with transaction(broker.sessions) as db:
            caller = await authenticate_widget_key(db, authorization, origin)
            verified.append(caller.origin)
            try:
                await check_widget_create(
                    db, settings, caller.actor_id, request.client.host if request.client else None
                )
            except Problem as problem:
                problem.headers = {**(problem.headers or {}), **_cors(caller.origin)}
                raise

        async def authenticate(db: AsyncSession) -> Principal:
            return await authenticate_widget_key(db, authorization, origin)

        try:
            answer = await start_and_answer(request, broker, authenticate, data, idempotency_key)
        except Problem as problem:
            if verified:  # the origin passed the key's allow-list: let it read why
                problem.headers = {**(problem.headers or {}), **_cors(verified[0])}
            raise
        answer.headers.update(_cors(verified[0]))
        return answer

    @post(
        "/{session_id:uuid}/heartbeat",
        status_code=200,
        summary="Keep a widget session alive",
        description="`Authorization: Bearer <heartbeat.token>`. Answers the session's state; anything but "
        "`starting`/`active` tells the widget to stop.",
        responses=problem_responses(*TOKEN_PROBLEMS),
        security=api_docs.SESSION_TOKEN,
    )
    async def heartbeat(
        self,
        request: Request[Any, Any, Any],
        heartbeats: NamedDependency[HeartbeatBatcher],
        authorization: Authorization,
        origin: OriginHeader,
        session_id: FromPath[uuid.UUID],
    ) -> Response[HeartbeatAnswer]:
        token = bearer(authorization)
        if not token:
            raise Problem("invalid-session-token", "Unknown session or wrong session token.")
        row = await heartbeats.beat(session_id, hash_token(token))  # batched with others
        if row is None:
            raise Problem("invalid-session-token", "Unknown session or wrong session token.")
        answer = HeartbeatAnswer(state=row.state, ends_at=row.ended_at or row.expires_at)
        return Response(answer, headers=_cors(row.origin, origin))

    @post(
        "/{session_id:uuid}/end",
        status_code=200,
        summary="End a widget session (the visitor left)",
        description="`Authorization: Bearer <heartbeat.token>`. Idempotent.",
        responses=problem_responses(*TOKEN_PROBLEMS),
        security=api_docs.SESSION_TOKEN,
    )
    async def end(
        self,
        broker: NamedDependency[Broker],
        authorization: Authorization,
        origin: OriginHeader,
        session_id: FromPath[uuid.UUID],
    ) -> Response[HeartbeatAnswer]:
        async with transaction(broker.sessions) as db:
            row = await _by_session_token(db, session_id, authorization, lock=True)
            await broker.end(db, row, "ended", "client_ended")
            answer = HeartbeatAnswer(state=row.state, ends_at=row.ended_at)
        return Response(answer, headers=_cors(row.origin, origin))


async def _by_session_token(
    db: AsyncSession, session_id: uuid.UUID, authorization: str | None, lock: bool = False
) -> AvatarSession:
    """The session token names its tenant (through a SECURITY DEFINER look-up), then the usual tenant-scoped read."""
    token = bearer(authorization)
    token_hash = hash_token(token or "")
    tenant_id = await db.scalar(text("select greenroom_session_tenant(:id, :h)"), {"id": session_id, "h": token_hash})
    if tenant_id is None or not token:
        raise Problem("invalid-session-token", "Unknown session or wrong session token.")
    await set_tenant(db, tenant_id)
    query = select(AvatarSession).where(
        AvatarSession.id == session_id, AvatarSession.heartbeat_token_hash == token_hash
    )
    row = await db.scalar(query.with_for_update() if lock else query)
    if row is None:  # the look-up above vouched for it: only a row gone in between lands here
        raise Problem("invalid-session-token", "Unknown session or wrong session token.")
    return row


def _cors(allowed: str | None, origin: str | None = None) -> dict[str, str]:
    """CORS headers only for the session's own (already verified) origin."""
    if not allowed or (origin is not None and normalize_origin(origin) != allowed):
        return {}
    return {"Access-Control-Allow-Origin": allowed, "Vary": "Origin"}
