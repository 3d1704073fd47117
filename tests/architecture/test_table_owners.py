"""Every table has one owner: only its domain's package writes it (docs/architecture.md).

Read from the source, as a reviewer would: raw SQL (`insert into t`, `update t`, `delete from t`, `truncate t`)
and ORM writes (`insert(Model)`, `update(Model)`, `delete(Model)`, `Model(...)` added to a session). Another
domain that needs a change calls the owner's service. Migrations and the SQL functions they define are the
database's own and are not scanned; dev tools and tests are not the product. A write through a variable that
holds a table (`t = Model.__table__; insert(t)`) is not seen: review and the import rules catch those.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# table -> the package that owns it (and the ORM class that maps it)
OWNERS: dict[str, tuple[str, str]] = {
    "agents": ("agents", "Agent"),
    "audit_events": ("audit", "AuditEvent"),
    "admin_sessions": ("auth", "AdminSession"),
    "api_keys": ("auth", "ApiKey"),
    "widget_keys": ("auth", "WidgetKey"),
    "rate_limits": ("auth", "RateLimit"),
    "sessions": ("broker", "AvatarSession"),
    "idempotency_keys": ("broker", "IdempotencyKey"),
    "start_refusals": ("broker", "StartRefusal"),
    "sign_in_attempts": ("identity", "SignInAttempt"),
    "jobs": ("jobs", "Job"),
    "usage_events": ("metering", "UsageEvent"),
    "usage_daily": ("metering", "UsageDaily"),
    "usage_monthly": ("metering", "UsageMonthly"),
    "tenants": ("tenants", "Tenant"),
    "users": ("tenants", "User"),
    "memberships": ("tenants", "Membership"),
    "invitations": ("tenants", "Invitation"),
    "provider_credentials": ("vault", "ProviderCredential"),
    "webhook_endpoints": ("webhooks", "WebhookEndpoint"),
    "webhook_secrets": ("webhooks", "WebhookSecret"),
    "webhook_attempts": ("webhooks", "WebhookAttempt"),
    "quota_notices": ("webhooks", "QuotaNotice"),
}
MODEL_TABLE = {model: table for table, (_, model) in OWNERS.items()}
SQL_WRITE = re.compile(r"\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+([a-z_]+)", re.I)
ORM_WRITE = {"insert", "update", "delete"}


def package_of(path: Path) -> str:
    parts = path.relative_to(APP).parts
    return parts[0] if len(parts) > 1 else path.stem


def writes(path: Path) -> set[tuple[str, int]]:
    """(table, line) for every write this module makes."""
    tree = ast.parse(path.read_text())
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for table in SQL_WRITE.findall(node.value):
                if table.lower() in OWNERS:
                    found.add((table.lower(), node.lineno))
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Attribute) and first.attr == "__table__":  # insert(Model.__table__)
                first = first.value
            if name in ORM_WRITE and isinstance(first, ast.Name) and first.id in MODEL_TABLE:
                found.add((MODEL_TABLE[first.id], node.lineno))
            # `db.add(Model(...))`, `db.add_all([...])`: a new row of Model
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("add", "add_all"):
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in MODEL_TABLE
                    ):
                        found.add((MODEL_TABLE[inner.func.id], inner.lineno))
    return found


def test_every_table_is_written_only_by_its_owner() -> None:
    strangers = []
    for path in sorted(APP.rglob("*.py")):
        for table, line in writes(path):
            owner = OWNERS[table][0]
            if package_of(path) != owner:
                strangers.append(f"{path.relative_to(APP.parent)}:{line} writes `{table}` (owned by app/{owner})")
    assert not strangers, "a table written outside its owner:\n" + "\n".join(strangers)


def test_the_owner_table_names_every_table_the_models_map() -> None:
    mapped = set()
    for path in APP.rglob("models.py"):
        mapped |= set(re.findall(r'__tablename__ = "([a-z_]+)"', path.read_text()))
    assert mapped == set(OWNERS), f"new or gone tables: {sorted(mapped ^ set(OWNERS))}"


def test_the_scan_sees_writes() -> None:
    """The scanner itself finds the owners' own writes (raw SQL, ORM statements, new rows), so an empty list of
    strangers means something."""

    def found(package: str) -> set[str]:
        return {t for p in (APP / package).rglob("*.py") for t, _ in writes(p)}

    assert "sessions" in found("broker")  # update(AvatarSession) and new AvatarSession rows
    assert {"usage_events", "usage_daily", "usage_monthly"} <= found("metering")  # raw SQL
    assert "jobs" in found("jobs")  # a new Job row
