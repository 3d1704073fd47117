"""The widget's unit tests (Vitest, web/test/) run as part of the Python suite, so a failing one fails `./run test`.

No browser here: Vitest runs the element's logic in Node (happy-dom for the element itself). It needs web/'s
packages, which `./run test` installs (`npm ci`) before pytest starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"


def test_widget_unit_tests_pass() -> None:
    npm = shutil.which("npm")
    if npm is None or not (WEB / "node_modules" / ".bin" / "vitest").exists():
        pytest.fail("web/'s packages are missing: run `./run setup` (npm ci in web/)")
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0", "CI": "1"}
    done = subprocess.run([npm, "test", "--silent"], cwd=WEB, env=env, capture_output=True, text=True, timeout=240)
    output = (done.stdout + done.stderr)[-8000:]
    assert done.returncode == 0, f"Vitest failed (cd web && npm test):\n{output}"
