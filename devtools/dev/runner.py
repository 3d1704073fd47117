"""Start and stop the dev stack: PostgreSQL, simulator, app and worker as child processes."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from app.cli.environment import DEFAULT_DATA_DIR, OWNER_URL_FILE, SIMULATOR_URL_FILE
from app.cli.serving import free_port, wait_http
from app.db.migrate import upgrade
from app.db.rls import APP_ROLE
from app.kit.tokens import new_server_key, new_widget_key
from app.settings import Settings
from app.vault.crypto import Vault
from devtools.dev.seed import DemoSecrets, seed_demo
from devtools.dev.shutdown import end_live_sessions
from devtools.embedded_postgres import EmbeddedPostgres
from devtools.identity_provider import (
    DEV_PROVIDER,
    issuer_for,
    provider_config,
    start_dev_idp,
)


def _say(msg: str) -> None:
    print(msg, flush=True)


def load_dev_secrets(data_dir: Path) -> dict[str, str]:
    """Generated once per data dir so encrypted rows and printed keys survive a restart."""
    path = data_dir / "dev-secrets.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    values = {
        "signing_key": secrets.token_urlsafe(48),
        "master_keys": "1:" + base64.b64encode(os.urandom(32)).decode(),
        "server_key": new_server_key(),
        "widget_key": new_widget_key(),
        "openai_key": "sk-sim-" + secrets.token_urlsafe(24),
        "avaturn_key": "av-sim-" + secrets.token_urlsafe(24),
        "cartesia_key": "sk_car_sim" + secrets.token_urlsafe(20),
    }
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values


def _idp_port(data_dir: Path) -> int:
    """The dev provider's issuer contains its port and users are (issuer, subject): keep the port across restarts."""
    path = data_dir / "dev-idp-port"
    if path.exists():
        port = int(path.read_text())
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port))
            return port
        except OSError:
            pass
    port = free_port()
    path.write_text(str(port))
    return port


def _remember(data_dir: Path, name: str, value: str) -> None:
    """So `greenroom tenants|jobs|report|vault …` find the dev stack's database (and simulator) on their own."""
    path = data_dir / name
    path.write_text(value)
    path.chmod(0o600)


def _die_with_parent() -> None:
    """In the child, before exec: its own process group (a terminal's Ctrl-C reaches only `greenroom dev`, which
    then stops the children in order), and SIGTERM when `greenroom dev` itself dies, so nothing is left behind."""
    os.setsid()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: a hard kill of `greenroom dev` may leave children running
        pass


def _child(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "app.cli.main", *args], env=env, preexec_fn=_die_with_parent)


def run_dev(data_dir_arg: str, port: int) -> int:
    data_dir = Path(data_dir_arg).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    dev = load_dev_secrets(data_dir)
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    external_db = os.environ.get("GREENROOM_DATABASE_URL")
    pg = None if external_db else EmbeddedPostgres(data_dir / "postgres", free_port())
    children: list[tuple[str, subprocess.Popen[bytes]]] = []
    try:
        if pg is None:
            database_url = str(external_db)
            owner_url = os.environ.get("GREENROOM_OWNER_DATABASE_URL", database_url)
            _say("• using the database in GREENROOM_DATABASE_URL")
        else:
            _say(f"• starting PostgreSQL (data in {pg.pgdata}) …")
            pg.start()
            pg.create_database("greenroom")
            owner_url, database_url = pg.url("greenroom"), pg.url("greenroom", user=APP_ROLE)
        _say("• applying migrations …")
        upgrade(owner_url)
        _remember(data_dir, OWNER_URL_FILE, owner_url)

        app_url = f"http://127.0.0.1:{port}"
        sim_port = free_port()
        sim_url = f"http://127.0.0.1:{sim_port}"
        _remember(data_dir, SIMULATOR_URL_FILE, sim_url)
        idp_port = _idp_port(data_dir)
        env = {
            **os.environ,
            "GREENROOM_DEV_MODE": "1",
            "GREENROOM_DATABASE_URL": database_url,
            "GREENROOM_OWNER_DATABASE_URL": owner_url,
            "GREENROOM_SIGNING_KEY": dev["signing_key"],
            "GREENROOM_MASTER_KEYS": dev["master_keys"],
            "GREENROOM_PUBLIC_URL": app_url,
            "GREENROOM_OPENAI_BASE_URL": f"{sim_url}/v1",
            "GREENROOM_AVATURN_BASE_URL": sim_url,
            "GREENROOM_CARTESIA_BASE_URL": sim_url,
            "GREENROOM_GROUND_TRUTH_URL": sim_url,
            "GREENROOM_DEMO_WIDGET_KEY": dev["widget_key"],
            "GREENROOM_LOG_FORMAT": os.environ.get("GREENROOM_LOG_FORMAT", "text"),
            "GREENROOM_SIM_OPENAI_KEYS": dev["openai_key"],
            "GREENROOM_SIM_AVATURN_KEYS": dev["avaturn_key"],
            "GREENROOM_SIM_CARTESIA_KEYS": dev["cartesia_key"],
            "GREENROOM_SIM_ACCEPT_DEV_KEYS": "1",  # and any sk-dev-…, av-dev-…, sk_car_dev… key a newcomer types
            "GREENROOM_IDENTITY_PROVIDERS": json.dumps({DEV_PROVIDER: provider_config(idp_port)}),
            # `olga` of the dev provider is the operator: every tenant, limits, suspension, parked jobs
            "GREENROOM_OPERATOR_ACCOUNTS": json.dumps([f"{issuer_for(idp_port)}#olga"]),
        }
        settings = Settings(dev_mode=True, master_keys=dev["master_keys"])
        _say("• seeding the demo tenant …")
        asyncio.run(
            seed_demo(
                database_url,
                Vault(settings.master_keyset),
                DemoSecrets(
                    dev["server_key"], dev["widget_key"], dev["openai_key"], dev["avaturn_key"], dev["cartesia_key"]
                ),
                [app_url, f"http://localhost:{port}"],
                idp_issuer=issuer_for(idp_port),
            )
        )
        _say("• starting the dev identity provider …")
        children.append(("identity provider", start_dev_idp(idp_port)))

        _say("• starting the simulator, app and worker …")
        children.append(("simulator", _child(["simulate", "--host", "127.0.0.1", "--port", str(sim_port)], env)))
        wait_http(f"{sim_url}/__sim/health", proc=children[-1][1], what="simulator", timeout=90)
        children.append(("app", _child(["serve", "--host", "127.0.0.1", "--port", str(port)], env)))
        children.append(("worker", _child(["worker"], env)))
        wait_http(f"{app_url}/healthz", proc=children[-2][1], what="app", timeout=90)
        _banner(app_url, sim_url, database_url, dev, issuer_for(idp_port), _cli_prefix(data_dir_arg))

        while not stopping:
            for name, proc in children:
                if proc.poll() is not None:
                    _say(f"! the {name} exited with code {proc.returncode}; stopping the dev stack")
                    stopping = True
            time.sleep(0.2)
        return 0
    except Exception as exc:  # a readable line, not a traceback, for a newcomer
        _say(f"! greenroom dev could not start: {exc}")
        return 1
    finally:
        _say("• stopping …")
        if _running(children, "app", "worker"):
            _end_live_sessions(owner_url)
        _stop_children(children)
        if pg is not None:
            pg.stop()
        _say("• stopped; data kept in " + str(data_dir))


def _running(children: list[tuple[str, subprocess.Popen[bytes]]], *names: str) -> bool:
    alive = {name for name, proc in children if proc.poll() is None}
    return all(name in alive for name in names)


def _end_live_sessions(owner_url: str) -> None:
    """A clean stop ends every live session first, and waits (a few seconds at most) for the worker to end them at
    the simulator: the simulator keeps no state across a restart, so a session left live would otherwise be billed
    its whole `max_duration` after the next start."""
    try:
        ended, confirmed = asyncio.run(end_live_sessions(owner_url, wait_s=8))
    except Exception as exc:  # a stop must go on whatever happens here
        _say(f"! could not end the live sessions: {exc}")
        return
    if ended:
        _say(f"• ended {ended} live session(s); {confirmed} confirmed by the simulator")


def _stop_children(children: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
    # SIGTERM, not SIGINT: uvicorn then shuts down its lifespan in order and exits without a KeyboardInterrupt trace.
    for _, proc in reversed(children):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 8
    for _, proc in children:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _cli_prefix(data_dir_arg: str) -> str:
    """How to call the CLI so it finds this stack: plain for the default data dir, else with `--data-dir`."""
    default = Path(DEFAULT_DATA_DIR).resolve() == Path(data_dir_arg).resolve()
    return "./run greenroom" if default else f"./run greenroom --data-dir {shlex.quote(data_dir_arg)}"


def _banner(app_url: str, sim_url: str, database_url: str, dev: dict[str, str], idp_url: str, cli: str) -> None:
    _say(f"""
Greenroom dev stack is running. Press Ctrl-C to stop it.

  App           {app_url}   (sign in as `alice`, owner of Demo; `bob`, who has no tenant yet; `olga`, the operator)
  Console       {app_url}/console/
  Identity      {idp_url}   (the dev OIDC provider: pick or type any user)
  Demo page     {app_url}/demo
  Usage         {app_url}/usage   (signed in: minutes per day, recent sessions, CSV downloads)
  API docs      {app_url}/schema
  Simulator     {sim_url}   (ground truth: {sim_url}/__sim/sessions)
  Database      {_without_password(database_url)}

Server key of the demo tenant (for your backend's Authorization header):
{dev["server_key"]}

Widget key of the demo tenant (allowed on the demo page's origin):
{dev["widget_key"]}

Try it:
  curl -X POST {app_url}/v1/sessions -H "Authorization: Bearer {dev["server_key"]}" \\
       -H 'content-type: application/json' -d '{{"agent": "demo"}}'
  {cli} report sessions --tenant demo -o sessions.csv   # this month's sessions, metered
  {cli} tenants list                                      # the operator's view of every tenant
""")


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
