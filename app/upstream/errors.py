"""Upstream failures as typed errors, each mapped to one problem type."""

from __future__ import annotations

import re
from typing import Any, Literal

import httpx

from app.errors import Problem, ProblemSlug

Kind = Literal["auth", "rejected", "busy", "error", "timeout"]
BUSY_RETRY_AFTER_S = 5  # when the provider's 429 names no Retry-After
PROVIDER_NAMES = {"openai": "OpenAI", "avaturn": "Avaturn", "cartesia": "Cartesia"}


class UpstreamError(Exception):
    def __init__(self, provider: str, kind: Kind, message: str, status: int | None = None) -> None:
        self.provider, self.kind, self.status = provider, kind, status
        super().__init__(message)

    def to_problem(self) -> Problem:
        name = PROVIDER_NAMES[self.provider]
        where = f" (HTTP {self.status})" if self.status else ""
        answers: dict[str, tuple[ProblemSlug, str]] = {
            "auth": (
                "upstream-auth-failed",
                f"{name} rejected the tenant's {name} key{where}: check it in the credentials.",
            ),
            "rejected": ("upstream-rejected", f"{name} rejected the request{where}: {self}"),
            "busy": ("upstream-busy", f"{name} is limiting the tenant's request rate{where}; retry shortly."),
            "error": ("upstream-error", f"{name} failed{where}: {self}"),
            "timeout": ("upstream-timeout", f"{name} did not answer in time."),
        }
        slug, detail = answers[self.kind]
        headers = {"Retry-After": str(BUSY_RETRY_AFTER_S)} if self.kind == "busy" else None
        return Problem(slug, detail, provider=self.provider, headers=headers)


# Key-shaped tokens of the providers we call (and of Greenroom itself): masked in any text a provider sends back.
_KEY_SHAPED = re.compile(r"\b(?:sk|ek|av|gr_sk|gr_pk|sk_car)[-_][A-Za-z0-9_\-]{6,}")


def scrub(message: str, secret: str | None) -> str:
    """A provider's explanation without the key the request carried (some providers echo it) or anything key-shaped."""
    if secret:
        message = message.replace(secret, "[redacted]")
    return _KEY_SHAPED.sub("[redacted]", message)


def classify_status(provider: str, status: int, message: str, secret: str | None = None) -> UpstreamError:
    """The typed error for a provider's HTTP status; `secret` (the key sent) never survives into its message."""
    message = scrub(message, secret)
    if status in (401, 403):
        return UpstreamError(provider, "auth", message, status)
    if status == 429:  # the provider's rate or quota limit: the caller may retry, it is not our failure
        return UpstreamError(provider, "busy", message, status)
    if status in (400, 404, 409, 410, 422):
        return UpstreamError(provider, "rejected", message, status)
    return UpstreamError(provider, "error", message, status)


def transport_error(provider: str, exc: httpx.HTTPError) -> UpstreamError:
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamError(provider, "timeout", "timed out")
    return UpstreamError(provider, "error", f"connection failed ({type(exc).__name__})")


def error_message(resp: httpx.Response) -> str:
    """The provider's own explanation, from FastAPI, OpenAI or plain bodies; never echoes headers."""
    try:
        body: Any = resp.json()
    except ValueError:
        return resp.text[:200] or resp.reason_phrase
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail[:300]
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        first = detail[0]
        loc = ".".join(str(p) for p in first.get("loc", []) if p != "body")
        return f"{loc}: {first.get('msg', '')}"[:300]
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict) and err.get("message"):
        return str(err["message"])[:300]
    if isinstance(body, dict) and isinstance(body.get("message"), str):  # Cartesia: {error_code, title, message}
        return str(body["message"])[:300]
    return resp.reason_phrase
