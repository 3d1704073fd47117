"""Run an ASGI app on a real socket, in this process or in a thread.

Used by `greenroom serve|simulate|dev`, by the tests and by the benchmarks, so
every one of them talks to the same uvicorn server over TCP.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from typing import Any

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def uvicorn_config(app: Any, host: str, port: int, **kw: Any) -> uvicorn.Config:
    kw.setdefault("log_level", "warning")
    kw.setdefault("access_log", False)
    kw.setdefault("lifespan", "on")
    kw.setdefault("log_config", None)  # logging is ours (app.logs); uvicorn must not reconfigure it
    kw.setdefault("timeout_graceful_shutdown", 5)
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 by default; the app decides whom it trusts
    # (GREENROOM_TRUSTED_PROXIES, app/main.py), so the server itself never does.
    kw.setdefault("proxy_headers", False)
    return uvicorn.Config(app, host=host, port=port, **kw)


class ServerThread:
    """A uvicorn server on its own thread and event loop; `url` once started.

    uvicorn installs its signal handlers only on the main thread, so Ctrl-C stays with the process that started it.
    """

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, **kw: Any) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.server = uvicorn.Server(uvicorn_config(app, host, self.port, **kw))
        self.thread = threading.Thread(target=self._run, name=f"asgi:{self.port}", daemon=True)
        self.error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        try:
            asyncio.run(self.server.serve())
        except BaseException as exc:  # surfaced by start()
            self.error = exc

    def start(self, timeout: float = 15.0) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if self.error is not None or not self.thread.is_alive():
                raise RuntimeError(f"server on port {self.port} failed to start") from self.error
            if time.monotonic() > deadline:
                raise TimeoutError(f"server on port {self.port} did not start in {timeout}s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(app: Any, host: str, port: int, **kw: Any) -> None:
    """Serve in the foreground until SIGINT/SIGTERM (uvicorn's own graceful shutdown)."""
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it already handled
        uvicorn.Server(uvicorn_config(app, host, port, **kw)).run()


def wait_http(url: str, *, timeout: float = 30, proc: Any = None, what: str = "server") -> None:
    """Until `url` answers below 500; a watched child process that exits first is an error at once."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} while starting")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not answer at {url} within {timeout:.0f} s")
