"""What every `greenroom` command shares: settings, and finding a running `greenroom dev` stack's database.

Outside dev, every command reads its settings from the environment (`GREENROOM_*`). On a developer's machine the
operator commands (`tenants`, `jobs`, `report`, `vault`) also work with nothing typed by hand: `greenroom dev`
writes its database URL and dev secrets into its data dir, and the commands read them from the same data dir —
`--data-dir` on the `greenroom` command, or `GREENROOM_DATA_DIR`, or `.greenroom` in the current directory.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from app.settings import ConfigError, Settings

DEFAULT_DATA_DIR = ".greenroom"
OWNER_URL_FILE = "dev-owner-url"
SIMULATOR_URL_FILE = "dev-simulator-url"
SECRETS_FILE = "dev-secrets.json"


def data_dir() -> Path:
    """The dev data dir this command should look in: the root `--data-dir` (which also reads GREENROOM_DATA_DIR)."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    chosen = (root.params.get("data_dir") if root else None) or os.environ.get("GREENROOM_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(chosen)


def dev_stack_values(directory: Path) -> dict[str, str]:
    """Settings a running (or stopped) `greenroom dev` left in its data dir; empty when it has none."""
    url_file, secrets_file = directory / OWNER_URL_FILE, directory / SECRETS_FILE
    if not url_file.exists():
        return {}
    values = {"owner_database_url": url_file.read_text().strip(), "dev_mode": "1"}
    if (directory / SIMULATOR_URL_FILE).exists():  # the provider's record for `report reconcile`
        values["ground_truth_url"] = (directory / SIMULATOR_URL_FILE).read_text().strip()
    if secrets_file.exists():
        secrets = json.loads(secrets_file.read_text())
        values.update(master_keys=secrets["master_keys"], signing_key=secrets["signing_key"])
    return values


def _from_environment_or_dev_stack() -> Settings:
    settings = Settings()
    if settings.migrations_url:
        return settings
    found = dev_stack_values(data_dir())
    if not found:
        return settings
    click.echo(f"• using the dev stack's database and keys in {data_dir()}", err=True)
    # What someone set by hand in the environment wins over what the dev stack left.
    overrides: dict[str, Any] = {k: v for k, v in found.items() if f"GREENROOM_{k.upper()}" not in os.environ}
    return Settings(**overrides)  # strings, parsed by the settings as if they came from the environment


def no_database_error() -> click.ClickException:
    where = data_dir().resolve() / OWNER_URL_FILE
    return click.ClickException(
        "no database to work on: set GREENROOM_OWNER_DATABASE_URL (or GREENROOM_DATABASE_URL), or start "
        f"`greenroom dev` and point this command at its data dir with `greenroom --data-dir DIR …` or "
        f"GREENROOM_DATA_DIR (looked for {where})"
    )


def checked_settings() -> Settings:
    """Settings from the environment, refusing unsafe ones with a readable message (not a traceback)."""
    try:
        s = Settings()
        s.check_secrets()
        return s
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    except ValidationError as exc:  # a value that does not parse or is refused (e.g. Entra with `common`)
        raise click.ClickException(describe(exc)) from None


def operator_settings(*, secrets: bool = True) -> Settings:
    """Settings for a command that works on the database as its owner: the environment's, else the dev stack's.

    `secrets=False` for commands that need only the database (tenants, jobs, reports): an operator's shell need
    not hold the signing and master keys for those."""
    try:
        s = _from_environment_or_dev_stack()
        if secrets:
            s.check_secrets()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    except ValidationError as exc:
        raise click.ClickException(describe(exc)) from None
    if not s.migrations_url:
        raise no_database_error()
    return s


def describe(exc: ValidationError) -> str:
    """One line per refused setting, named as in the environment: `GREENROOM_X (where): why`."""
    lines = []
    for err in exc.errors():
        name, *where = [str(part) for part in err["loc"]] or ["?"]
        place = f" ({'.'.join(where)})" if where else ""
        lines.append(f"GREENROOM_{name.upper()}{place}: {err['msg'].removeprefix('Value error, ')}")
    return "invalid settings:\n  " + "\n  ".join(lines)
