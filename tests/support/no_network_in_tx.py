"""The shared check for "No network call happens inside a database transaction" (docs/security.md,
docs/decisions/0001-explicit-transactions.md): no transaction is held open while a provider, a webhook receiver
or an identity provider is being asked something.

How it looks: the remote end keeps the call waiting (a simulator latency fault, a held `Receiver`, a
`HoldingProxy` in front of a real server) while `pg_stat_activity` is read twice, `DWELL_S` apart. A backend
of the app's role is the caller's own connection waiting on the network with its transaction open when, in
both looks, it is in the SAME transaction (same pid and `xact_start`), `idle in transaction` (the server waits
for the client: the client is waiting on something else), and that transaction began after the action was
triggered and before the call reached the remote. Other connections' transactions (the reaper, other
requests, the test's own reads) do not match: they started before the trigger, or after the arrival, or they
are working (`active`) or gone by the second look. The check fails loudly, rather than passing, if the remote
let the call go before the second look.

Used by the session create (tests/faults/test_provider_faults.py), credential verification, the worker's
upstream DELETE and its metering, webhook delivery (tests/db/test_no_network_in_tx.py) and the OIDC
callback (tests/identity/test_no_network_in_callback.py).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import asyncpg
import httpx

from app.cli.serving import ServerThread
from app.db.rls import APP_ROLE
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import wait_for
from tests.support.database import run
from tests.support.receiver import Receiver, request_body

DWELL_S = 0.25  # the window between the two looks: a measurement, not a wait for anything

_LOOK = """select pid, state, xact_start, left(query, 200) as query from pg_stat_activity
           where usename = $1 and pid <> pg_backend_pid() and xact_start is not null"""


class Hold(Protocol):
    """The remote end of one network call, keeping it waiting."""

    def arrived(self) -> bool: ...  # the call reached the remote and is being held
    def still_held(self) -> bool: ...  # ... and has not been answered yet
    def release(self) -> None: ...


@dataclass(frozen=True)
class OpenTransaction:
    pid: int
    state: str
    xact_start: datetime
    query: str


def _spanning(
    since: datetime, arrived_by: datetime, first: dict[int, OpenTransaction], second: dict[int, OpenTransaction]
) -> list[OpenTransaction]:
    return [
        tx
        for pid, tx in second.items()
        if pid in first
        and first[pid].xact_start == tx.xact_start
        and since < tx.xact_start < arrived_by
        and first[pid].state.startswith("idle in transaction")
        and tx.state.startswith("idle in transaction")
    ]


class _Looker:
    """One connection as the schema owner (it sees every role's `xact_start`), on its own event loop thread."""

    def __init__(self, owner_url: str) -> None:
        self.url = owner_url

    def now(self) -> datetime:
        return run(self._fetch_now())

    def look(self) -> tuple[datetime, dict[int, OpenTransaction]]:
        return run(self._look())

    async def _fetch_now(self) -> datetime:
        conn = await asyncpg.connect(self.url)
        try:
            return await conn.fetchval("select clock_timestamp()")
        finally:
            await conn.close()

    async def _look(self) -> tuple[datetime, dict[int, OpenTransaction]]:
        conn = await asyncpg.connect(self.url)
        try:
            rows = await conn.fetch(_LOOK, APP_ROLE)
            now = await conn.fetchval("select clock_timestamp()")
        finally:
            await conn.close()
        return now, {
            r["pid"]: OpenTransaction(r["pid"], r["state"] or "", r["xact_start"], r["query"] or "") for r in rows
        }


def assert_no_transaction_across(
    owner_url: str, trigger: Callable[[], Any], hold: Hold, *, what: str, timeout: float = 15.0
) -> Any:
    """Run `trigger` (in a thread) while `hold` keeps the network call it causes waiting; fail if a transaction of
    the app's role stays open across that call. Returns what `trigger` returned (it must not raise)."""
    looker = _Looker(owner_url)
    since = looker.now()
    outcome: dict[str, Any] = {}

    def call() -> None:
        try:
            outcome["value"] = trigger()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    caller = threading.Thread(target=call, name="trigger", daemon=True)
    caller.start()
    try:
        wait_for(
            lambda: hold.arrived() or "error" in outcome, timeout=timeout, what=f"{what}: the call to reach the remote"
        )
        if "error" in outcome:
            raise outcome["error"]
        first_at, first = looker.look()
        time.sleep(DWELL_S)
        _, second = looker.look()
        assert hold.still_held(), f"{what}: the remote answered before the second look; hold it longer"
        spanning = _spanning(since, first_at, first, second)
    finally:
        hold.release()
        caller.join(timeout)
    assert not caller.is_alive(), f"{what}: the triggering call did not finish"
    if "error" in outcome:
        raise outcome["error"]
    assert not spanning, f"{what}: a transaction stayed open across the network call: {spanning}"
    return outcome.get("value")


# The remotes ------------------------------------------------------------------------------------------------


class SimulatorHold:
    """The next request to a simulator route waits `latency_ms` before it is answered: a slow provider, inside the
    clients' timeout in tests (2 s)."""

    def __init__(self, sim: SimulatorControl, route: str, latency_ms: int = 1200) -> None:
        self.sim, self.latency_s = sim, latency_ms / 1000
        self.fault_id = sim.fault(route, latency_ms=latency_ms, times=1)["id"]
        self.route = route

    def _entry(self) -> dict[str, Any] | None:
        return next((r for r in self.sim.requests(self.route) if r.get("fault") == self.fault_id), None)

    def arrived(self) -> bool:
        return self._entry() is not None

    def still_held(self) -> bool:
        entry = self._entry()
        return entry is not None and entry["status"] is None

    def release(self) -> None:
        """A latency fault lets go by itself; an unused one must not slow a later request."""
        for fault in self.sim.faults():
            if fault["id"] == self.fault_id:
                self.sim.clear_faults()


class ReceiverHold:
    """A webhook receiver that keeps the requests it gets waiting until released."""

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver
        receiver.hold()

    def arrived(self) -> bool:
        return self.receiver.held() > 0

    def still_held(self) -> bool:
        return self.receiver.held() > 0

    def release(self) -> None:
        self.receiver.release()


class HoldingProxy:
    """A reverse proxy to `target` on a real socket that passes `Host` on unchanged (so a server that takes its own
    URL from `Host`, such as the dev identity provider, names the proxy) and holds the requests `holds(method,
    path)` picks until released. Redirects are passed back, never followed."""

    def __init__(self, target: str, holds: Callable[[str, str], bool]) -> None:
        self.target, self.holds = target.rstrip("/"), holds
        self.open = threading.Event()
        self.open.set()
        self.lock = threading.Lock()
        self.waiting = 0
        self.seen: list[tuple[str, str]] = []
        self.server = ServerThread(self)

    @property
    def url(self) -> str:
        return self.server.url

    def hold(self) -> None:
        self.open.clear()

    def arrived(self) -> bool:
        with self.lock:
            return self.waiting > 0

    still_held = arrived

    def release(self) -> None:
        self.open.set()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = await request_body(scope, receive, send)
        if body is None:
            return
        method, path = scope["method"], scope["path"]
        with self.lock:
            self.seen.append((method, path))
        if self.holds(method, path) and not self.open.is_set():
            with self.lock:
                self.waiting += 1
            try:
                # Polled: `open` is a threading.Event set from the test's thread, which cannot wake this loop.
                while not self.open.is_set():  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
            finally:
                with self.lock:
                    self.waiting -= 1
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in scope["headers"]
            if k.lower() not in (b"connection", b"content-length", b"transfer-encoding")
        ]
        url = self.target + path + (("?" + scope["query_string"].decode()) if scope["query_string"] else "")
        async with httpx.AsyncClient(timeout=30, follow_redirects=False, trust_env=False) as client:
            answer = await client.request(method, url, headers=headers, content=body)
        await send(
            {
                "type": "http.response.start",
                "status": answer.status_code,
                "headers": [
                    (k.encode("latin-1"), v.encode("latin-1"))
                    for k, v in answer.headers.items()
                    if k.lower() not in ("connection", "content-length", "transfer-encoding", "content-encoding")
                ]
                + [(b"content-length", str(len(answer.content)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": answer.content})

    @contextmanager
    def running(self) -> Iterator[HoldingProxy]:
        with self.server:
            try:
                yield self
            finally:
                self.release()
