"""Each provider's own error body shape, so clients parse simulator errors like real ones."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Response

_OPENAI_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
}
_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    410: "Gone",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def openai_body(status: int, message: str, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    kind = _OPENAI_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def cartesia_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    # Structured errors as of Cartesia-Version 2026-03-01.
    return {
        "error_code": code,
        "title": _REASONS.get(status, "Error"),
        "message": message,
        "request_id": str(uuid.uuid4()),
    }


def error_body(provider: str, status: int, message: str | None = None) -> dict[str, Any]:
    """A generic error (used by faults) in `provider`'s shape; sdk speaks Avaturn's."""
    message = message or f"Simulated {status} {_REASONS.get(status, 'error')}"
    if provider == "openai":
        return openai_body(status, message)
    if provider == "cartesia":
        return cartesia_body(status, message)
    return {"detail": message}


def openai_error(status: int, message: str, param: str | None = None, code: str | None = None) -> Response[Any]:
    return Response(openai_body(status, message, param, code), status_code=status)


def detail(status: int, message: str) -> Response[Any]:
    """FastAPI's HTTPException shape (Avaturn and its SDK API)."""
    return Response({"detail": message}, status_code=status)


def validation(errors: list[dict[str, Any]]) -> Response[Any]:
    """FastAPI's 422 shape: {"detail": [{"type", "loc", "msg"}]}."""
    return Response({"detail": errors}, status_code=422)


def verr(loc: list[str | int], kind: str, msg: str) -> dict[str, Any]:
    return {"type": kind, "loc": ["body", *loc], "msg": msg}


def cartesia_error(status: int, message: str, code: str | None = None) -> Response[Any]:
    return Response(cartesia_body(status, message, code), status_code=status)
