"""What every `greenroom` command shares."""

from __future__ import annotations

import click

from app.settings import ConfigError, Settings


def checked_settings() -> Settings:
    """Settings, refusing unsafe ones with a readable message (not a traceback)."""
    try:
        s = Settings()
        s.check_secrets()
        return s
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
