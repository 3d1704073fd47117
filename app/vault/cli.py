"""`greenroom vault ...`: master key rotation and status."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from typing import TYPE_CHECKING

import click

from app.cli.environment import operator_settings as _settings

if TYPE_CHECKING:
    from app.vault.rotate import RotationResult


@click.group(name="vault", help="The provider-key vault: master key rotation and status.")
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
@click.option(
    "--batch-size", default=100, show_default=True, type=click.IntRange(1, 10_000), help="Rows per transaction."
)
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
            return await rotate(
                make_sessionmaker(engine), vault, batch_size=batch_size, progress=progress, stop=stop, dry_run=dry_run
            )
        finally:
            await engine.dispose()

    try:
        result = asyncio.run(run())
    except (asyncio.CancelledError, KeyboardInterrupt):  # KeyboardInterrupt: Ctrl-C before the handlers were set
        progress.close()
        click.echo(
            "aborted: the batch in progress was rolled back; run `greenroom vault rotate` again to continue", err=True
        )
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
        click.echo(
            "interrupted: every finished batch is committed; run `greenroom vault rotate` again to continue", err=True
        )
        return 130
    if result.remaining:
        click.echo(
            f"still not on version {result.newest_version} (locked by a concurrent writer): {result.remaining}; "
            "run again",
            err=True,
        )
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
        note = (
            "MISSING: these cannot be decrypted"
            if version not in keyset
            else "newest"
            if version == newest
            else "configured"
        )
        click.echo(f"{version:>7}  {counts.get(version, 0):>11}  {note}")
    unused = [str(v) for v in sorted(keyset) if v != newest and not counts.get(v)]
    if unused:
        click.echo(
            f"no credentials left on version(s) {', '.join(unused)}: they can be removed from GREENROOM_MASTER_KEYS"
        )
