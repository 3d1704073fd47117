"""Check a provider key against the provider before saving it, and say what went wrong in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from app.upstream import Upstreams
from app.upstream.errors import PROVIDER_NAMES, UpstreamError

# An id no session has: Avaturn answers 404 to a good key and 401 to a bad one, and nothing is touched.
PROBE_SESSION_ID = "greenroom-key-check"


@dataclass(frozen=True)
class Verdict:
    status: str  # valid | invalid | unverified
    detail: str | None = None
    kind: str | None = None  # why an `unverified` key could not be checked: the UpstreamError's kind (timeout, ...)


async def verify(upstreams: Upstreams, provider: str, secret: str) -> Verdict:
    name = PROVIDER_NAMES[provider]
    try:
        if provider == "openai":
            await upstreams.openai.mint(secret, ttl_s=10, session={"type": "realtime", "model": "gpt-realtime"})
        elif provider == "avaturn":
            await upstreams.avaturn.delete_session(secret, PROBE_SESSION_ID)
        else:
            await upstreams.cartesia.access_token(secret, 10)
    except UpstreamError as exc:
        if exc.kind == "auth":
            return Verdict(
                "invalid",
                f"{name} rejected this key (HTTP {exc.status}). Check that it is a current "
                f"{name} API key, copied whole, with access to the API Greenroom uses.",
            )
        reason = "did not answer in time" if exc.kind == "timeout" else f"could not check it ({exc})"
        return Verdict("unverified", f"{name} {reason}; the key is saved and will be used as is.", exc.kind)
    return Verdict("valid")
