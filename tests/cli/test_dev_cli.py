"""The dev stack as a newcomer meets it after the first start: the CLI finds it, a restart keeps what they changed,
and Ctrl-C stops everything cleanly, ending live sessions so nothing is billed for the time the stack was down.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.cli.serving import free_port
from devtools.simulator.control import SimulatorControl
from tests.cli.test_dev_stack import ctrl_c, start_dev, wait_banner

pytestmark = pytest.mark.slow


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """A temp dir of our own, outside pytest's per-user dir: other pytest runs on the machine reset that one's
    mode to 0700, which locks out the embedded PostgreSQL's unprivileged user mid-run."""
    with tempfile.TemporaryDirectory(prefix="greenroom-dev-cli-") as tmp:
        yield Path(tmp)


def greenroom(*args: str, cwd: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "app.cli.main", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def banner_value(banner: str, label: str) -> str:
    return re.search(rf"^\s*{label}\s+(\S+)", banner, re.M).group(1)  # type: ignore[union-attr]


def test_the_cli_finds_the_dev_stack_from_its_data_dir(tmp_path: Path) -> None:
    data, port = tmp_path / "elsewhere", free_port()
    elsewhere = tmp_path / "shell"  # a directory with no .greenroom of its own
    elsewhere.mkdir()
    proc = start_dev(data, port, tmp_path / "dev.log")
    try:
        banner = wait_banner(proc, tmp_path / "dev.log", timeout=120)
        # The banner's own commands name the data dir, so they work when copied.
        assert f"./run greenroom --data-dir {data} report sessions" in banner

        listed = greenroom("--data-dir", str(data), "tenants", "list", cwd=elsewhere)
        assert listed.returncode == 0, listed.stderr
        assert re.search(r"^demo\s+active", listed.stdout, re.M), listed.stdout

        by_env = {"GREENROOM_DATA_DIR": str(data)}
        status = greenroom("vault", "status", cwd=elsewhere, env_extra=by_env)
        assert status.returncode == 0, status.stderr
        assert re.search(r"^\s+1\s+3\s+newest", status.stdout, re.M), status.stdout  # the three demo provider keys

        csv = greenroom("report", "sessions", "--tenant", "demo", "-o", "-", cwd=elsewhere, env_extra=by_env)
        assert csv.returncode == 0, csv.stderr
        assert csv.stdout.splitlines()[0].startswith("id,agent,state"), csv.stdout[:200]

        agree = greenroom("report", "reconcile", cwd=elsewhere, env_extra=by_env)
        assert agree.returncode == 0 and "agree" in agree.stdout, agree.stdout + agree.stderr

        # Nothing to find: the error says what to do, and no traceback.
        lost = greenroom("tenants", "list", cwd=elsewhere)
        assert lost.returncode == 1
        assert "--data-dir" in lost.stderr and "GREENROOM_DATA_DIR" in lost.stderr, lost.stderr
        assert "Traceback" not in lost.stderr
    finally:
        assert ctrl_c(proc) == 0


def test_a_restart_keeps_an_admins_changes_and_ctrl_c_ends_live_sessions(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    app = f"http://127.0.0.1:{port}"
    log = tmp_path / "first.log"
    proc = start_dev(data, port, log)
    try:
        banner = wait_banner(proc, log, timeout=120)
        server_key = re.search(r"gr_sk_[A-Za-z0-9_-]+", banner).group(0)  # type: ignore[union-attr]
        h = {"Authorization": f"Bearer {server_key}"}
        # An admin replaces the demo's OpenAI key with one of their own (which the simulator is told to accept).
        with SimulatorControl(banner_value(banner, "Simulator")) as sim:
            sim.add_key("openai", "sk-mine-0123456789abcdefWXYZ")
        saved = httpx.post(
            f"{app}/v1/credentials", headers=h, json={"provider": "openai", "secret": "sk-mine-0123456789abcdefWXYZ"}
        )
        assert saved.status_code == 201, saved.text
        started = httpx.post(f"{app}/v1/sessions", headers=h, json={"agent": "demo"})
        assert started.status_code == 201, started.text
        session_id = started.json()["session_id"]
    finally:
        assert ctrl_c(proc) == 0
    stop_log = log.read_text().split("Ctrl-C to stop it", 1)[1]
    assert "Traceback" not in stop_log, stop_log
    assert "ended 1 live session(s); 1 confirmed by the simulator" in stop_log, stop_log

    log = tmp_path / "second.log"
    proc = start_dev(data, port, log)
    try:
        wait_banner(proc, log, timeout=120)
        session = httpx.get(f"{app}/v1/sessions/{session_id}", headers=h).json()
        assert (session["state"], session["end_reason"]) == ("terminated", "dev_stopped"), session
        [metered] = [s for s in httpx.get(f"{app}/v1/sessions", headers=h).json()["items"] if s["id"] == session_id]
        assert metered["upstream_seconds"] is not None, metered  # metered to the stop, not to max_duration
        assert metered["upstream_seconds"] < 120, metered
        openai = [c for c in httpx.get(f"{app}/v1/credentials", headers=h).json()["items"] if c["provider"] == "openai"]
        assert [c["last4"] for c in openai] == ["WXYZ"], "the restart put the demo key back over the admin's"
    finally:
        assert ctrl_c(proc) == 0
