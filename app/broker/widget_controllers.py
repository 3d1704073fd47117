"""The widget API, called from tenant pages: start with a publishable key, heartbeat, end. CORS answers only
origins on a widget key's allow-list."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.broker.cors import cors_headers, preflight_headers
from app.broker.create_flow import (
    CREATE_PROBLEMS,
    Authorization,
    OriginHeader,
    start_from_widget,
)
from app.broker.ending import end_with_token
from app.broker.heartbeats import HeartbeatBatcher
from app.broker.schemas import CreateSession, HeartbeatAnswer, SessionStarted
from app.broker.service import Broker
from app.errors import ProblemSlug, problem_responses
from app.kit import api_docs
from app.settings import Settings

WIDGET_PROBLEMS: tuple[ProblemSlug, ...] = (
    "invalid-request",
    "unknown-key",
    "tenant-suspended",
    *CREATE_PROBLEMS,
    "origin-not-allowed",
    "agent-not-allowed",
    "rate-limited",
)
TOKEN_PROBLEMS: tuple[ProblemSlug, ...] = ("invalid-request", "invalid-session-token")


async def _preflight(request: Request[Any, Any, Any]) -> Response[None] | None:
    """CORS preflights carry no key: allow an origin that some live widget key allows; the request checks its key.

    A `before_request` hook rather than an OPTIONS handler, because Litestar adds its own OPTIONS handler per path.
    """
    if request.method != "OPTIONS":
        return None
    broker: Broker = request.app.state.broker  # a hook gets no dependencies: the one read of app.state outside main.py
    headers = await preflight_headers(broker.sessions, request.headers.get("origin"))
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
        description="`Authorization: Bearer gr_pk_…`; the `Origin` must match the key's allow-list exactly. "
        "`Idempotency-Key` is refused here (`400 /problems/invalid-request`): a publishable key identifies no caller "
        "a stored answer, with its session tokens, could be handed back to. A start whose answer was lost ends by "
        "itself once its heartbeats stop; a backend that needs idempotent starts uses `POST /v1/sessions`.",
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
        widget_key_first: NamedDependency[None],
    ) -> Response[SessionStarted]:
        return await start_from_widget(request, broker, settings, authorization, origin, data)

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
        heartbeats: NamedDependency[HeartbeatBatcher],
        authorization: Authorization,
        origin: OriginHeader,
        session_id: FromPath[uuid.UUID],
    ) -> Response[HeartbeatAnswer]:
        row = await heartbeats.beat_with_token(session_id, authorization)  # batched with others
        answer = HeartbeatAnswer(state=row.state, ends_at=row.ended_at or row.expires_at)
        return Response(answer, headers=cors_headers(row.origin, origin))

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
        row = await end_with_token(broker.sessions, session_id, authorization)
        answer = HeartbeatAnswer(state=row.state, ends_at=row.ended_at)
        return Response(answer, headers=cors_headers(row.origin, origin))
