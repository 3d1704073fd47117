"""The role matrix: which scopes each membership role holds (docs/security.md explains it).

Admin endpoints name the scope they need in their signature (app/auth/dependencies.py); a server key carries
scopes, a signed-in user gets the scopes of their role in the active tenant. One table, so the two kinds of caller
cannot drift apart.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["owner", "admin", "billing", "viewer"]
Scope = Literal["sessions:write", "sessions:read", "usage:read", "admin"]
ROLES: tuple[str, ...] = ("owner", "admin", "billing", "viewer")
# What a suspended tenant's members and keys may still do: read their sessions, usage, reports and billing.
READ_SCOPES: frozenset[str] = frozenset({"sessions:read", "usage:read"})

ROLE_SCOPES: dict[str, frozenset[str]] = {
    "owner": frozenset({"admin", "sessions:write", "sessions:read", "usage:read"}),
    "admin": frozenset({"admin", "sessions:write", "sessions:read", "usage:read"}),
    "billing": frozenset({"usage:read", "sessions:read"}),
    "viewer": frozenset({"usage:read", "sessions:read"}),
}


def may_grant(actor_role: str | None, target_role: str) -> bool:
    """Only an owner makes or unmakes owners; admins manage admin, billing and viewer.

    `None` is a server key (admin scope)."""
    if target_role == "owner":
        return actor_role == "owner"
    return actor_role in ("owner", "admin", None)
