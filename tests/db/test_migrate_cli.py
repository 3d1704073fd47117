"""`greenroom migrate` as an operator runs it: owner URL for the schema, the app's URL gives greenroom_app its
password."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy.engine import make_url

from app.db.rls import APP_ROLE
from tests.support.database import Db


def test_migrate_is_idempotent_and_sets_the_app_role_password(owner_database_url: str, db: Db) -> None:
    app_url = (
        make_url(owner_database_url)
        .set(username=APP_ROLE, password="s3cret-app-pw")
        .render_as_string(hide_password=False)
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")}
    env |= {"GREENROOM_OWNER_DATABASE_URL": owner_database_url, "GREENROOM_DATABASE_URL": app_url}
    r = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "migrate"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert "newest migration" in r.stdout and "password now matches" in r.stdout
    assert "s3cret-app-pw" not in r.stdout + r.stderr
    assert db.value("select rolpassword is not null from pg_authid where rolname = $1", APP_ROLE)
