"""A webhook receiver for tests: a bare ASGI app on a real socket that records every request and answers as scripted."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from standardwebhooks import Webhook

from app.serving import ServerThread


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)

    def verify(self, secret: str) -> dict[str, Any]:
        """Checked by the `standardwebhooks` package, not by our own code."""
        return Webhook(secret).verify(self.body, self.headers)


class Receiver:
    """Answers the scripted statuses in order, then `default`; `requests` is everything it was sent."""

    def __init__(self, default: int = 204) -> None:
        self.default, self.script, self.requests = default, [], []  # type: ignore[var-annotated]
        self.lock = threading.Lock()
        self.server = ServerThread(self)

    @property
    def url(self) -> str:
        return f"{self.server.url}/hooks"

    def answer(self, *statuses: int) -> None:
        with self.lock:
            self.script.extend(statuses)

    def events(self, event_type: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if event_type is None or r.event["type"] == event_type]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        with self.lock:
            status = self.script.pop(0) if self.script else self.default
            self.requests.append(Received({k.decode(): v.decode() for k, v in scope["headers"]}, body, status))
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"" if status < 300 else b"receiver says no"})

    def __enter__(self) -> Receiver:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
