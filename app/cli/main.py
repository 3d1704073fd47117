"""The `greenroom` command."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

import click

from app.cli.environment import DEFAULT_DATA_DIR
from app.cli.environment import checked_settings as _settings
from app.cli.environment import data_dir as _data_dir
from app.operator.cli import jobs, tenants
from app.reports.cli import report
from app.settings import Settings
from app.vault.cli import vault_group


@click.group(help="Greenroom: a multi-tenant control plane for embedded AI avatars.")
@click.option(
    "--data-dir",
    envvar="GREENROOM_DATA_DIR",
    default=DEFAULT_DATA_DIR,
    show_default=True,
    type=click.Path(file_okay=False),
    help="The dev stack's data dir (also GREENROOM_DATA_DIR): where `dev` keeps its data, and where the "
    "operator commands find its database when no GREENROOM_*DATABASE_URL is set.",
)
def main(data_dir: str) -> None:
    pass


@main.command(help="Serve the HTTP API (run as many as you like behind a load balancer).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes sharing the port.")
def serve(host: str, port: int, workers: int) -> None:
    from app.cli.serving import serve_forever

    _settings()  # refuse to start on unsafe settings, in the parent, with a readable message
    serve_forever("app.main:app_from_env", host, port, factory=True, workers=workers)


@main.command(help="Run the background worker (upstream deletions with retries; safe with many copies).")
@click.option("--metrics-port", type=int, default=None, help="Serve Prometheus metrics on this port (all interfaces).")
def worker(metrics_port: int | None) -> None:
    from app.logs import configure
    from app.worker import run_worker

    settings = _settings()
    configure(settings.log_format, settings.log_level)
    if metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(metrics_port)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_worker(settings, stop)

    asyncio.run(run())


@main.command(help="Apply the database migrations (Alembic) up to the newest.")
def migrate() -> None:
    from app.db.migrate import upgrade

    settings = Settings()
    if not settings.migrations_url:
        raise click.ClickException("GREENROOM_OWNER_DATABASE_URL (or GREENROOM_DATABASE_URL) is missing")
    upgrade(settings.migrations_url)
    click.echo("database is at the newest migration")
    if settings.database_url and settings.owner_database_url:
        from app.db.migrate import sync_app_role_password

        if sync_app_role_password(settings.owner_database_url, settings.database_url):
            click.echo("the app role's password now matches GREENROOM_DATABASE_URL")


def _keys(values: tuple[str, ...], env: str) -> set[str]:
    return set(values) | {k for k in os.environ.get(env, "").split(",") if k}


@main.command(help="Run the upstream simulator alone (OpenAI, Avaturn, its browser SDK API, Cartesia).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8010, show_default=True, type=int)
@click.option("--openai-key", multiple=True, help="Accepted OpenAI key (repeatable; also GREENROOM_SIM_OPENAI_KEYS).")
@click.option("--avaturn-key", multiple=True, help="Accepted Avaturn key (also GREENROOM_SIM_AVATURN_KEYS).")
@click.option("--cartesia-key", multiple=True, help="Accepted Cartesia key (also GREENROOM_SIM_CARTESIA_KEYS).")
@click.option(
    "--accept-dev-keys",
    is_flag=True,
    envvar="GREENROOM_SIM_ACCEPT_DEV_KEYS",
    help="Also accept any key starting with sk-dev- (OpenAI), av-dev- (Avaturn) or sk_car_dev (Cartesia), as "
    "`greenroom dev` does.",
)
def simulate(
    host: str,
    port: int,
    openai_key: tuple[str, ...],
    avaturn_key: tuple[str, ...],
    cartesia_key: tuple[str, ...],
    accept_dev_keys: bool,
) -> None:
    from app.cli.serving import serve_forever

    SimulatorConfig, create_simulator_app = _devtools_simulator()

    config = SimulatorConfig(
        openai_keys=_keys(openai_key, "GREENROOM_SIM_OPENAI_KEYS"),
        avaturn_keys=_keys(avaturn_key, "GREENROOM_SIM_AVATURN_KEYS"),
        cartesia_keys=_keys(cartesia_key, "GREENROOM_SIM_CARTESIA_KEYS"),
        accept_dev_keys=accept_dev_keys,
    )
    serve_forever(create_simulator_app(config), host, port)


@main.command(help="Run everything locally: embedded PostgreSQL, simulator, app, worker, demo tenant.")
@click.option(
    "--data-dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Where its data lives (default: the `greenroom --data-dir`, GREENROOM_DATA_DIR or .greenroom).",
)
@click.option("--port", default=8000, show_default=True, type=int, help="Port of the app (the demo page is on it too).")
def dev(data_dir: str | None, port: int) -> None:
    run_dev = _devtools_dev_runner()

    sys.exit(run_dev(data_dir or str(_data_dir()), port))


def _devtools_missing() -> click.ClickException:
    return click.ClickException(
        "the dev tools are not installed here (the production image has none): "
        "install the package with its `dev` extra, e.g. `pip install -e '.[dev]'`"
    )


def _devtools_simulator() -> tuple[Any, Any]:
    try:
        from devtools.simulator import SimulatorConfig, create_simulator_app
    except ImportError:
        raise _devtools_missing() from None
    return SimulatorConfig, create_simulator_app


def _devtools_dev_runner() -> Any:
    try:
        from devtools.dev.runner import run_dev
    except ImportError:
        raise _devtools_missing() from None
    return run_dev


main.add_command(vault_group)
main.add_command(tenants)
main.add_command(jobs)
main.add_command(report)


if __name__ == "__main__":
    main()
