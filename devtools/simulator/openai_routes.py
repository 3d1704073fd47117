"""OpenAI `POST /v1/realtime/client_secrets` (GA Realtime), as the openai SDK calls it."""

from __future__ import annotations

import copy
import secrets as _secrets
from typing import Any

from litestar import Request, Response, post

from devtools.simulator.errors import openai_error
from devtools.simulator.requests import NO_BODY, bearer, is_int, read_json, sim_of

VOICES = {"alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"}
_FORMAT = {"type": "audio/pcm", "rate": 24000}
# What the real answer fills in around the caller's config.
_REALTIME_DEFAULTS: dict[str, Any] = {
    "object": "realtime.session",
    "type": "realtime",
    "model": "gpt-realtime",
    "output_modalities": ["audio"],
    "instructions": "",
    "tools": [],
    "tool_choice": "auto",
    "max_output_tokens": "inf",
    "tracing": None,
    "truncation": "auto",
    "prompt": None,
    "include": None,
    "audio": {
        "input": {
            "format": _FORMAT,
            "transcription": None,
            "noise_reduction": None,
            "turn_detection": {
                "type": "server_vad",
                "threshold": 0.5,
                "prefix_padding_ms": 300,
                "silence_duration_ms": 200,
                "idle_timeout_ms": None,
                "create_response": True,
                "interrupt_response": True,
            },
        },
        "output": {"format": _FORMAT, "voice": "alloy", "speed": 1.0},
    },
}
_TRANSCRIPTION_DEFAULTS: dict[str, Any] = {
    "object": "realtime.transcription_session",
    "type": "transcription",
    "include": None,
    "audio": {"input": {"format": _FORMAT, "transcription": None, "noise_reduction": None, "turn_detection": None}},
}
_MISSING_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
)
# The real message quotes part of the key; this one quotes none of it, on purpose.
_BAD_KEY = "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def _check_session(session: Any) -> tuple[str, str] | None:
    """(param, message) of the first problem in the session config, else None."""
    if session is NO_BODY or session is None:
        return "session", "Missing required parameter: 'session'."
    if not isinstance(session, dict):
        return "session", "Invalid type for 'session': expected an object."
    kind = session.get("type")
    if kind not in ("realtime", "transcription"):
        return "session.type", f"Invalid value: {kind!r}. Supported values are: 'realtime' and 'transcription'."
    model = session.get("model")
    if model is not None and not (isinstance(model, str) and model.startswith("gpt-") and "realtime" in model):
        return "session.model", f"Invalid value for 'session.model': {model!r} is not a Realtime model."
    if "instructions" in session and not isinstance(session["instructions"], str):
        return "session.instructions", "Invalid type for 'session.instructions': expected a string."
    audio = session.get("audio")
    if audio is not None and not isinstance(audio, dict):
        return "session.audio", "Invalid type for 'session.audio': expected an object."
    output = (audio or {}).get("output") or {}
    voice = output.get("voice") if isinstance(output, dict) else None
    if isinstance(voice, dict):  # custom voice: {"id": "voice_..."}
        voice = voice.get("id") if isinstance(voice.get("id"), str) else 1
    if voice is not None and voice not in VOICES and not (isinstance(voice, str) and voice.startswith("voice_")):
        return (
            "session.audio.output.voice",
            f"Invalid value: {voice!r}. Supported values are: {', '.join(sorted(VOICES))}.",
        )
    return None


@post("/v1/realtime/client_secrets", status_code=200)
async def create_client_secret(request: Request[Any, Any, Any]) -> Response[Any]:
    sim = sim_of(request)
    key = bearer(request)
    if key is None:
        return openai_error(401, _MISSING_KEY)
    key_h = sim.check_key("openai", key)
    if key_h is None:
        return openai_error(401, _BAD_KEY, code="invalid_api_key")
    try:
        body = await read_json(request)
    except ValueError:
        return openai_error(400, "We could not parse the JSON body of your request.")
    if not isinstance(body, dict):
        return openai_error(400, "Missing required parameter: 'session'.", "session", "missing_required_parameter")
    ttl = 600
    expires_after = body.get("expires_after")
    if expires_after is not None:
        if not isinstance(expires_after, dict):
            return openai_error(
                400, "Invalid type for 'expires_after': expected an object.", "expires_after", "invalid_type"
            )
        if expires_after.get("anchor", "created_at") != "created_at":
            return openai_error(
                400,
                f"Invalid value: {expires_after.get('anchor')!r}. Supported values are: 'created_at'.",
                "expires_after.anchor",
                "invalid_value",
            )
        ttl = expires_after.get("seconds", 600)
        if not is_int(ttl):
            return openai_error(
                400,
                "Invalid type for 'expires_after.seconds': expected an integer.",
                "expires_after.seconds",
                "invalid_type",
            )
        if not 10 <= ttl <= 7200:
            code = "integer_below_min_value" if ttl < 10 else "integer_above_max_value"
            return openai_error(
                400,
                f"Invalid 'expires_after.seconds': {ttl}. Expected a value between 10 and 7200.",
                "expires_after.seconds",
                code,
            )
    session = body.get("session", NO_BODY)
    problem = _check_session(session)
    if problem is not None:
        code = "missing_required_parameter" if problem[1].startswith("Missing") else "invalid_value"
        return openai_error(400, problem[1], problem[0], code)
    defaults = _REALTIME_DEFAULTS if session["type"] == "realtime" else _TRANSCRIPTION_DEFAULTS
    echo = _merge(defaults, session)
    echo["id"] = "sess_" + _secrets.token_hex(12)
    secret = sim.mint("openai_client_secret", "ek_", ttl, key_h, echo)
    secret.expires_at = float(int(secret.created_at) + ttl)  # OpenAI answers whole epoch seconds
    echo["expires_at"] = int(secret.expires_at)
    return Response({"value": secret.value, "expires_at": int(secret.expires_at), "session": echo}, status_code=200)
