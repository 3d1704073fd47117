"""The worker's housekeeping, run as the worker runs it (the app role, under row-level security): what expires, expires;
what does not, stays; the ledger always has its next months."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from app.db.engine import make_engine, make_sessionmaker
from app.worker import housekeeping
from tests.support.database import Db, run


def sweep(database_url: str) -> None:
    async def go() -> None:
        engine = make_engine(database_url, null_pool=True)
        try:
            await housekeeping(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    run(go())


def test_webhook_attempts_older_than_90_days_are_forgotten(tenant, db: Db, database_url: str) -> None:
    endpoint = uuid.uuid4()
    db.execute(
        "insert into webhook_endpoints (id, tenant_id, url, description, events, enabled, consecutive_failures) "
        "values ($1, $2, 'https://hooks.example/in', '', '{session.ended}', true, 0)",
        endpoint,
        tenant.tenant_id,
    )
    for days in (91, 89):
        db.execute(
            """insert into webhook_attempts (tenant_id, endpoint_id, message_id, event_type, attempt, outcome,
                                                      status_code, duration_ms, attempted_at)
                      values ($1, $2, $3, 'session.ended', 1, 'succeeded', 200, 12,
                              now() - make_interval(days => $4))""",
            tenant.tenant_id,
            endpoint,
            f"msg_{days}",
            days,
        )
    sweep(database_url)
    assert [
        r["message_id"] for r in db.fetch("select message_id from webhook_attempts where endpoint_id = $1", endpoint)
    ] == ["msg_89"]


def test_the_ledger_has_partitions_for_the_months_ahead(db: Db, database_url: str) -> None:
    sweep(database_url)
    today = datetime.now(UTC).date()
    for ahead in range(4):
        month = (today.month - 1 + ahead) % 12 + 1
        year = today.year + (today.month - 1 + ahead) // 12
        assert db.value("select to_regclass($1) is not null", f"usage_events_{year}_{month:02d}"), (year, month)
    assert db.value("select count(*) from usage_events_default") == 0  # nothing fell outside a month's partition
