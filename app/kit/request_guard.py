"""Malformed input is refused as a problem naming the field, before it can reach a decoder or PostgreSQL.

One rule for every request, wherever it is decoded, rather than a check per field:

- a body is at most `MAX_BODY_BYTES` (413 `request-too-large` past it; Litestar enforces the number set on the app);
- a JSON body is valid UTF-8, nests at most `MAX_JSON_DEPTH` levels, and holds no NUL character (`\\u0000`) in any
  string or key: PostgreSQL refuses NUL in `text` and `jsonb`, so it could never be stored or compared;
- no query parameter (name or value) holds a NUL character;
- a JSON number with no fraction (`283.0`, `1e3`) is an integer, as JSON Schema counts it: it reaches the schema
  as one, so an integer field takes it (bodies are validated strictly: `true` or `"283"` is no integer);
- a body is sent as JSON: `Content-Type: application/json` (or any `+json` type, such as
  `application/merge-patch+json`); anything else is a 415 `unsupported-media-type`.

A body refused here is refused only after the caller is authenticated: `json()` keeps the problem and hands
the handler's schema a value no schema accepts, so the request goes through authentication (the route's
dependencies) and then fails validation, whose handler answers the body's own problem (`app.errors.refused_body`).
Nobody learns how the API parses bodies without a key: 401 comes before 400.

`GuardedRequest` is the app's request class (its `json()` is what every JSON body goes through);
`refuse_nul_in_query` is a middleware, so it holds for every route, whatever hooks a route has of its own.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Empty, Receive, Scope, Send
from pydantic import TypeAdapter, ValidationError

from app.errors import REFUSED_BODY_KEY, Problem, refused_body

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: the largest agent (20,000 characters of instructions, 128 tools) fits easily
MAX_JSON_DEPTH = 64
NUL = "\x00"
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _refuse(source: str, key: str, message: str) -> Problem:
    return Problem(
        "invalid-request", f"`{key}`: {message}", errors=[{"message": message, "key": key, "source": source}]
    )


def _join(path: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    shown = step.replace(NUL, "\\u0000")
    return f"{path}.{shown}" if path else shown


def _top_key_at_depth_limit(body: bytes) -> str:
    """The top-level field under which the nesting passes the limit (a scan that never recurses)."""
    depth, top, last_string = 0, "", b""
    for m in _TOKENS.finditer(body):
        token = m.group()
        if token in (b"[", b"{"):
            if depth == 1 and last_string:
                top = last_string[1:-1].decode("utf-8", "replace")
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return top or "body"
        elif token in (b"]", b"}"):
            depth -= 1
        elif depth == 1:
            last_string = token
    return top or "body"


def _first_bad_string(value: Any, bad: str) -> tuple[str, int] | None:
    """The path of the first string or key holding a character of `bad`, and how deep the value nests (iterative)."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return path or "body", depth
        if isinstance(item, str):
            if any(c in item for c in bad):
                return path or "body", 0
        elif isinstance(item, dict):
            for k, v in reversed(list(item.items())):
                if any(c in k for c in bad):
                    return _join(path, k), 0
                stack.append((v, _join(path, k), depth + 1))
        elif isinstance(item, list):
            for i in reversed(range(len(item))):
                stack.append((item[i], _join(path, i), depth + 1))
    return None


def _invalid_utf8_field(body: bytes) -> str:
    """Where invalid UTF-8 sits: the undecodable bytes become lone surrogates, which the walk finds."""
    try:
        value = json.loads(body.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError):
        return "body"
    found = _first_bad_string(value, "".join(chr(c) for c in range(0xDC80, 0xDD00)))
    return found[0] if found else "body"


def decode_checked(body: bytes) -> Any:
    """The body decoded once; `invalid-request` naming the field if it is not JSON, nests too deep, is not UTF-8 or
    holds a NUL."""
    try:
        value = _DECODER.decode(body)
    except RecursionError:
        raise _refuse("body", _top_key_at_depth_limit(body), f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    except UnicodeDecodeError:
        raise _refuse("body", _invalid_utf8_field(body), "not valid UTF-8") from None
    except msgspec.DecodeError as exc:
        raise Problem("invalid-request", f"The body is not valid JSON: {exc}") from None
    found = _first_bad_string(value, NUL)
    if found:
        path, depth = found
        if depth:
            top = path.split(".")[0].split("[")[0] or "body"
            raise _refuse("body", top, f"nested deeper than {MAX_JSON_DEPTH} levels")
        raise _refuse("body", path, "must not contain a NUL character (\\u0000)")
    return value


def check_content_type(content_type: str) -> None:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        shown = media_type or "none"
        raise Problem(
            "unsupported-media-type",
            f"Send the body as JSON with `Content-Type: application/json` (this request's: {shown}).",
        )


def _number(literal: str) -> int | float:
    """A JSON number with a fraction or exponent: an int when it is a whole one of a sensible size."""
    value = Decimal(literal)
    if value.is_finite() and value == value.to_integral_value() and abs(value) < 2**63:
        return int(value)
    return float(literal)


_DECODER = msgspec.json.Decoder(float_hook=_number)


class _RefusedBody:
    """What the handler's schema gets for a refused body: no schema accepts it."""


class GuardedRequest(Request[Any, Any, Any]):
    """The app's request: its JSON body is checked before anything decodes it into a schema."""

    async def json(self) -> Any:
        if self._connection_state.json is not Empty:
            return self._connection_state.json
        try:
            check_content_type(self.headers.get("content-type", ""))
            body = await self.body()
            self._connection_state.json = decode_checked(body) if body else None
            return self._connection_state.json
        except Problem as exc:
            refused = exc
        self.scope.setdefault("state", {})[REFUSED_BODY_KEY] = refused
        return _RefusedBody()


class RefuseNulInQuery(ASGIMiddleware):
    """A NUL in a query parameter (name or value) is refused, naming the parameter."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        raw = scope.get("query_string", b"")
        if b"%00" in raw or b"\x00" in raw:
            for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True, errors="replace"):
                if NUL in name or NUL in value:
                    raise _refuse("query", name.replace(NUL, "\\u0000"), "must not contain a NUL character (\\u0000)")
        await next_app(scope, receive, send)


_SCHEMAS: dict[Any, TypeAdapter[Any]] = {}  # by the body's model: one adapter per model, made once


async def body_is_refused(request: Request[Any, Any, Any]) -> bool:
    """Whether this request's body will be refused, by the checks above or by the handler's schema.

    For a route that authenticates inside its own work (the session starts, in the broker's first transaction):
    its dependency asks this first and, when the body will be refused, authenticates at once, so a caller without
    a valid key gets its 401 before the body's 400 there too. A valid body costs one validation of a small model.
    """
    value = await request.json()
    if refused_body(request):
        return True
    model: Any = request.route_handler.parsed_fn_signature.parameters["data"].annotation
    schema = _SCHEMAS.get(model)
    if schema is None:
        schema = _SCHEMAS[model] = TypeAdapter(model)
    try:
        schema.validate_python(value, strict=True)
    except ValidationError:
        return True
    return False
