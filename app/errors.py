"""One small error hierarchy, answered as RFC 9457 problem details.

Every problem has a stable `type` (`/problems/<slug>`, resolvable on the app
itself) so clients can branch on it without parsing prose. Slugs are typed (`ProblemSlug`): a misspelt one in
`Problem(...)` or `problem_responses(...)` is a mypy error, and the type and the catalogue are checked against each
other when this module is imported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard, get_args

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("greenroom.errors")

# Every problem type there is. A slug outside this list is a mypy error; the catalogue below must list each
# exactly once (checked when this module is imported).
ProblemSlug = Literal[
    "invalid-request",
    "request-too-large",
    "unsupported-media-type",
    "unknown-key",
    "invalid-session-token",
    "insufficient-scope",
    "origin-not-allowed",
    "agent-not-allowed",
    "not-found",
    "method-not-allowed",
    "unknown-agent",
    "session-not-found",
    "missing-credential",
    "conflict",
    "credential-invalid",
    "credential-malformed",
    "credential-in-use",
    "concurrency-limit",
    "rate-limited",
    "quota-exhausted",
    "reconciliation-unavailable",
    "idempotency-mismatch",
    "idempotency-in-progress",
    "not-an-operator",
    "tenant-suspended",
    "upstream-auth-failed",
    "upstream-rejected",
    "upstream-busy",
    "upstream-error",
    "upstream-timeout",
    "credential-unreadable",
    "internal-error",
    "console-not-built",
    # Sign-in, admin sessions and tenancy (app/identity, app/tenants).
    "unknown-provider",
    "sign-in-state-mismatch",
    "sign-in-failed",
    "issuer-mismatch",
    "id-token-invalid",
    "identity-provider-unavailable",
    "signup-disabled",
    "not-signed-in",
    "session-expired",
    "csrf-failed",
    "insufficient-role",
    "no-tenant-selected",
    "not-a-member",
    "last-owner",
    "invitation-invalid",
    "invitation-email-mismatch",
    # Webhooks to tenants (app/webhooks).
    "invalid-webhook-url",
    "webhook-disabled",
    "webhook-limit",
]

# slug -> (status, title). The catalogue doubles as the documentation served at /problems/<slug>.
CATALOGUE: dict[ProblemSlug, tuple[int, str]] = {
    "invalid-request": (400, "The request is not valid"),
    "request-too-large": (413, "The request body is too large"),
    "unsupported-media-type": (415, "The request body must be JSON"),
    "unknown-key": (401, "Unknown or revoked key"),
    "invalid-session-token": (401, "Unknown or expired session token"),
    "insufficient-scope": (403, "The key lacks the scope this call needs"),
    "origin-not-allowed": (403, "This origin may not use this widget key"),
    "agent-not-allowed": (403, "This widget key may not start this agent"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "unknown-agent": (404, "Unknown agent"),
    "session-not-found": (404, "Unknown session"),
    "missing-credential": (409, "The tenant has no provider key for this engine"),
    "conflict": (409, "It already exists"),
    "credential-invalid": (422, "The provider rejected this key"),
    "credential-malformed": (422, "This cannot be a key of that provider"),
    "credential-in-use": (409, "Sessions still need this provider key to be ended"),
    "concurrency-limit": (429, "Too many live sessions"),
    "rate-limited": (429, "Too many new sessions"),
    "quota-exhausted": (429, "This month's minutes are used up"),
    "reconciliation-unavailable": (409, "No record of the provider's to reconcile against"),
    "idempotency-mismatch": (422, "Idempotency-Key reused with a different request"),
    "idempotency-in-progress": (409, "A request with this Idempotency-Key is still running"),
    "not-an-operator": (403, "Operator accounts only"),
    "tenant-suspended": (403, "The tenant is suspended"),
    "upstream-auth-failed": (502, "The provider rejected the tenant's key"),
    "upstream-rejected": (502, "The provider rejected the request"),
    "upstream-busy": (503, "The provider is limiting requests"),
    "upstream-error": (502, "The provider failed"),
    "upstream-timeout": (504, "The provider did not answer in time"),
    "credential-unreadable": (500, "A stored provider key could not be decrypted"),
    "internal-error": (500, "Internal error"),
    "console-not-built": (503, "The admin console is not built"),
    # Sign-in, admin sessions and tenancy (app/identity, app/tenants).
    "unknown-provider": (404, "No such sign-in provider"),
    "sign-in-state-mismatch": (400, "This sign-in did not start in this browser, or it expired"),
    "sign-in-failed": (400, "The identity provider did not complete the sign-in"),
    "issuer-mismatch": (400, "The answer came from a different identity provider"),
    "id-token-invalid": (400, "The identity provider's ID token did not verify"),
    "identity-provider-unavailable": (502, "The identity provider could not be reached"),
    "signup-disabled": (403, "Self-serve sign-up is turned off"),
    "not-signed-in": (401, "Sign in first"),
    "session-expired": (401, "The sign-in session expired or was revoked"),
    "csrf-failed": (403, "Missing or wrong CSRF token or Origin"),
    "insufficient-role": (403, "Your role in this tenant does not allow this"),
    "no-tenant-selected": (400, "Pick a tenant first"),
    "not-a-member": (403, "You are not a member of this tenant"),
    "last-owner": (409, "A tenant needs at least one owner"),
    "invitation-invalid": (410, "The invitation is unknown, used, revoked or expired"),
    "invitation-email-mismatch": (403, "The invitation is for a different email address"),
    # Webhooks to tenants (app/webhooks).
    "invalid-webhook-url": (422, "This webhook URL is not allowed"),
    "webhook-disabled": (409, "The webhook endpoint is disabled"),
    "webhook-limit": (409, "Too many webhook endpoints"),
}


def _check_catalogue() -> None:
    """The type and the catalogue name the same slugs: a slug added to one only fails here, at import."""
    typed, catalogued = set(get_args(ProblemSlug)), set(CATALOGUE)
    if typed != catalogued:
        raise RuntimeError(
            f"app.errors: ProblemSlug and CATALOGUE disagree: only typed {sorted(typed - catalogued)}, "
            f"only catalogued {sorted(catalogued - typed)}"
        )


_check_catalogue()


def is_problem_slug(slug: str) -> TypeGuard[ProblemSlug]:
    """For a slug that arrives as text (the `/problems/<slug>` page)."""
    return slug in CATALOGUE


class Problem(Exception):
    """An error a client should see, with a stable type slug."""

    def __init__(
        self,
        slug: ProblemSlug,
        detail: str | None = None,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        default_status, title = CATALOGUE[slug]
        self.headers = headers
        self.slug = slug
        self.status = status or default_status
        self.title = title
        self.detail = detail
        self.extra = extra
        super().__init__(detail or title)

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"type": f"/problems/{self.slug}", "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


def problem_response(problem: Problem, request: Request[Any, Any, Any] | None = None) -> Response[Any]:
    return Response(
        content=problem.to_dict(request.url.path if request else None),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers,
    )


def refused_body(request: Request[Any, Any, Any]) -> Problem | None:
    """The problem `GuardedRequest` found with the body, kept until the caller was authenticated (401 before 400)."""
    found = request.scope.get("state", {}).get(REFUSED_BODY_KEY)
    return found if isinstance(found, Problem) else None


REFUSED_BODY_KEY = "greenroom.refused_body"


def _on_problem(request: Request[Any, Any, Any], exc: Problem) -> Response[Any]:
    if exc.status >= 500:
        log.warning("problem %s: %s", exc.slug, exc.detail)
    return problem_response(exc, request)


def _on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, ValidationException) and (refused := refused_body(request)):
        return problem_response(refused, request)  # the body's own problem, found before authentication ran
    if isinstance(exc, ValidationException):
        errors = exc.extra if isinstance(exc.extra, list) else []
        p = Problem("invalid-request", exc.detail or "Invalid request body or parameters", errors=errors)
    elif isinstance(exc, NotAuthorizedException):
        p = Problem("unknown-key", exc.detail)
    elif isinstance(exc, NotFoundException):
        p = Problem("not-found", exc.detail)
    elif exc.status_code == 413:
        p = Problem("request-too-large", "A request body may hold at most 1 MiB.")
    elif exc.status_code == 405:
        p = Problem("method-not-allowed", exc.detail)
    else:
        p = Problem("invalid-request", exc.detail, status=exc.status_code)
        p.title = exc.detail or p.title
    resp = problem_response(p, request)
    if exc.headers:
        resp.headers.update(exc.headers)
    return resp


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
    return problem_response(Problem("internal-error", "Something went wrong on our side; it has been logged."), request)


exception_handlers: dict[Any, Any] = {
    Problem: _on_problem,
    HTTPException: _on_http_exception,
    Exception: _on_unexpected,
}


# OpenAPI: every operation lists the problems it can answer, each with an example body.
@dataclass
class ProblemDocument:
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


def problem_responses(*slugs: ProblemSlug) -> dict[int, ResponseSpec]:
    """The problem responses of one operation, grouped by status (evaluated at import, where routes are declared)."""
    by_status: dict[int, list[ProblemSlug]] = {}
    for slug in slugs:
        by_status.setdefault(CATALOGUE[slug][0], []).append(slug)
    return {
        status: ResponseSpec(
            data_container=ProblemDocument,
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
            description="; ".join(CATALOGUE[s][1] for s in group)
            + " ("
            + ", ".join(f"`/problems/{s}`" for s in group)
            + ")",
            examples=[
                Example(summary=s, value={"type": f"/problems/{s}", "title": CATALOGUE[s][1], "status": status})
                for s in group
            ],
        )
        for status, group in by_status.items()
    }
