"""Avaturn Live REST: create a session, give it a task, delete it (FastAPI-style errors)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, delete, post

from devtools.simulator.errors import detail, validation, verr
from devtools.simulator.requests import NO_BODY, bearer, is_int, read_json, sim_of
from devtools.simulator.state import SimState

ENGINES = ("openai-realtime", "cartesia", "external", "text-echo")
REQUIRED = {
    "openai-realtime": ("client_secret",),
    "cartesia": ("access_token", "agent_id"),
    "external": ("url",),
    "text-echo": ("tts",),
}
TTS_ENGINES = ("elevenlabs",)
NOT_FOUND = "Session not found"


def _owner(request: Request[Any, Any, Any]) -> str | Response[Any]:
    key = bearer(request)
    if key is None:
        return detail(401, "Not authenticated")
    key_h = sim_of(request).check_key("avaturn", key)
    return key_h if key_h is not None else detail(401, "Invalid or revoked API key")


def _shape_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    """What pydantic would reject (422): missing or mistyped fields."""
    errs: list[dict[str, Any]] = []
    engine = body.get("conversation_engine")
    if engine is None:
        errs.append(verr(["conversation_engine"], "missing", "Field required"))
    elif not isinstance(engine, dict):
        errs.append(
            verr(["conversation_engine"], "model_attributes_type", "Input should be a valid dictionary or object")
        )
    elif "type" not in engine:
        errs.append(
            verr(["conversation_engine"], "union_tag_not_found", "Unable to extract tag using discriminator 'type'")
        )
    elif engine["type"] not in ENGINES:
        errs.append(
            verr(
                ["conversation_engine"],
                "union_tag_invalid",
                f"Input tag {engine['type']!r} found using 'type' does not match any of the expected tags: "
                + ", ".join(repr(e) for e in ENGINES),
            )
        )
    else:
        kind = engine["type"]
        for name in REQUIRED[kind]:
            if name not in engine:
                errs.append(verr(["conversation_engine", kind, name], "missing", "Field required"))
            elif name == "tts" and not isinstance(engine[name], dict):
                errs.append(
                    verr(
                        ["conversation_engine", kind, name],
                        "model_attributes_type",
                        "Input should be a valid dictionary or object",
                    )
                )
            elif name != "tts" and not isinstance(engine[name], str):
                errs.append(verr(["conversation_engine", kind, name], "string_type", "Input should be a valid string"))
        if kind == "text-echo" and isinstance(engine.get("tts"), dict):
            for name in ("engine", "voice_id"):
                if not isinstance(engine["tts"].get(name), str):
                    errs.append(verr(["conversation_engine", kind, "tts", name], "missing", "Field required"))
        if kind == "external" and not isinstance(engine.get("headers", {}), dict):
            errs.append(
                verr(["conversation_engine", kind, "headers"], "dict_type", "Input should be a valid dictionary")
            )
    for name in ("max_duration", "user_absent_timeout"):
        if name in body and not is_int(body[name]):
            errs.append(verr([name], "int_type", "Input should be a valid integer"))
    for name in ("avatar_id", "background", "model", "render_model"):
        if name in body and not isinstance(body[name], str):
            errs.append(verr([name], "string_type", "Input should be a valid string"))
    return errs


def _engine_check(sim: SimState, engine: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """(400 detail or None, what ground truth shows about the engine)."""
    kind = engine["type"]
    if kind == "openai-realtime":
        secret, why = sim.live_secret(engine["client_secret"], "openai_client_secret")
        if secret is None:
            return f"conversation_engine.client_secret {why}", {}
        if (secret.session or {}).get("type") != "realtime":
            return "conversation_engine.client_secret is not for a realtime session", {}
        return None, {"client_secret": secret.value, "session": secret.session}
    if kind == "cartesia":
        secret, why = sim.live_secret(engine["access_token"], "cartesia_access_token")
        if secret is None:
            return f"conversation_engine.access_token {why}", {}
        if not engine["agent_id"].strip():
            return "conversation_engine.agent_id is empty", {}
        return None, {"access_token": secret.value, "agent_id": engine["agent_id"]}
    if kind == "external":
        audio = engine.get("audio") or {}
        user = audio.get("user") or {} if isinstance(audio, dict) else None
        rate = user.get("sample_rate", 24000) if isinstance(user, dict) else None
        if not engine["url"].startswith(("ws://", "wss://")):
            return "conversation_engine.url must be a ws:// or wss:// URL", {}
        if rate not in (16000, 24000):
            return "conversation_engine.audio.user.sample_rate must be 16000 or 24000", {}
        # Header values may be the tenant's credentials: ground truth shows names only.
        return None, {"url": engine["url"], "sample_rate": rate, "header_names": sorted(engine.get("headers") or {})}
    tts = engine["tts"]
    if tts["engine"] not in TTS_ENGINES:
        return f"Unknown TTS engine {tts['engine']!r}", {}
    if not tts["voice_id"].strip():
        return "Unknown voice ''", {}
    return None, {"tts": {"engine": tts["engine"], "voice_id": tts["voice_id"]}}


@post("/api/v1/sessions", status_code=200)
async def create_session(request: Request[Any, Any, Any]) -> Response[Any]:
    sim = sim_of(request)
    owner = _owner(request)
    if isinstance(owner, Response):
        return owner
    try:
        body = await read_json(request)
    except ValueError:
        return validation([verr([0], "json_invalid", "JSON decode error")])
    if body is NO_BODY:
        return validation([verr([], "missing", "Field required")])
    if not isinstance(body, dict):
        return validation([verr([], "model_attributes_type", "Input should be a valid dictionary or object")])
    errs = _shape_errors(body)
    if errs:
        return validation(errs)
    max_duration = body.get("max_duration", 3600)
    absent = body.get("user_absent_timeout", 60)
    model = body.get("model", body.get("render_model", "delta"))
    background = body.get("background", "default")
    avatar_id = body.get("avatar_id", "jane_20240829")
    if not 60 <= max_duration <= 86400:
        return detail(400, f"max_duration must be between 60 and 86400 seconds, got {max_duration}")
    if not 10 <= absent <= 3600:
        return detail(400, f"user_absent_timeout must be between 10 and 3600 seconds, got {absent}")
    if model not in ("delta", "golf"):
        return detail(400, f"Unknown render model {model!r} (expected 'delta' or 'golf')")
    if background not in ("default", "transparent"):
        return detail(400, f"background must be 'default' or 'transparent', got {background!r}")
    if not avatar_id.strip():
        return detail(400, "avatar_id is empty")
    engine = body["conversation_engine"]
    problem, engine_detail = _engine_check(sim, engine)
    if problem is not None:
        return detail(400, problem)
    s = sim.create_session(
        owner,
        engine=engine["type"],
        engine_detail=engine_detail,
        avatar_id=avatar_id,
        model=model,
        background=background,
        max_duration=max_duration,
        user_absent_timeout=absent,
    )
    # Validated first, consumed last: a rejected request leaves the secret usable.
    for name in ("client_secret", "access_token"):
        if name in engine_detail:
            sim.secrets[engine_detail[name]].used_by_session = s.id
    return Response({"session_id": s.id, "token": s.token}, status_code=200)


@post("/api/v1/sessions/{session_id:str}/tasks", status_code=200)
async def create_task(request: Request[Any, Any, Any]) -> Response[Any]:
    sim = sim_of(request)
    owner = _owner(request)
    if isinstance(owner, Response):
        return owner
    try:
        body = await read_json(request)
    except ValueError:
        return validation([verr([0], "json_invalid", "JSON decode error")])
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return validation([verr(["text"], "missing", "Field required")])
    s = sim.owned_alive(request.path_params["session_id"], owner)
    if s is None:
        return detail(404, NOT_FOUND)
    if s.engine != "text-echo":
        return detail(400, "Tasks are only supported with the text-echo conversation engine")
    s.tasks += 1
    return Response({"task_id": str(uuid.uuid4())}, status_code=200)


@delete("/api/v1/sessions/{session_id:str}", status_code=200)
async def delete_session(request: Request[Any, Any, Any]) -> Response[Any]:
    sim = sim_of(request)
    owner = _owner(request)
    if isinstance(owner, Response):
        return owner
    s = sim.owned_alive(request.path_params["session_id"], owner)
    if s is None:
        return detail(404, NOT_FOUND)
    sim.end(s, "deleted")
    return Response({}, status_code=200)


ROUTES = [create_session, create_task, delete_session]
