"""What every `greenroom` command shares."""

from __future__ import annotations

import click
from pydantic import ValidationError

from app.settings import ConfigError, Settings


def checked_settings() -> Settings:
    """Settings, refusing unsafe ones with a readable message (not a traceback)."""
    try:
        s = Settings()
        s.check_secrets()
        return s
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    except ValidationError as exc:  # a value that does not parse or is refused (e.g. Entra with `common`)
        raise click.ClickException(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One line per refused setting, named as in the environment: `GREENROOM_X (where): why`."""
    lines = []
    for err in exc.errors():
        name, *where = [str(part) for part in err["loc"]] or ["?"]
        place = f" ({'.'.join(where)})" if where else ""
        lines.append(f"GREENROOM_{name.upper()}{place}: {err['msg'].removeprefix('Value error, ')}")
    return "invalid settings:\n  " + "\n  ".join(lines)
