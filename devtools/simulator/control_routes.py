"""`/__sim/*`: ground truth and control for tests and development (no auth: a test tool)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, get, post

from devtools.simulator.faults import FaultError
from devtools.simulator.requests import read_json, sim_of
from devtools.simulator.state import PROVIDERS


def _bad(message: str) -> Response[Any]:
    return Response({"error": message}, status_code=400)


async def _object(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    try:
        body = await read_json(request)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@get("/__sim/health")
async def health() -> dict[str, Any]:
    return {"ok": True}


@get("/__sim/sessions")
async def sessions(request: Request[Any, Any, Any]) -> dict[str, Any]:
    sim = sim_of(request)
    now = sim.now()
    return {"sessions": [s.public(now) for s in sim.sessions.values()], "now": now}


@get("/__sim/secrets")
async def secrets(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {"secrets": [s.public() for s in sim_of(request).secrets.values()]}


@get("/__sim/requests")
async def requests(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {"requests": sim_of(request).requests}


@get("/__sim/faults")
async def list_faults(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {"faults": [f.public() for f in sim_of(request).faults.faults]}


@post("/__sim/faults", status_code=200)
async def add_fault(request: Request[Any, Any, Any]) -> Response[Any]:
    spec = await _object(request)
    if spec is None:
        return _bad("body must be a JSON object")
    try:
        fault = sim_of(request).faults.add(spec)
    except FaultError as exc:
        return _bad(str(exc))
    return Response(fault.public())


@delete("/__sim/faults", status_code=200)
async def clear_faults(request: Request[Any, Any, Any]) -> dict[str, Any]:
    sim_of(request).faults.clear()
    return {"faults": []}


@get("/__sim/holds")
async def list_holds(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Hold faults not yet released (also those `times` used up) and how many requests each parks now."""
    return {"holds": [fault.public() for fault, _ in sim_of(request).faults.holds.values()]}


@post("/__sim/faults/{fault_id:int}/release", status_code=200)
async def release_fault(request: Request[Any, Any, Any]) -> Response[Any]:
    fault_id = request.path_params["fault_id"]
    fault = sim_of(request).faults.release(fault_id)
    if fault is None:
        return Response({"error": f"no unreleased hold fault {fault_id}"}, status_code=404)
    return Response(fault.public())


async def _key_change(request: Request[Any, Any, Any], add: bool) -> Response[Any]:
    body = await _object(request)
    if body is None or body.get("provider") not in PROVIDERS or not isinstance(body.get("key"), str) or not body["key"]:
        return _bad(f"body must be {{'provider': one of {list(PROVIDERS)}, 'key': non-empty string}}")
    sim = sim_of(request)
    (sim.add_key if add else sim.revoke_key)(body["provider"], body["key"])
    return Response({"ok": True})


@post("/__sim/keys", status_code=200)
async def add_key(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _key_change(request, add=True)


@delete("/__sim/keys", status_code=200)
async def revoke_key(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _key_change(request, add=False)


@post("/__sim/reset", status_code=200)
async def reset(request: Request[Any, Any, Any]) -> dict[str, Any]:
    sim_of(request).reset()
    return {"ok": True}


@get("/__sim/clock")
async def clock(request: Request[Any, Any, Any]) -> dict[str, Any]:
    sim = sim_of(request)
    return {"now": sim.now(), "offset_s": sim.clock.offset}


@post("/__sim/clock", status_code=200)
async def advance_clock(request: Request[Any, Any, Any]) -> Response[Any]:
    body = await _object(request)
    step = (body or {}).get("advance_s")
    if not isinstance(step, (int, float)) or isinstance(step, bool) or step < 0:
        return _bad("body must be {'advance_s': seconds >= 0} (the clock only moves forward)")
    sim = sim_of(request)
    sim.clock.offset += float(step)
    sim.sweep()
    return Response({"now": sim.now(), "offset_s": sim.clock.offset})


ROUTES = [
    health,
    sessions,
    secrets,
    requests,
    list_faults,
    add_fault,
    clear_faults,
    list_holds,
    release_fault,
    add_key,
    revoke_key,
    reset,
    clock,
    advance_clock,
]
