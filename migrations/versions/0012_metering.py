"""metering: the usage ledger (partitioned by month), its rollups, minute budgets

Revision ID: 0012
Revises: 0011

See docs/decisions/0013-metering.md. In short:
- `usage_events` is append-only for the app role (no UPDATE, no DELETE) and idempotent: one row per
  (month, session, event), `on conflict do nothing`. It is partitioned by the month the session started
  (UTC), so both events of a session land in one partition and the unique key can hold the partition key.
- `usage_daily` and `usage_monthly` are rollups written in the same transaction as the ledger row they
  add up; reports read them, never counters a job resets.
- Minute budgets: `greenroom_month_billed_seconds()` is the one definition of "used this month" (the
  ledger's finished sessions plus the running ones), shared by the broker's Tx 1 and the reaper.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from app.db.rls import APP_ROLE, enable_tenant_rls

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FUNCTIONS = {
    "greenroom_billed_seconds(bigint, text)": None,
    "greenroom_month_billed_seconds(uuid, timestamptz)": None,
    "greenroom_quota_candidates(int)": APP_ROLE,
    "greenroom_ensure_usage_partitions(date, int)": APP_ROLE,
    "greenroom_operator_usage(date, date)": APP_ROLE,
}


def upgrade() -> None:
    op.add_column("tenants", sa.Column("monthly_minutes", sa.Integer(), nullable=True))
    op.add_column("tenants", sa.Column("billing_rounding", sa.String(16), nullable=False, server_default="second"))
    op.create_check_constraint("ck_tenants_monthly_minutes", "tenants", "monthly_minutes is null or monthly_minutes >= 0")
    op.create_check_constraint("ck_tenants_billing_rounding", "tenants", "billing_rounding in ('second', 'minute')")

    # When the provider acknowledged the end (DELETE answered, or the max length passed): the end of upstream time.
    op.add_column("sessions", sa.Column("upstream_ended_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("update sessions set upstream_ended_at = coalesce(ended_at, now()) where upstream_session_id is not null "
               "and state not in ('starting', 'active')")
    # The sessions still burning minutes: the budget adds them to the ledger's total.
    op.create_index("ix_sessions_unmetered", "sessions", ["tenant_id", "started_at"],
                    postgresql_where="upstream_session_id is not null and upstream_ended_at is null")

    _ledger()
    _rollups()
    _functions()


def _ledger() -> None:
    op.execute("""
        create table usage_events (
          month date not null,
          session_id uuid not null,
          event varchar(16) not null check (event in ('started', 'ended')),
          tenant_id uuid not null references tenants (id) on delete cascade,
          occurred_at timestamptz not null default clock_timestamp(),
          agent_slug varchar(63) not null,
          agent_id uuid,
          widget_key_id uuid,
          api_key_id uuid,
          origin text,
          started_at timestamptz not null,
          ended_at timestamptz,
          state varchar(16),
          end_reason varchar(32),
          end_confirmed boolean,
          upstream_ms bigint,
          upstream_seconds integer,
          billed_seconds integer,
          rounding varchar(16),
          primary key (month, session_id, event)
        ) partition by range (month)""")
    op.execute("create index ix_usage_events_tenant_started on usage_events (tenant_id, started_at)")
    op.execute("create table usage_events_default partition of usage_events default")
    _protect_partition("usage_events_default")
    enable_tenant_rls("usage_events")
    # Append-only: the app may add and read, never change or remove.
    op.execute(f"revoke update, delete, truncate on usage_events from {APP_ROLE}")
    # Months are made ahead by the worker (greenroom_ensure_usage_partitions); these cover now and the next two years.
    op.execute("""
        create function greenroom_ensure_usage_partitions(p_from date, p_months int) returns int
        language plpgsql volatile security definer set search_path = public as $$
        declare m date; name text; made int := 0;
        begin
          for i in 0 .. greatest(p_months, 0) loop
            m := (date_trunc('month', p_from) + make_interval(months => i))::date;
            name := 'usage_events_' || to_char(m, 'YYYY_MM');
            if to_regclass(name) is null then
              execute format('create table %I partition of usage_events for values from (%L) to (%L)',
                             name, m, (m + interval '1 month')::date);
              execute format('alter table %I enable row level security', name);
              execute format('alter table %I force row level security', name);
              execute format('create policy tenant_isolation on %I to greenroom_app using (tenant_id = greenroom_current_tenant())'
                             ' with check (tenant_id = greenroom_current_tenant())', name);
              execute format('create policy migration_owner on %I to %I using (true) with check (true)', name, current_user);
              execute format('revoke update, delete, truncate on %I from greenroom_app', name);
              made := made + 1;
            end if;
          end loop;
          return made;
        end $$""")
    op.execute("select greenroom_ensure_usage_partitions(date_trunc('year', now())::date, 36)")


def _protect_partition(name: str) -> None:
    enable_tenant_rls(name)
    op.execute(f"revoke update, delete, truncate on {name} from {APP_ROLE}")


def _rollups() -> None:
    # Day and month of the session's start (UTC), like the ledger's partition. NULLS NOT DISTINCT (PostgreSQL 15+)
    # lets sessions without a widget key or origin share one rollup row.
    op.create_table(
        "usage_daily",
        sa.Column("tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("agent_slug", sa.String(63), nullable=False),
        sa.Column("widget_key_id", UUID(as_uuid=True), nullable=True),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("end_reason", sa.String(32), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("upstream_seconds", sa.BigInteger(), nullable=False),
        sa.Column("billed_seconds", sa.BigInteger(), nullable=False),
    )
    op.execute("alter table usage_daily add constraint uq_usage_daily_key unique nulls not distinct "
               "(tenant_id, day, agent_slug, widget_key_id, origin, end_reason)")
    op.create_index("ix_usage_daily_day", "usage_daily", ["day"])
    op.create_table(
        "usage_monthly",
        sa.Column("tenant_id", UUID(as_uuid=True), sa.ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("upstream_seconds", sa.BigInteger(), nullable=False),
        sa.Column("billed_seconds", sa.BigInteger(), nullable=False),
    )
    for table in ("usage_daily", "usage_monthly"):
        enable_tenant_rls(table)


def _functions() -> None:
    op.execute("""
        create function greenroom_billed_seconds(p_ms bigint, p_rounding text) returns bigint
        language sql immutable as $$
          select case when p_ms <= 0 then 0
                      when p_rounding = 'minute' then ceil(p_ms / 60000.0)::bigint * 60
                      else ceil(p_ms / 1000.0)::bigint end $$""")
    # Security invoker: inside a tenant's transaction RLS scopes it; inside the definer function below it sees all.
    op.execute("""
        create function greenroom_month_billed_seconds(p_tenant uuid, p_now timestamptz) returns bigint
        language sql stable set search_path = public as $$
          select coalesce((select m.billed_seconds from usage_monthly m
                           where m.tenant_id = p_tenant and m.month = date_trunc('month', p_now at time zone 'UTC')::date), 0)
               + coalesce((select sum(greenroom_billed_seconds(
                                    (extract(epoch from least(p_now, coalesce(s.expires_at, p_now)) - s.started_at) * 1000)::bigint,
                                    t.billing_rounding))
                           from sessions s join tenants t on t.id = s.tenant_id
                           where s.tenant_id = p_tenant and s.upstream_session_id is not null and s.upstream_ended_at is null
                             and s.started_at >= date_trunc('month', p_now at time zone 'UTC') at time zone 'UTC'), 0) $$""")
    op.execute("""
        create function greenroom_quota_candidates(p_batch int) returns table (id uuid, tenant_id uuid)
        language sql volatile security definer set search_path = public as $$
          select s.id, s.tenant_id
          from tenants t join sessions s on s.tenant_id = t.id and s.state in ('starting', 'active')
          where t.monthly_minutes is not null
            and greenroom_month_billed_seconds(t.id, clock_timestamp()) >= t.monthly_minutes::bigint * 60
          limit p_batch
          for update of s skip locked $$""")
    # The operator's report across tenants (the app checks the caller is an operator): totals per tenant, no rows.
    op.execute("""
        create function greenroom_operator_usage(p_from date, p_to date)
        returns table (tenant_id uuid, sessions bigint, upstream_seconds bigint, billed_seconds bigint)
        language sql stable security definer set search_path = public as $$
          select d.tenant_id, sum(d.sessions)::bigint, sum(d.upstream_seconds)::bigint, sum(d.billed_seconds)::bigint
          from usage_daily d where d.day between p_from and p_to
          group by d.tenant_id $$""")
    for fn, grantee in FUNCTIONS.items():
        if grantee:
            op.execute(f"revoke all on function {fn} from public")
            op.execute(f"grant execute on function {fn} to {grantee}")


def downgrade() -> None:
    for fn in reversed(FUNCTIONS):
        op.execute(f"drop function {fn}")
    op.drop_table("usage_monthly")
    op.drop_table("usage_daily")
    op.execute("drop table usage_events")
    op.drop_index("ix_sessions_unmetered", "sessions")
    op.drop_column("sessions", "upstream_ended_at")
    op.drop_constraint("ck_tenants_billing_rounding", "tenants")
    op.drop_constraint("ck_tenants_monthly_minutes", "tenants")
    op.drop_column("tenants", "billing_rounding")
    op.drop_column("tenants", "monthly_minutes")
