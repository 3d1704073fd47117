"""Small helpers shared by the provider route modules."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request

from devtools.simulator.state import SimState

NO_BODY = object()  # read_json's answer for an empty body (distinct from a JSON null)


def sim_of(request: Request[Any, Any, Any]) -> SimState:
    return request.app.state.sim  # type: ignore[no-any-return]


def bearer(request: Request[Any, Any, Any]) -> str | None:
    """The Bearer credential, or None when the header is missing or not Bearer."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


async def read_json(request: Request[Any, Any, Any]) -> Any:
    """The parsed JSON body; NO_BODY for an empty body; raises ValueError for bad JSON."""
    raw = await request.body()
    if not raw.strip():
        return NO_BODY
    return json.loads(raw)


def is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)
