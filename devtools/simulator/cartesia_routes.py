"""Cartesia `POST /access-token`: a short-lived token for a Line agent."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post

from devtools.simulator.errors import cartesia_error
from devtools.simulator.requests import NO_BODY, bearer, is_int, read_json, sim_of

GRANTS = ("agent", "tts", "stt")


@post("/access-token", status_code=200)
async def access_token(request: Request[Any, Any, Any]) -> Response[Any]:
    sim = sim_of(request)
    key = bearer(request)
    if key is None:
        return cartesia_error(401, "Missing API key: send Authorization: Bearer <api_key>.", "unauthorized")
    key_h = sim.check_key("cartesia", key)
    if key_h is None:
        return cartesia_error(401, "Invalid API key.", "unauthorized")
    if not request.headers.get("cartesia-version"):
        return cartesia_error(400, "Missing required header: Cartesia-Version (YYYY-MM-DD).", "missing_version")
    try:
        body = await read_json(request)
    except ValueError:
        return cartesia_error(400, "Request body is not valid JSON.", "invalid_request")
    if body is NO_BODY:
        body = {}
    if not isinstance(body, dict):
        return cartesia_error(400, "Request body must be a JSON object.", "invalid_request")
    grants = body.get("grants")
    if grants is not None and (
        not isinstance(grants, dict)
        or set(grants) - set(GRANTS)
        or not all(isinstance(v, bool) for v in grants.values())
    ):
        return cartesia_error(
            400, f"grants must be an object with boolean fields among {', '.join(GRANTS)}.", "invalid_request"
        )
    expires_in = body.get("expires_in", 60)
    if not is_int(expires_in) or not 1 <= expires_in <= 3600:
        return cartesia_error(400, "expires_in must be an integer between 1 and 3600 seconds.", "invalid_request")
    secret = sim.mint("cartesia_access_token", "cat_", expires_in, key_h)
    return Response({"token": secret.value})
