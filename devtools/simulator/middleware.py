"""Outermost ASGI layer: CORS for the browser SDK API, injected faults, the request log."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from typing import Any

from devtools.simulator.errors import error_body
from devtools.simulator.faults import ROUTES, Fault, route_name
from devtools.simulator.state import SimState

Scope = dict[str, Any]
HANG_CAP_S = 600.0  # a `timeout` fault hangs until the client gives up, at most this long

# uvicorn logs an error when an app drops a response on purpose; a `reset` fault does exactly
# that, so its own drops (marked in this task's context) are not reported as app bugs.
_resetting: contextvars.ContextVar[bool] = contextvars.ContextVar("sim_resetting", default=False)


class _ResetLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _resetting.get()


_FILTER = _ResetLogFilter()


def install_log_filter() -> None:
    logger = logging.getLogger("uvicorn.error")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return bytes(v).decode("latin-1")
    return None


async def _send_json(send: Any, status: int, body: Any, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


async def _discard(message: Any) -> None:
    """Send callable that loses the answer (after_effect: done upstream, answer never arrives)."""


class SimulatorMiddleware:
    def __init__(self, app: Any, sim: SimState) -> None:
        self.app, self.sim = app, sim
        self.state = sim  # in-process access to the ground truth (tests, `greenroom dev`)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        if path.startswith("/_sdk/"):
            origin = _header(scope, b"origin")
            if origin is not None:
                if method == "OPTIONS" and _header(scope, b"access-control-request-method"):
                    await self._preflight(scope, send, origin)
                    return
                send = self._with_cors(send, origin)
        route = route_name(method, path)
        if route is None:
            await self.app(scope, receive, send)
            return
        fault = self.sim.faults.take(route)
        # `dropped`: a held request whose client hung up before the release; the provider never handled it.
        entry: dict[str, Any] = {
            "route": route,
            "method": method,
            "path": path,
            "at": self.sim.now(),
            "fault": fault.id if fault else None,
            "status": None,
            "dropped": False,
        }
        self.sim.log_request(entry)
        send = self._recording(send, entry)
        if fault is None:
            await self.app(scope, receive, send)
        else:
            await self._apply(fault, route, scope, receive, send, entry)

    async def _apply(
        self, fault: Fault, route: str, scope: Scope, receive: Any, send: Any, entry: dict[str, Any]
    ) -> None:
        if fault.hold:
            receive = await self._hold(fault, route, receive, send, entry)
            if receive is None:
                return
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)  # non-blocking: other requests go on
        if not fault.disrupts:
            await self.app(scope, receive, send)
            return
        if fault.after_effect:
            await self.app(scope, receive, _discard)
        if fault.status is not None:
            await _send_json(send, fault.status, error_body(ROUTES[route], fault.status, fault.message))
        elif fault.timeout:
            await self._hang(receive, send, route)
        else:
            await self._reset(send)

    async def _hold(self, fault: Fault, route: str, receive: Any, send: Any, entry: dict[str, Any]) -> Any:
        """Park until the fault is released; then the request goes on with the `receive` to use (its body kept).
        None if the client hung up first: the request is dropped, as a provider never reached would."""
        gate = self.sim.faults.gate(fault)
        if gate is None:  # released already
            return receive
        body: list[Any] = []

        async def until_gone() -> None:
            while (message := await receive())["type"] != "http.disconnect":
                body.append(message)  # read to notice a hang-up; replayed to the route after the release

        gone, released = asyncio.ensure_future(until_gone()), asyncio.ensure_future(gate.wait())
        fault.held += 1
        try:
            await asyncio.wait({gone, released}, timeout=HANG_CAP_S, return_when=asyncio.FIRST_COMPLETED)
        finally:
            fault.held -= 1
            for task in (gone, released):
                task.cancel()
        if gone.done() and not gone.cancelled():
            entry["dropped"] = True
            return None
        if not released.done() or released.cancelled():
            await _send_json(send, 504, error_body(ROUTES[route], 504, "simulated hold never released"))
            return None

        async def replay() -> Any:
            return body.pop(0) if body else await receive()

        return replay

    async def _hang(self, receive: Any, send: Any, route: str) -> None:
        # Wait for the client to hang up (uvicorn reports http.disconnect), so the hang ends with
        # the client and never delays server shutdown; a body still unread is drained on the way.
        try:
            async with asyncio.timeout(HANG_CAP_S):
                while (await receive())["type"] != "http.disconnect":
                    pass
        except TimeoutError:
            await _send_json(send, 504, error_body(ROUTES[route], 504, "simulated timeout"))

    async def _reset(self, send: Any) -> None:
        # Promise a body, send part of it, return: uvicorn then closes the socket mid-response,
        # so the client sees a transport error (incomplete body), not an HTTP status.
        _resetting.set(True)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"partial": ', "more_body": True})

    def _recording(self, send: Any, entry: dict[str, Any]) -> Any:
        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            await send(message)

        return wrapped

    @staticmethod
    def _with_cors(send: Any, origin: str) -> Any:
        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"access-control-allow-origin"]
                headers += [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]
                message = {**message, "headers": headers}
            await send(message)

        return wrapped

    @staticmethod
    async def _preflight(scope: Scope, send: Any, origin: str) -> None:
        requested = _header(scope, b"access-control-request-headers") or ""
        allow = {h.lower(): h for h in ["Content-Type", "X-Session-Token"]}
        allow.update({h.strip().lower(): h.strip() for h in requested.split(",") if h.strip()})
        headers = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-methods", b"GET, POST, PATCH, OPTIONS"),
            (b"access-control-allow-headers", ", ".join(allow.values()).encode("latin-1")),
            (b"access-control-max-age", b"600"),
            (b"vary", b"Origin"),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
