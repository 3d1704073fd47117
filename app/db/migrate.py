"""Run Alembic programmatically (`greenroom migrate`, `greenroom dev`, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def sync_app_role_password(owner_url: str, app_url: str) -> bool:
    """Give `greenroom_app` the password in the app's URL, so one pair of settings configures both roles."""
    import asyncio

    import asyncpg  # untyped: pyproject lets mypy skip it
    from sqlalchemy.engine import make_url

    from app.db.rls import APP_ROLE

    app = make_url(app_url)
    if app.username != APP_ROLE or not app.password:
        return False

    async def alter() -> None:
        conn = await asyncpg.connect(owner_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            quoted = await conn.fetchval("select quote_literal($1)", app.password)
            await conn.execute(f"alter role {APP_ROLE} password {quoted}")
        finally:
            await conn.close()

    asyncio.run(alter())
    return True
