"""`greenroom tenants ...` and `greenroom jobs ...`: the operator's helpers, run as the schema owner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli.database import owner_db
from app.jobs.models import Job
from app.jobs.outbox import jobs_in_state, requeue_parked
from app.operator.repository import all_tenants
from app.operator.service import find_tenant, resume, suspend
from app.tenants.limits import UNSET, set_limits
from app.tenants.models import Tenant


@click.group(help="Operator helpers: tenants' limits and suspension (runs as the schema owner).")
def tenants() -> None:
    pass


@tenants.command("list", help="Every tenant with its status and limits.")
def tenants_list() -> None:
    async def action(db: AsyncSession) -> Sequence[Tenant]:
        return await all_tenants(db)

    rows = owner_db(action)
    click.echo(
        f"{'slug':<24} {'status':<10} {'max live':>8} {'max length':>10} {'minutes/month':>13} {'rounding':>8}  name"
    )
    for t in rows:
        live = "-" if t.max_concurrent_sessions is None else str(t.max_concurrent_sessions)
        length = "-" if t.max_session_s is None else f"{t.max_session_s}s"
        minutes = "-" if t.monthly_minutes is None else str(t.monthly_minutes)
        click.echo(
            f"{t.slug:<24} {t.status:<10} {live:>8} {length:>10} {minutes:>13} {t.billing_rounding:>8}  {t.name}"
        )


def _limit(value: str | None) -> object:
    if value is None:
        return UNSET
    return None if value.lower() == "none" else int(value)


@tenants.command("limits", help="Set a tenant's limits (`none` removes one).")
@click.argument("tenant")
@click.option("--max-concurrent", help="Live sessions at once, or `none`.")
@click.option("--max-session-s", help="Longest session in seconds (60..86400), or `none`.")
@click.option("--monthly-minutes", help="Minute budget per calendar month (UTC), or `none`.")
@click.option("--rounding", type=click.Choice(["second", "minute"]), help="Bill per second, or per started minute.")
def tenants_limits(
    tenant: str,
    max_concurrent: str | None,
    max_session_s: str | None,
    monthly_minutes: str | None,
    rounding: str | None,
) -> None:
    async def action(db: AsyncSession) -> tuple[Any, ...]:
        row = await find_tenant(db, tenant, lock=True)
        await set_limits(
            db,
            row,
            max_concurrent_sessions=_limit(max_concurrent),
            max_session_s=_limit(max_session_s),
            monthly_minutes=_limit(monthly_minutes),
            billing_rounding=rounding or UNSET,
        )
        return row.max_concurrent_sessions, row.max_session_s, row.monthly_minutes, row.billing_rounding

    live, length, minutes, rounding_now = owner_db(action)
    click.echo(
        f"{tenant}: max live sessions {live if live is not None else 'unlimited'}, "
        f"max session length {f'{length} s' if length else 'default'}, "
        f"{f'{minutes} minutes a month' if minutes is not None else 'no minute budget'}, billed per {rounding_now}"
    )


@tenants.command("suspend", help="Refuse new sessions and end every live one now.")
@click.argument("tenant")
def tenants_suspend(tenant: str) -> None:
    async def action(db: AsyncSession) -> int:
        return await suspend(db, await find_tenant(db, tenant, lock=True))

    click.echo(f"{tenant} suspended; {owner_db(action)} live session(s) ended (the worker tells the provider)")


@tenants.command("resume", help="Let a suspended tenant start sessions again.")
@click.argument("tenant")
def tenants_resume(tenant: str) -> None:
    async def action(db: AsyncSession) -> None:
        await resume(db, await find_tenant(db, tenant, lock=True))

    owner_db(action)
    click.echo(f"{tenant} is active again")


@click.group(help="The durable job queue: see parked jobs and retry them (runs as the schema owner).")
def jobs() -> None:
    pass


@jobs.command("list", help="Jobs by state (default: parked, the ones that kept failing).")
@click.option(
    "--state", type=click.Choice(["parked", "pending", "running", "done"]), default="parked", show_default=True
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
def jobs_list(state: str, limit: int) -> None:
    async def action(db: AsyncSession) -> list[Job]:
        return await jobs_in_state(db, state, limit)

    rows = owner_db(action)
    if not rows:
        click.echo(f"no {state} jobs")
    for j in rows:
        click.echo(f"{j.id:>8}  {j.kind:<24} attempts {j.attempts:<3} tenant {j.tenant_id}  {j.last_error or ''}")


@jobs.command("retry", help="Put parked jobs back in the queue now (all of them with --all).")
@click.argument("job_ids", nargs=-1, type=int)
@click.option("--all", "retry_all", is_flag=True, help="Every parked job.")
def jobs_retry(job_ids: tuple[int, ...], retry_all: bool) -> None:
    if not job_ids and not retry_all:
        raise click.UsageError("name the job ids, or use --all")

    async def action(db: AsyncSession) -> list[int]:
        return await requeue_parked(db, None if retry_all else job_ids)

    ids = owner_db(action)
    click.echo(f"{len(ids)} job(s) queued again: {', '.join(map(str, ids)) or '-'}")
