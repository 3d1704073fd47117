"""Schemathesis over the whole OpenAPI document (every operation in it): what the server does is what the document says.

Every check and every phase (examples, coverage, fuzzing, and stateful sequences through the links it infers),
bounded per operation so it runs in a few minutes, against the real app, database, worker and simulator of a
world of its own (the operator may suspend tenants and change limits: the shared database's tenants must not
meet that). The allow-list is `schemathesis.toml` beside this file, each entry with its reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx

from devtools.identity_provider import provider_config
from tests.identity.conftest import OPERATOR_SUB, Idp
from tests.support.database import TestDatabase
from tests.support.stack import own_stack

CONFIG = Path(__file__).with_name("schemathesis.toml")
# Fixed in CI; another seed or more examples explore further (`GREENROOM_SCHEMATHESIS_SEED=7 ./run test tests/api`).
MAX_EXAMPLES = int(os.environ.get("GREENROOM_SCHEMATHESIS_EXAMPLES", "25"))
SEED = int(os.environ.get("GREENROOM_SCHEMATHESIS_SEED", "20261127"))
LAST = (
    "POST /auth/logout",
    "DELETE /v1/api-keys/{key_id}",
    "POST /v1/api-keys/{key_id}/roll",
    "POST /v1/operator/tenants/{tenant_id}/suspend",
)


def test_the_api_does_what_its_openapi_document_says(test_db: TestDatabase, dev_idp: Idp, tmp_path: Path) -> None:
    port = int(dev_idp.url.rsplit(":", 1)[1])
    with own_stack(
        test_db,
        identity_providers={"dev": provider_config(port)},
        operator_accounts=[f"{dev_idp.url}#{OPERATOR_SUB}"],
    ) as world:
        env = credentials(world.url, world.sim, dev_idp)
        doc = httpx.get(f"{world.url}/schema/openapi.json").json()
        operations = sum(m in ("get", "post", "put", "patch", "delete") for item in doc["paths"].values() for m in item)
        # Signing out, revoking or rolling keys and suspending a tenant can take away the credentials every other
        # operation runs with: they go in a run of their own, last.
        last = [arg for name in LAST for arg in ("--include-name", name)]
        first = [arg for name in LAST for arg in ("--exclude-name", name)]
        everything = schemathesis(world.url, env, tmp_path / "api.ndjson", *first)
        logout = schemathesis(world.url, env, tmp_path / "last.ndjson", *last)
    for run in (everything, logout):
        assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-3000:]
    first, then = figures(tmp_path / "api.ndjson", everything.stdout), figures(tmp_path / "last.ndjson", logout.stdout)
    print(f"schemathesis: {first} then {then}")  # the figures of the closing note: `pytest -s tests/api`
    assert first["operations"] + then["operations"] == operations and first["failures"] + then["failures"] == 0


def schemathesis(url: str, env: dict[str, str], report: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "--no-color",
        "run",
        f"{url}/schema/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "2",
        "--generation-database",
        "none",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        *args,
    ]
    # Run where its caches may land (a `.schemathesis/` folder): never in the checkout.
    return subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, timeout=600, cwd=report.parent
    )


def credentials(url: str, sim: Any, idp: Idp) -> dict[str, str]:
    """A new user signs up (the owner of a new tenant), equips the tenant and issues both keys; the operator signs
    in. Tenant operations take the server key, the operator's and `/auth/*` the operator's sign-in."""
    with httpx.Client(base_url=url, timeout=30) as http:
        return _credentials(http, url, sim, idp)


def _credentials(http: httpx.Client, url: str, sim: Any, idp: Idp) -> dict[str, str]:
    owner = {"Cookie": f"__Host-greenroom_session={sign_in(http, idp.user())}"}
    admin = {**owner, "X-CSRF-Token": http.get("/auth/me", headers=owner).json()["csrf_token"], "Origin": url}
    for provider, prefix in (("openai", "sk"), ("avaturn", "av")):
        key = f"{prefix}-conformance-{os.urandom(8).hex()}"
        sim.add_key(provider, key)
        saved = http.post("/v1/credentials", json={"provider": provider, "secret": key}, headers=admin)
        assert saved.status_code == 201, saved.text
    agent = {"slug": "front-desk", "name": "Front desk", "engine": {"type": "openai-realtime"}}
    assert http.post("/v1/agents", json=agent, headers=admin).status_code == 201
    scopes = ["admin", "sessions:write", "sessions:read", "usage:read"]
    server_key = http.post("/v1/api-keys", json={"label": "conformance", "scopes": scopes}, headers=admin).json()["key"]
    widget = http.post("/v1/widget-keys", json={"allowed_origins": [url]}, headers=admin).json()["key"]
    started = http.post(
        "/v1/widget/sessions",
        json={"agent": "front-desk"},
        headers={"Authorization": f"Bearer {widget}", "Origin": url},
    )
    assert started.status_code == 201, started.text
    operator = sign_in(http, OPERATOR_SUB)
    me = http.get("/auth/me", headers={"Cookie": f"__Host-greenroom_session={operator}"}).json()
    return {
        "GREENROOM_ORIGIN": url,
        "GREENROOM_SERVER_KEY": server_key,
        "GREENROOM_ADMIN_SESSION": operator,
        "GREENROOM_CSRF": me["csrf_token"],
        "GREENROOM_WIDGET_KEY": widget,
        "GREENROOM_SESSION_TOKEN": started.json()["heartbeat"]["token"],
    }


def sign_in(http: httpx.Client, sub: str) -> str:
    """Outside dev mode the cookies are `__Host-` and Secure, which a client's jar keeps off plain http: carry
    them by hand."""
    login = http.get("/auth/login/dev")
    assert login.status_code == 302, login.text
    at_provider = httpx.post(login.headers["location"], data={"sub": sub})
    sent = "; ".join(f"{name}={value}" for name, value in cookies_of(login).items())
    callback = http.get(at_provider.headers["location"], headers={"Cookie": sent})
    assert callback.status_code == 303, callback.text
    return cookies_of(callback)["__Host-greenroom_session"]


def cookies_of(resp: httpx.Response) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in resp.headers.get_list("set-cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def figures(report: Path, stdout: str) -> dict[str, int]:
    """Operations selected and test cases generated and failed, from the run's event stream and summary."""
    events = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    loaded = next(e["LoadingFinished"] for e in events if "LoadingFinished" in e)
    cases = re.search(r"(\d+) generated, (?:(\d+) found )?", stdout)
    assert cases, stdout[-2000:]
    return {
        "operations": loaded["statistic"]["operations"]["selected"],
        "cases": int(cases[1]),
        "failures": int(cases[2] or 0),
    }
