"""The console's API types are generated from the app's OpenAPI document, and cannot drift from it: the running app's
/schema/openapi.json, run through the same generator (`npm run api:types`), must give the committed files."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
GENERATED = WEB / "console" / "src" / "api"


def test_committed_api_types_match_the_running_apps_openapi_document(stack: Any, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (WEB / "node_modules" / "openapi-typescript").exists():
        pytest.fail("web/'s packages are missing: run `./run setup` (npm ci in web/)")
    document = tmp_path / "openapi.json"
    resp = stack.http.get("/schema/openapi.json")
    assert resp.status_code == 200
    document.write_bytes(resp.content)

    out = tmp_path / "schema.d.ts"
    done = subprocess.run(
        [node, str(WEB / "scripts" / "api-types.mjs"), str(document), str(out)],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the generator failed:\n{done.stdout}{done.stderr}"

    for name in ("schema.d.ts", "fields.ts"):
        committed = (GENERATED / name).read_text()
        fresh = (tmp_path / name).read_text()
        if committed != fresh:
            diff = "".join(
                list(
                    difflib.unified_diff(
                        committed.splitlines(keepends=True),
                        fresh.splitlines(keepends=True),
                        f"committed web/console/src/api/{name}",
                        "from /schema/openapi.json",
                    )
                )[:80]
            )
            pytest.fail(
                f"web/console/src/api/{name} differs from what the app's OpenAPI document gives: the API changed and "
                "the console's types did not follow. Save the document (GET /schema/openapi.json) and run "
                "`npm run api:types -- <openapi.json>` in web/, then check the console still builds "
                f"(`npm run build`).\n{diff}"
            )
