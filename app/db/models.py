"""Import every model so Base.metadata is complete (Alembic, tests)."""

from app.access.models import ApiKey, WidgetKey
from app.audit.models import AuditEvent
from app.agents.models import Agent
from app.broker.models import AvatarSession
from app.db.base import Base
from app.tenants.models import Tenant
from app.vault.models import ProviderCredential
from app.worker.models import Job

__all__ = ["AuditEvent", "Base", "Tenant", "ProviderCredential", "ApiKey", "WidgetKey", "Agent", "AvatarSession", "Job"]
