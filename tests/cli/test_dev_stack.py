"""`greenroom dev` as a newcomer runs it: one command up, keys printed, data kept across a restart, Ctrl-C stops all."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.cli.serving import free_port


def start_dev(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")}
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli.main", "dev", "--data-dir", str(data_dir), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


def wait_banner(proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text()
        if "gr_pk_" in text and "Ctrl-C" in text:
            return text
        assert proc.poll() is None, f"greenroom dev exited early:\n{text}"
        time.sleep(0.2)
    raise AssertionError(f"no banner within {timeout} s:\n{log.read_text()}")


def ctrl_c(proc: subprocess.Popen[bytes]) -> int:
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole foreground group
    return proc.wait(20)


@pytest.mark.slow  # `greenroom dev` started twice: PostgreSQL, simulator, app, worker, each time
def test_dev_stack_serves_keeps_data_and_stops_cleanly(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    app = f"http://127.0.0.1:{port}"
    proc = start_dev(data, port, tmp_path / "first.log")
    try:
        banner = wait_banner(proc, tmp_path / "first.log")
        keys = {
            line.strip() for line in banner.splitlines() if re.fullmatch(r"gr_(sk|pk)_[A-Za-z0-9_-]+", line.strip())
        }
        server_key = next(k for k in keys if k.startswith("gr_sk_"))
        assert any(k.startswith("gr_pk_") for k in keys), "each key on a line of its own"
        assert f"{app}/demo" in banner
        created = httpx.post(
            f"{app}/v1/sessions", json={"agent": "demo"}, headers={"Authorization": f"Bearer {server_key}"}
        )
        assert created.status_code == 201, created.text
        assert "greenroom-avatar" in httpx.get(f"{app}/demo").text
        assert httpx.get(f"{app}/widget.js").status_code == 200
    finally:
        assert ctrl_c(proc) == 0
    assert "stopped" in (tmp_path / "first.log").read_text()
    assert not (data / "postgres" / "postmaster.pid").exists(), "PostgreSQL left running"

    proc = start_dev(data, port, tmp_path / "second.log")
    try:
        banner = wait_banner(proc, tmp_path / "second.log")
        assert server_key in banner, "the same demo keys after a restart"
        listed = httpx.get(f"{app}/v1/sessions", headers={"Authorization": f"Bearer {server_key}"}).json()["items"]
        assert created.json()["session_id"] in [s["id"] for s in listed], "sessions survive a restart"
    finally:
        assert ctrl_c(proc) == 0
