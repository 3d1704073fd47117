"""Import every model so Base.metadata is complete (Alembic, tests) and foreign keys between domains resolve."""

from app.agents.models import Agent
from app.audit.models import AuditEvent
from app.auth.models import AdminSession, ApiKey, RateLimit, WidgetKey
from app.broker.models import AvatarSession, IdempotencyKey, StartRefusal
from app.db.base import Base
from app.identity.models import SignInAttempt
from app.jobs.models import Job
from app.metering.models import UsageDaily, UsageEvent, UsageMonthly
from app.tenants.models import Invitation, Membership, Tenant, User
from app.vault.models import ProviderCredential
from app.webhooks.models import (
    QuotaNotice,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookSecret,
)

__all__ = [
    "AdminSession",
    "Agent",
    "ApiKey",
    "AuditEvent",
    "AvatarSession",
    "Base",
    "IdempotencyKey",
    "Invitation",
    "Job",
    "Membership",
    "ProviderCredential",
    "QuotaNotice",
    "RateLimit",
    "SignInAttempt",
    "StartRefusal",
    "Tenant",
    "UsageDaily",
    "UsageEvent",
    "UsageMonthly",
    "User",
    "WebhookAttempt",
    "WebhookEndpoint",
    "WebhookSecret",
    "WidgetKey",
]
