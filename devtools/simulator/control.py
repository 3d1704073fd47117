"""A small synchronous client over the simulator's /__sim API, for tests and scripts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx


class SimulatorControl:
    def __init__(self, base_url: str, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url + "/__sim", timeout=timeout_s)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> SimulatorControl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        resp = self.http.request(method, path, json=body)
        if resp.status_code >= 400:
            raise ValueError(f"simulator {method} {path}: {resp.status_code} {resp.text}")
        return resp.json()

    def health(self) -> bool:
        return bool(self._call("GET", "/health").get("ok"))

    def sessions(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/sessions")["sessions"])

    def alive_sessions(self) -> list[dict[str, Any]]:
        return [s for s in self.sessions() if s["alive"]]

    def session(self, session_id: str) -> dict[str, Any] | None:
        return next((s for s in self.sessions() if s["id"] == session_id), None)

    def secrets(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/secrets")["secrets"])

    def requests(self, route: str | None = None) -> list[dict[str, Any]]:
        """Requests seen on provider routes (newest last), optionally for one fault route name."""
        return [r for r in self._call("GET", "/requests")["requests"] if route is None or r["route"] == route]

    def faults(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/faults")["faults"])

    def fault(self, route: str, **kw: Any) -> dict[str, Any]:
        """Adds a fault, e.g. fault("avaturn.create", status=503, times=1); returns it with its id."""
        return dict(self._call("POST", "/faults", {"route": route, **kw}))

    def clear_faults(self) -> None:
        """Removes every fault; requests parked by a hold go on."""
        self._call("DELETE", "/faults")

    def hold(self, route: str, **kw: Any) -> dict[str, Any]:
        """Parks every request on `route` (or `times` of them) until `release`; with status/timeout/reset they then
        fail that way, else they go through. A request whose client hangs up meanwhile is dropped, never handled."""
        return self.fault(route, hold=True, **kw)

    def held(self, fault_id: int) -> int:
        """How many requests the hold fault parks right now (0 once released)."""
        holds = self._call("GET", "/holds")["holds"]
        return next((int(h["held"]) for h in holds if h["id"] == fault_id), 0)

    def wait_held(
        self, fault_id: int, count: int, timeout_s: float = 10.0, why: Callable[[], str] | None = None
    ) -> None:
        """Wait until the hold parks `count` requests; on timeout, fail saying what `why` reports."""
        deadline = time.monotonic() + timeout_s
        while (now := self.held(fault_id)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"hold {fault_id} parks {now} request(s), expected {count}" + (f": {why()}" if why else "")
                )
            time.sleep(0.02)

    def release(self, fault_id: int) -> dict[str, Any]:
        """Lets the requests a hold parks go on, and holds no more."""
        return dict(self._call("POST", f"/faults/{fault_id}/release"))

    def add_key(self, provider: str, key: str) -> None:
        self._call("POST", "/keys", {"provider": provider, "key": key})

    def revoke_key(self, provider: str, key: str) -> None:
        self._call("DELETE", "/keys", {"provider": provider, "key": key})

    def reset(self) -> None:
        self._call("POST", "/reset")

    def advance_clock(self, seconds: float) -> float:
        """Moves the simulator's clock forward; returns its new now (epoch s)."""
        return float(self._call("POST", "/clock", {"advance_s": seconds})["now"])

    def now(self) -> float:
        return float(self._call("GET", "/clock")["now"])
