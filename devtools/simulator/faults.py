"""Injected faults: which requests they hit, and how many times.

A `hold` fault parks each request it takes until a control call releases the fault (or the client hangs
up, and then the request never reaches the provider): tests use it to keep a request provably in flight
while they act, instead of hoping a latency is long enough.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from dataclasses import asdict, dataclass
from typing import Any

# Route names and the provider whose error shape a status fault answers in.
ROUTES = {
    "openai.client_secrets": "openai",
    "avaturn.create": "avaturn",
    "avaturn.tasks": "avaturn",
    "avaturn.delete": "avaturn",
    "sdk": "avaturn",
    "cartesia.access_token": "cartesia",
}


def route_name(method: str, path: str) -> str | None:
    """The fault route a request belongs to (None: control API or unknown path)."""
    parts = path.rstrip("/").split("/")
    if method == "POST" and path.rstrip("/") == "/v1/realtime/client_secrets":
        return "openai.client_secrets"
    if parts[:4] == ["", "api", "v1", "sessions"]:
        if len(parts) == 4 and method == "POST":
            return "avaturn.create"
        if len(parts) == 6 and parts[5] == "tasks" and method == "POST":
            return "avaturn.tasks"
        if len(parts) == 5 and method == "DELETE":
            return "avaturn.delete"
        return None
    if path.startswith("/_sdk/") and method != "OPTIONS":
        return "sdk"
    if method == "POST" and path.rstrip("/") == "/access-token":
        return "cartesia.access_token"
    return None


class FaultError(ValueError):
    pass


@dataclass
class Fault:
    id: int
    route: str
    latency_ms: int = 0
    status: int | None = None
    error_rate: float = 1.0
    timeout: bool = False
    reset: bool = False
    times: int | None = None
    after_effect: bool = False
    message: str | None = None
    hold: bool = False
    hits: int = 0
    held: int = 0  # requests this hold parks right now

    @property
    def disrupts(self) -> bool:
        return self.status is not None or self.timeout or self.reset

    def public(self) -> dict[str, Any]:
        return asdict(self)


def _int(spec: dict[str, Any], name: str, lo: int, hi: int, default: int | None) -> int | None:
    v = spec.get(name, default)
    if v is None:
        return None
    if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
        raise FaultError(f"{name} must be an integer in {lo}..{hi}")
    return v


class FaultBook:
    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self._ids = itertools.count(1)
        # Hold faults not yet released (also once `times` has used them up), each with the gate its requests wait on.
        self.holds: dict[int, tuple[Fault, asyncio.Event]] = {}

    def add(self, spec: dict[str, Any]) -> Fault:
        unknown = set(spec) - {
            "route",
            "latency_ms",
            "status",
            "error_rate",
            "timeout",
            "reset",
            "times",
            "after_effect",
            "message",
            "hold",
        }
        if unknown:
            raise FaultError(f"unknown fault fields: {sorted(unknown)}")
        route = spec.get("route")
        if route != "*" and route not in ROUTES:
            raise FaultError(f"route must be one of {sorted(ROUTES)} or '*'")
        rate = spec.get("error_rate", 1.0)
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
            raise FaultError("error_rate must be a number in 0..1")
        flags = {k: spec.get(k, False) for k in ("timeout", "reset", "after_effect", "hold")}
        if any(not isinstance(v, bool) for v in flags.values()):
            raise FaultError("timeout, reset, after_effect and hold must be booleans")
        msg = spec.get("message")
        if msg is not None and not isinstance(msg, str):
            raise FaultError("message must be a string")
        fault = Fault(
            id=next(self._ids),
            route=route,
            latency_ms=_int(spec, "latency_ms", 0, 600_000, 0) or 0,
            status=_int(spec, "status", 400, 599, None),
            error_rate=float(rate),
            times=_int(spec, "times", 1, 10**9, None),
            message=msg,
            **flags,
        )
        if sum([fault.status is not None, fault.timeout, fault.reset]) > 1:
            raise FaultError("status, timeout and reset exclude each other")
        if fault.after_effect and not fault.disrupts:
            raise FaultError("after_effect needs status, timeout or reset")
        if not fault.disrupts and not fault.latency_ms and not fault.hold:
            raise FaultError("a fault needs latency_ms, status, timeout, reset or hold")
        self.faults.append(fault)
        if fault.hold:
            self.holds[fault.id] = (fault, asyncio.Event())
        return fault

    def take(self, route: str) -> Fault | None:
        """The fault for this request, if any: the newest matching one; each match uses up one of `times`."""
        for fault in reversed(self.faults):
            if fault.route not in ("*", route):
                continue
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
            if fault.error_rate >= 1 or random.random() < fault.error_rate:
                fault.hits += 1
                return fault
            return None
        return None

    def gate(self, fault: Fault) -> asyncio.Event | None:
        """What a request taken by a hold fault waits on; None once the fault is released."""
        held = self.holds.get(fault.id)
        return held[1] if held else None

    def release(self, fault_id: int) -> Fault | None:
        """Let every request the hold parks go on (each with the rest of its fault), and hold no more."""
        held = self.holds.pop(fault_id, None)
        if held is None:
            return None
        fault, gate = held
        if fault in self.faults:
            self.faults.remove(fault)
        gate.set()
        return fault

    def clear(self) -> None:
        for fault_id in list(self.holds):  # nothing stays parked behind a fault nobody can name any more
            self.release(fault_id)
        self.faults.clear()
