"""No key or token reaches a log line: the real `greenroom serve` and `worker` processes at DEBUG, JSON logs.

Known keys and tokens are pushed through every path that logs, errors or responds (sessions, failures of
each provider, credential checks, termination by the worker); then the processes' whole output is searched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.cli.serving import free_port, wait_http
from app.logs import redact
from devtools.simulator.control import SimulatorControl
from tests.support.asserts import wait_for
from tests.support.database import Db, run
from tests.support.stack import make_tenant, settings_env, settings_for


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("Authorization: Bearer sk-live-abcdefghijklmnop", "sk-live-abcdefghijklmnop"),
        ("calling with api_key=av_0123456789abcdef now", "av_0123456789abcdef"),
        ('{"token": "eyJhbGciOiJIUzI1NiJ9.payload.sig"}', "eyJhbGciOiJIUzI1NiJ9.payload.sig"),
        ("secret ek_68a1b2c3d4e5f6 minted", "ek_68a1b2c3d4e5f6"),
        ("key gr_sk_Q3x9aBcdefghijklmnop in a message", "gr_sk_Q3x9aBcdefghijklmnop"),
        ("cartesia sk_car_abcdef123456 rejected", "sk_car_abcdef123456"),
    ],
)
def test_redaction_removes_secrets_from_a_line(line: str, secret: str) -> None:
    out = redact(line)
    assert secret not in out and "[redacted]" in out


@pytest.mark.slow  # real `serve` and `worker` processes at DEBUG
def test_no_key_or_token_in_the_processes_logs(
    tmp_path: Path, database_url: str, sim_server, sim: SimulatorControl, stack, log_capture, db: Db
) -> None:
    log_capture.lines.clear()
    port = free_port()
    settings = settings_for(
        database_url, sim_server.url, f"http://127.0.0.1:{port}", log_level="DEBUG", log_format="json"
    )
    keys = {
        "openai": "sk-logtest-0123456789abcdef",
        "avaturn": "av-logtest-0123456789abcdef",
        "cartesia": "sk_car_logtest0123456789",
    }
    for provider, key in keys.items():
        sim.add_key(provider, key)
    tenant = run(make_tenant(settings, keys))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")}, **settings_env(settings)}
    logs = tmp_path / "serve.log", tmp_path / "worker.log"
    procs = []
    for args, log in ((["serve", "--port", str(port)], logs[0]), (["worker"], logs[1])):
        with log.open("wb") as out:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "app.cli.main", *args], env=env, stdout=out, stderr=subprocess.STDOUT
                )
            )
    secrets: list[str] = [*keys.values(), tenant.server_key]
    try:
        app = httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {tenant.server_key}"}
        )
        wait_http(f"http://127.0.0.1:{port}/healthz", proc=procs[0], what="greenroom serve")
        for agent in ("demo", "voice"):
            started = app.post("/v1/sessions", json={"agent": agent}).json()
            secrets += [started["token"], started["heartbeat"]["token"]]
            app.delete(f"/v1/sessions/{started['session_id']}")
        for route, fault in [
            ("avaturn.create", {"status": 500}),
            ("openai.client_secrets", {"status": 401}),
            ("avaturn.create", {"reset": True}),
            ("avaturn.delete", {"status": 503, "times": 1}),
        ]:
            sim.fault(route, **fault)
            started = app.post("/v1/sessions", json={"agent": "demo"})
            if started.status_code == 201:
                app.delete(f"/v1/sessions/{started.json()['session_id']}")
            sim.clear_faults()
        app.post("/v1/credentials", json={"provider": "openai", "label": "bad", "secret": "sk-rejected-0123456789"})
        secrets.append("sk-rejected-0123456789")
        secrets += [s["value"] for s in sim.secrets()]  # every client secret and Cartesia token minted
        # The worker delivers (and logs) the terminations, the retried one included: wait until every DELETE is done.
        wait_for(
            lambda: (
                db.value("select count(*) from jobs where tenant_id = $1 and state <> 'done'", tenant.tenant_id) == 0
                and db.value("select count(*) from jobs where tenant_id = $1", tenant.tenant_id) == 3
            ),
            timeout=30,
            what="every termination delivered",
        )
        app.close()
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)
    text = "\n".join(log.read_text() for log in logs)
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) > 20, "the processes logged almost nothing; the check would be vacuous"
    assert all(json.loads(line)["level"] for line in lines), "every line is a JSON log entry"
    assert "problem upstream-error" in text
    # The terminations were delivered by this worker process or by the test stack's own worker (same database);
    # that one logs into this process, so search both.
    text += "\n".join(log_capture.lines)
    assert "ended upstream session" in text
    leaked = [s for s in secrets if s in text]
    assert not leaked, f"{len(leaked)} secrets found in the logs"


def test_configured_logging_redacts_what_code_logs_by_mistake(capsys) -> None:
    import logging

    from app.logs import configure

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure("json", "INFO")
        logging.getLogger("greenroom.test").warning("upstream said: Authorization: Bearer sk-oops-0123456789abcdef")
        try:
            raise RuntimeError("key=av_0123456789abcdef rejected")
        except RuntimeError:
            logging.getLogger("greenroom.test").exception("failed")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    err = capsys.readouterr().err
    entries = [json.loads(line) for line in err.splitlines()]
    assert len(entries) == 2 and "[redacted]" in entries[0]["message"]
    assert "sk-oops" not in err and "av_0123456789abcdef" not in err and "Traceback" in entries[1]["exception"]
