"""What @avaturn-live/web-sdk calls on `{apiHost}/_sdk/v0` with `X-Session-Token` (CORS: see middleware)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, patch, post

from devtools.simulator.errors import detail, validation, verr
from devtools.simulator.requests import NO_BODY, read_json, sim_of
from devtools.simulator.state import SimSession

ROOM_HOST = "https://avaturn-sim.daily.co"


def _session(request: Request[Any, Any, Any]) -> SimSession | Response[Any]:
    """The live session of the token; every successful look-up counts as SDK contact."""
    token = request.headers.get("x-session-token")
    if not token:
        return detail(401, "Missing X-Session-Token header")
    sim = sim_of(request)
    s = sim.by_sdk_token(token)
    if s is None:
        return detail(404, "Session not found")
    sim.sdk_contact(s)
    return s


@get("/_sdk/v0/sessions")
async def sdk_session(request: Request[Any, Any, Any]) -> Response[Any]:
    s = _session(request)
    if isinstance(s, Response):
        return s
    return Response(
        {
            "id": s.id,
            "limited_access_token": s.daily_token,
            "room_url": f"{ROOM_HOST}/{s.id}",
            "session_config": {"uses_stacked_alpha": s.background == "transparent"},
        }
    )


@post("/_sdk/v0/sessions/tasks", status_code=200)
async def sdk_task(request: Request[Any, Any, Any]) -> Response[Any]:
    s = _session(request)
    if isinstance(s, Response):
        return s
    try:
        body = await read_json(request)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return validation([verr(["text"], "missing", "Field required")])
    s.tasks += 1
    return Response({"task_id": str(uuid.uuid4())})


@post("/_sdk/v0/sessions/cancel_all_speech_tasks", status_code=200)
async def sdk_cancel(request: Request[Any, Any, Any]) -> Response[Any]:
    s = _session(request)
    return s if isinstance(s, Response) else Response({})


@patch("/_sdk/v0/sessions/config", status_code=200)
async def sdk_config(request: Request[Any, Any, Any]) -> Response[Any]:
    s = _session(request)
    if isinstance(s, Response):
        return s
    try:
        body = await read_json(request)
    except ValueError:
        body = None
    if body is not NO_BODY and not isinstance(body, dict):
        return validation([verr([], "model_attributes_type", "Input should be a valid dictionary or object")])
    return Response({})


@post("/_sdk/v0/sessions/start_stream", status_code=200)
async def sdk_start_stream(request: Request[Any, Any, Any]) -> Response[Any]:
    s = _session(request)
    return s if isinstance(s, Response) else Response({})


ROUTES = [sdk_session, sdk_task, sdk_cancel, sdk_config, sdk_start_stream]
