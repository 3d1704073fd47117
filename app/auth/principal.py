"""The one caller type: a Principal says who is calling, for which tenant, with which scopes.

Four kinds, each authenticated in app/auth: a tenant backend's server key, a signed-in admin (the scopes of their
role in the active tenant), a page's widget key (bound to an origin, maybe to one agent) and an operator account.
Services take a Principal, never a request: what the audit log needs of the request (address, user agent) rides
along in `client`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.roles import READ_SCOPES, ROLE_SCOPES, Scope
from app.errors import Problem

Kind = Literal["server_key", "admin", "widget_key", "operator"]


@dataclass(frozen=True)
class Client:
    """Where a request came from, as the audit log records it."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Principal:
    kind: Kind
    actor_id: uuid.UUID  # the server key, user or widget key acting
    tenant_id: uuid.UUID | None  # None only for an operator, who acts across tenants
    scopes: frozenset[str] = frozenset()
    role: str | None = None  # a signed-in admin's role in the tenant
    agent_id: uuid.UUID | None = None  # a widget key bound to one agent
    origin: str | None = None  # a widget key's page origin (normalized)
    client: Client = field(default_factory=Client)
    suspended: bool = False  # the tenant is suspended: only READ_SCOPES are in force

    @classmethod
    def server_key(
        cls, tenant_id: uuid.UUID, key_id: uuid.UUID, scopes: frozenset[str], *, suspended: bool = False
    ) -> Principal:
        return cls("server_key", key_id, tenant_id, scopes, suspended=suspended)

    @classmethod
    def admin(cls, tenant_id: uuid.UUID, user_id: uuid.UUID, role: str, *, suspended: bool = False) -> Principal:
        return cls("admin", user_id, tenant_id, ROLE_SCOPES[role], role=role, suspended=suspended)

    @classmethod
    def widget_key(cls, tenant_id: uuid.UUID, key_id: uuid.UUID, agent_id: uuid.UUID | None, origin: str) -> Principal:
        return cls("widget_key", key_id, tenant_id, agent_id=agent_id, origin=origin)

    @classmethod
    def operator(cls, user_id: uuid.UUID) -> Principal:
        return cls("operator", user_id, None)

    @property
    def tenant(self) -> uuid.UUID:
        """The tenant a tenant-scoped caller acts in (an operator has none)."""
        if self.tenant_id is None:
            raise RuntimeError("an operator acts across tenants: pass the tenant explicitly")
        return self.tenant_id

    @property
    def api_key_id(self) -> uuid.UUID | None:
        return self.actor_id if self.kind == "server_key" else None

    @property
    def widget_key_id(self) -> uuid.UUID | None:
        return self.actor_id if self.kind == "widget_key" else None

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.actor_id if self.kind in ("admin", "operator") else None

    def require(self, scope: Scope) -> None:
        """Past this line the caller holds `scope`; a key hears about its scopes, a person about their role. A
        suspended tenant's members and keys keep the reads (sessions, usage, reports), and nothing else."""
        if self.suspended and scope not in READ_SCOPES:
            raise Problem(
                "tenant-suspended",
                "This tenant is suspended; contact the operator. Its sessions, usage and reports stay readable.",
            )
        if self.kind == "admin":
            if scope not in self.scopes:
                raise Problem(
                    "insufficient-role", f"The `{self.role}` role may not do this (it needs `{scope}`).", role=self.role
                )
        elif self.kind == "server_key":
            if scope not in self.scopes and "admin" not in self.scopes:
                raise Problem("insufficient-scope", f"This key needs the `{scope}` scope.")
        else:
            raise Problem("insufficient-scope", f"A {self.kind.replace('_', ' ')} cannot do this.")

    def with_client(self, client: Client) -> Principal:
        return replace(self, client=client)


# Authenticates the caller inside a transaction someone else opened (the broker's first), scoping it to the tenant.
Authenticate = Callable[[AsyncSession], Awaitable[Principal]]
