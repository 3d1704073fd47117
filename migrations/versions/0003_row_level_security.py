"""row-level security: the app role sees one tenant per transaction, or nothing

Revision ID: 0003
Revises: 0002

The app connects as `greenroom_app`, which owns no table and cannot bypass RLS; migrations run as the
owner. Every tenant-owned table gets FORCE ROW LEVEL SECURITY and a policy on the per-transaction
setting `app.tenant_id`. The few look-ups that must happen before the tenant is known (a key by its
hash, a session by its token) are SECURITY DEFINER functions that answer one row for one secret.
"""
from __future__ import annotations

from alembic import op

from app.db.rls import APP_ROLE, enable_tenant_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TENANT_TABLES = ("agents", "api_keys", "widget_keys", "provider_credentials", "sessions", "jobs")


def upgrade() -> None:
    op.execute(f"""
        do $$ begin
          if not exists (select from pg_roles where rolname = '{APP_ROLE}') then
            create role {APP_ROLE} login nosuperuser nobypassrls nocreatedb nocreaterole;
          end if;
        end $$""")
    op.execute(f"grant usage on schema public to {APP_ROLE}")
    op.execute(f"grant select, insert, update, delete on all tables in schema public to {APP_ROLE}")
    op.execute(f"grant usage, select on all sequences in schema public to {APP_ROLE}")
    op.execute(f"alter default privileges in schema public grant select, insert, update, delete on tables to {APP_ROLE}")
    op.execute(f"alter default privileges in schema public grant usage, select on sequences to {APP_ROLE}")
    op.execute(f"revoke insert, update, delete on alembic_version from {APP_ROLE}")
    op.execute("""
        create function greenroom_current_tenant() returns uuid language sql stable as
        $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$""")
    for table in TENANT_TABLES:
        enable_tenant_rls(table)

    # Look-ups before the tenant is known: one row, only for someone who holds the secret.
    op.execute("""
        create function greenroom_api_key(p_hash text)
        returns table (id uuid, tenant_id uuid, scopes text[], last_used_at timestamptz, tenant_status varchar)
        language sql stable security definer set search_path = public as $$
          select k.id, k.tenant_id, k.scopes, k.last_used_at, t.status from api_keys k join tenants t on t.id = k.tenant_id
          where k.key_hash = p_hash and k.revoked_at is null $$""")
    op.execute("""
        create function greenroom_widget_key(p_key text)
        returns table (id uuid, tenant_id uuid, agent_id uuid, allowed_origins text[], tenant_status varchar)
        language sql stable security definer set search_path = public as $$
          select k.id, k.tenant_id, k.agent_id, k.allowed_origins, t.status from widget_keys k join tenants t on t.id = k.tenant_id
          where k.key = p_key and k.revoked_at is null $$""")
    op.execute("""
        create function greenroom_widget_origin_allowed(p_origin text) returns boolean
        language sql stable security definer set search_path = public as $$
          select exists (select 1 from widget_keys where revoked_at is null and p_origin = any (allowed_origins)) $$""")
    op.execute("""
        create function greenroom_session_tenant(p_id uuid, p_token_hash text) returns uuid
        language sql stable security definer set search_path = public as $$
          select tenant_id from sessions where id = p_id and heartbeat_token_hash = p_token_hash $$""")
    # The worker leases due jobs of every tenant; it then works on each job inside its tenant.
    op.execute("""
        create function greenroom_claim_jobs(p_batch int, p_lease_s int)
        returns table (id bigint, tenant_id uuid, kind varchar, payload jsonb, attempts int)
        language sql volatile security definer set search_path = public as $$
          update jobs j set state = 'running', attempts = j.attempts + 1,
                 locked_until = clock_timestamp() + make_interval(secs => p_lease_s)
          where j.id in (
            select d.id from jobs d
            where (d.state = 'pending' and d.run_after <= clock_timestamp())
               or (d.state = 'running' and d.locked_until < clock_timestamp())
            order by d.run_after limit p_batch
            for update skip locked)
          returning j.id, j.tenant_id, j.kind, j.payload, j.attempts $$""")
    for fn in ("greenroom_api_key(text)", "greenroom_widget_key(text)", "greenroom_widget_origin_allowed(text)",
               "greenroom_session_tenant(uuid, text)", "greenroom_claim_jobs(int, int)"):
        op.execute(f"revoke all on function {fn} from public")
        op.execute(f"grant execute on function {fn} to {APP_ROLE}")


def downgrade() -> None:
    for fn in ("greenroom_api_key(text)", "greenroom_widget_key(text)", "greenroom_widget_origin_allowed(text)",
               "greenroom_session_tenant(uuid, text)", "greenroom_claim_jobs(int, int)"):
        op.execute(f"drop function {fn}")
    for table in TENANT_TABLES:
        op.execute(f"drop policy tenant_isolation on {table}")
        op.execute(f"drop policy migration_owner on {table}")
        op.execute(f"alter table {table} no force row level security")
        op.execute(f"alter table {table} disable row level security")
    op.execute("drop function greenroom_current_tenant()")
