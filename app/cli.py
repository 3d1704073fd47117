"""The `greenroom` command."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from typing import TYPE_CHECKING

import click

from app.settings import ConfigError, Settings

if TYPE_CHECKING:
    from app.vault.rotate import RotationResult


def _settings() -> Settings:
    try:
        s = Settings()
        s.check_secrets()
        return s
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(help="Greenroom: a multi-tenant control plane for embedded AI avatars.")
def main() -> None:
    pass


@main.command(help="Serve the HTTP API (run as many as you like behind a load balancer).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes sharing the port.")
def serve(host: str, port: int, workers: int) -> None:
    from app.serving import serve_forever

    _settings()  # refuse to start on unsafe settings, in the parent, with a readable message
    serve_forever("app.main:app_from_env", host, port, factory=True, workers=workers)


@main.command(help="Run the background worker (upstream deletions with retries; safe with many copies).")
def worker() -> None:
    from app.logs import configure
    from app.worker.runner import run_worker

    settings = _settings()
    configure(settings.log_format, settings.log_level)

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
def simulate(host: str, port: int, openai_key: tuple[str, ...], avaturn_key: tuple[str, ...], cartesia_key: tuple[str, ...]) -> None:
    from app.serving import serve_forever
    from app.simulator import SimulatorConfig, create_simulator_app

    config = SimulatorConfig(
        openai_keys=_keys(openai_key, "GREENROOM_SIM_OPENAI_KEYS"),
        avaturn_keys=_keys(avaturn_key, "GREENROOM_SIM_AVATURN_KEYS"),
        cartesia_keys=_keys(cartesia_key, "GREENROOM_SIM_CARTESIA_KEYS"),
    )
    serve_forever(create_simulator_app(config), host, port)


@main.command(help="Run everything locally: embedded PostgreSQL, simulator, app, worker, demo tenant.")
@click.option("--data-dir", default=".greenroom", show_default=True, type=click.Path(file_okay=False))
@click.option("--port", default=8000, show_default=True, type=int, help="Port of the app (the demo page is on it too).")
def dev(data_dir: str, port: int) -> None:
    from app.dev.runner import run_dev

    sys.exit(run_dev(data_dir, port))


@main.group(name="vault", help="The provider-key vault: master key rotation and status.")
def vault_group() -> None:
    pass


class _ProgressLine:
    """Rows done / total and the rate, on one updating stderr line; only on a terminal, so logs stay clean."""

    def __init__(self) -> None:
        self.start, self.shown = time.monotonic(), False

    def __call__(self, done: int, total: int) -> None:
        if sys.stderr.isatty():
            rate = done / max(time.monotonic() - self.start, 1e-3)
            click.echo(f"\r{done}/{total} rows  {rate:,.0f} rows/s ", err=True, nl=False)
            self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("", err=True)


@vault_group.command(name="rotate", help="Rewrap every provider key's data key under the newest master key, online.")
@click.option("--batch-size", default=100, show_default=True, type=click.IntRange(1, 10_000), help="Rows per transaction.")
@click.option("--dry-run", is_flag=True, help="Count what would be rewrapped (and what would fail); change nothing.")
def vault_rotate(batch_size: int, dry_run: bool) -> None:
    from app.db.engine import make_engine, make_sessionmaker
    from app.vault.crypto import Vault
    from app.vault.rotate import rotate

    settings = _settings()
    vault = Vault(settings.master_keyset)
    progress = _ProgressLine()

    async def run() -> RotationResult:
        # First Ctrl-C: finish and commit the current batch, then stop. Second: abandon it (rolled back).
        stop, task, loop = asyncio.Event(), asyncio.current_task(), asyncio.get_running_loop()

        def interrupt() -> None:
            if stop.is_set() and task is not None:
                task.cancel()
            stop.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, interrupt)
        engine = make_engine(settings.migrations_url or "", pool_size=1)
        try:
            return await rotate(make_sessionmaker(engine), vault, batch_size=batch_size, progress=progress,
                                stop=stop, dry_run=dry_run)
        finally:
            await engine.dispose()

    try:
        result = asyncio.run(run())
    except (asyncio.CancelledError, KeyboardInterrupt):  # KeyboardInterrupt: Ctrl-C before the handlers were set
        progress.close()
        click.echo("aborted: the batch in progress was rolled back; run `greenroom vault rotate` again to continue", err=True)
        sys.exit(130)
    progress.close()
    sys.exit(_report_rotation(result))


def _report_rotation(result: RotationResult) -> int:
    verb = "would be rewrapped" if result.dry_run else "rewrapped"
    click.echo(f"{verb} to master key version {result.newest_version}: {result.rewrapped}")
    click.echo(f"already current: {result.already_current}")
    click.echo(f"failed: {len(result.failed)}")
    for row_id, reason in sorted(result.failed.items(), key=lambda kv: str(kv[0])):
        click.echo(f"  {row_id}: {reason}")
    if result.interrupted:
        click.echo("interrupted: every finished batch is committed; run `greenroom vault rotate` again to continue", err=True)
        return 130
    if result.remaining:
        click.echo(f"still not on version {result.newest_version} (locked by a concurrent writer): {result.remaining}; run again", err=True)
    return 1 if result.failed else 0


@vault_group.command(name="status", help="How many provider keys each master key version wraps.")
def vault_status() -> None:
    from app.db.engine import make_engine, make_sessionmaker
    from app.vault.rotate import count_by_version

    settings = _settings()
    keyset = settings.master_keyset

    async def run() -> dict[int, int]:
        engine = make_engine(settings.migrations_url or "", null_pool=True)
        try:
            return await count_by_version(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    counts, newest = asyncio.run(run()), max(keyset)
    click.echo(f"{'version':>7}  {'credentials':>11}  keyset")
    for version in sorted(set(counts) | set(keyset)):
        note = "MISSING: these cannot be decrypted" if version not in keyset else "newest" if version == newest else "configured"
        click.echo(f"{version:>7}  {counts.get(version, 0):>11}  {note}")
    unused = [str(v) for v in sorted(keyset) if v != newest and not counts.get(v)]
    if unused:
        click.echo(f"no credentials left on version(s) {', '.join(unused)}: they can be removed from GREENROOM_MASTER_KEYS")



@main.group(help="Operator helpers: tenants' limits and suspension (runs as the schema owner).")
def tenants() -> None:
    pass


def _owner_db(action):  # type: ignore[no-untyped-def]
    """Run `action(db)` in one transaction on the owner's URL; returns its result."""
    from app.db.engine import make_engine, make_sessionmaker, transaction

    settings = Settings()
    if not settings.migrations_url:
        raise click.ClickException("GREENROOM_OWNER_DATABASE_URL (or GREENROOM_DATABASE_URL) is missing")

    async def run():  # type: ignore[no-untyped-def]
        from app.db import models as _all_models  # noqa: F401

        engine = make_engine(settings.migrations_url, null_pool=True)
        try:
            async with transaction(make_sessionmaker(engine)) as db:
                return await action(db)
        finally:
            await engine.dispose()

    from app.errors import Problem

    try:
        return asyncio.run(run())
    except Problem as exc:
        raise click.ClickException(exc.detail or exc.title) from None


@tenants.command("list", help="Every tenant with its status and limits.")
def tenants_list() -> None:
    from sqlalchemy import select

    from app.tenants.models import Tenant

    async def action(db):  # type: ignore[no-untyped-def]
        return list(await db.scalars(select(Tenant).order_by(Tenant.created_at)))

    rows = _owner_db(action)
    click.echo(f"{'slug':<24} {'status':<10} {'max live':>8} {'max length':>10}  name")
    for t in rows:
        live = "-" if t.max_concurrent_sessions is None else str(t.max_concurrent_sessions)
        length = "-" if t.max_session_s is None else f"{t.max_session_s}s"
        click.echo(f"{t.slug:<24} {t.status:<10} {live:>8} {length:>10}  {t.name}")


def _limit(value: str | None) -> object:
    from app.operator.service import UNSET

    if value is None:
        return UNSET
    return None if value.lower() == "none" else int(value)


@tenants.command("limits", help="Set a tenant's limits (`none` removes one).")
@click.argument("tenant")
@click.option("--max-concurrent", help="Live sessions at once, or `none`.")
@click.option("--max-session-s", help="Longest session in seconds (60..86400), or `none`.")
def tenants_limits(tenant: str, max_concurrent: str | None, max_session_s: str | None) -> None:
    from app.operator.service import find_tenant, set_limits

    async def action(db):  # type: ignore[no-untyped-def]
        row = await find_tenant(db, tenant, lock=True)
        await set_limits(db, row, max_concurrent_sessions=_limit(max_concurrent), max_session_s=_limit(max_session_s))
        return row.max_concurrent_sessions, row.max_session_s

    live, length = _owner_db(action)
    click.echo(f"{tenant}: max live sessions {live if live is not None else 'unlimited'}, "
               f"max session length {f'{length} s' if length else 'default'}")


@tenants.command("suspend", help="Refuse new sessions and end every live one now.")
@click.argument("tenant")
def tenants_suspend(tenant: str) -> None:
    from app.operator.service import find_tenant, suspend

    async def action(db):  # type: ignore[no-untyped-def]
        return await suspend(db, await find_tenant(db, tenant, lock=True))

    click.echo(f"{tenant} suspended; {_owner_db(action)} live session(s) ended (the worker tells the provider)")


@tenants.command("resume", help="Let a suspended tenant start sessions again.")
@click.argument("tenant")
def tenants_resume(tenant: str) -> None:
    from app.operator.service import find_tenant, resume

    async def action(db):  # type: ignore[no-untyped-def]
        await resume(db, await find_tenant(db, tenant, lock=True))

    _owner_db(action)
    click.echo(f"{tenant} is active again")


@main.group(help="The durable job queue: see parked jobs and retry them (runs as the schema owner).")
def jobs() -> None:
    pass


@jobs.command("list", help="Jobs by state (default: parked, the ones that kept failing).")
@click.option("--state", type=click.Choice(["parked", "pending", "running", "done"]), default="parked", show_default=True)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
def jobs_list(state: str, limit: int) -> None:
    from sqlalchemy import select

    from app.worker.models import Job

    async def action(db):  # type: ignore[no-untyped-def]
        return list(await db.scalars(select(Job).where(Job.state == state).order_by(Job.id.desc()).limit(limit)))

    rows = _owner_db(action)
    if not rows:
        click.echo(f"no {state} jobs")
    for j in rows:
        click.echo(f"{j.id:>8}  {j.kind:<24} attempts {j.attempts:<3} tenant {j.tenant_id}  {j.last_error or ''}")


@jobs.command("retry", help="Put parked jobs back in the queue now (all of them with --all).")
@click.argument("job_ids", nargs=-1, type=int)
@click.option("--all", "retry_all", is_flag=True, help="Every parked job.")
def jobs_retry(job_ids: tuple[int, ...], retry_all: bool) -> None:
    from sqlalchemy import func, text, update

    from app.worker.jobs import CHANNEL
    from app.worker.models import Job

    if not job_ids and not retry_all:
        raise click.UsageError("name the job ids, or use --all")

    async def action(db):  # type: ignore[no-untyped-def]
        query = update(Job).where(Job.state == "parked")
        if not retry_all:
            query = query.where(Job.id.in_(job_ids))
        done = await db.execute(query.values(state="pending", attempts=0, run_after=func.now()).returning(Job.id))
        ids = [r[0] for r in done]
        await db.execute(text("select pg_notify(:c, 'retry')"), {"c": CHANNEL})
        return ids

    ids = _owner_db(action)
    click.echo(f"{len(ids)} job(s) queued again: {', '.join(map(str, ids)) or '-'}")


if __name__ == "__main__":
    main()
