"""Webhook receivers for tests, on real sockets.

`Receiver`: a bare ASGI app that records every request and answers as scripted (a status, or a redirect with its
`Location`), and can hold requests until released (to look at the sender while it waits). `Listener`: a bare TCP
socket that only counts the connections made to it, for "nothing reached this address" checks that must hold
whatever the sender speaks (plain HTTP, TLS or garbage). `settled` and `received`: a sound "nothing else arrived".
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from dataclasses import dataclass
from typing import Any

import httpx
from standardwebhooks import Webhook

from app.cli.serving import ServerThread
from tests.support.asserts import wait_for
from tests.support.database import Db


async def request_body(scope: dict[str, Any], receive: Any, send: Any) -> bytes | None:
    """For a bare ASGI test server: answer the lifespan protocol (None), or read the whole request body."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return None
    body, more = b"", True
    while more:
        message = await receive()
        body, more = body + message.get("body", b""), message.get("more_body", False)
    return body


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]

    def verify(self, secret: str) -> dict[str, Any]:
        """Checked by the `standardwebhooks` package, not by our own code."""
        return Webhook(secret).verify(self.body, self.headers)


class Receiver:
    """Answers the scripted statuses in order, then `default`; `requests` is everything it was sent.

    A request is recorded when it arrives, before it is answered: a sender that has its answer has been recorded.
    """

    def __init__(self, default: int = 204) -> None:
        self.default = default
        self.script: list[tuple[int, dict[str, str]]] = []
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        self.open = threading.Event()  # cleared by hold(): requests wait until release()
        self.open.set()
        self.waiting = 0  # requests held right now
        self.server = ServerThread(self)

    @property
    def url(self) -> str:
        return f"{self.server.url}/hooks"

    def answer(self, *statuses: int) -> None:
        with self.lock:
            self.script.extend((s, {}) for s in statuses)

    def redirect(self, location: str, status: int = 307) -> None:
        """The next request is answered with a redirect to `location`."""
        with self.lock:
            self.script.append((status, {"location": location}))

    def hold(self) -> None:
        """From now on, requests are recorded and then wait, unanswered, until `release()`."""
        self.open.clear()

    def release(self) -> None:
        self.open.set()

    def held(self) -> int:
        with self.lock:
            return self.waiting

    def events(self, event_type: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if event_type is None or r.event["type"] == event_type]

    def ids(self) -> list[str]:
        return [r.message_id for r in self.events()]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = await request_body(scope, receive, send)
        if body is None:
            return
        with self.lock:
            status, headers = self.script.pop(0) if self.script else (self.default, {})
            self.requests.append(Received({k.decode(): v.decode() for k, v in scope["headers"]}, body, status))
            self.waiting += 1
        try:
            # Held: the sender is kept waiting for its answer. Polled: `open` is a threading.Event set from the
            # test's thread, which cannot wake this server's event loop.
            while not self.open.is_set():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        finally:
            with self.lock:
                self.waiting -= 1
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain"), *((k.encode(), v.encode()) for k, v in headers.items())],
            }
        )
        await send({"type": "http.response.body", "body": b"" if status < 300 else b"receiver says no"})

    def __enter__(self) -> Receiver:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.server.stop()


class Listener:
    """A TCP port on 127.0.0.1 that accepts connections, counts them and closes them: whatever a sender speaks,
    `connections` says whether anything reached this address at all."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, name="listener", daemon=True)

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join(5)
        self.sock.close()


# "Nothing else arrived", made sound ---------------------------------------------------------------------------


def settled(sent: httpx.Response, hook_id: str, receiver: Receiver, db: Db) -> str:
    """`sent` is the answer to `POST /v1/webhooks/{id}/test`: a marker message queued after every event that could
    have been emitted (their state changes committed before the request), so its job id is higher than theirs.
    Waits until the marker arrived and every job of the endpoint up to it is final; a job is done only after the
    receiver recorded its request, so the receiver then holds everything those events will ever send. Its id."""
    assert sent.status_code == 202, sent.text
    marker = sent.json()["message_id"]
    marker_job = db.value("select id from jobs where payload->>'message_id' = $1", marker)
    wait_for(
        lambda: (
            marker in receiver.ids()
            and not db.value(
                """select count(*) from jobs where kind = 'webhook.deliver' and payload->>'endpoint_id' = $1
           and id <= $2 and state not in ('done', 'parked')""",
                hook_id,
                marker_job,
            )
        ),
        timeout=15,
        what="the marker and everything before it",
    )
    return marker


def received(receiver: Receiver, secret: str, marker: str) -> list[dict[str, Any]]:
    """Every message but the markers (`webhook.test`), verified, in arrival order; the last marker came once."""
    assert receiver.ids().count(marker) == 1
    return [e for e in (r.verify(secret) for r in receiver.events()) if e["type"] != "webhook.test"]
