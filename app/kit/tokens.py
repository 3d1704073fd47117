"""Keys Greenroom issues: server keys `gr_sk_…` (secret, hashed) and widget keys `gr_pk_…` (public)."""

from __future__ import annotations

import hashlib
import secrets

SERVER_PREFIX = "gr_sk_"
WIDGET_PREFIX = "gr_pk_"
SESSION_TOKEN_PREFIX = "gr_st_"
ALL_SCOPES = ("sessions:write", "sessions:read", "usage:read", "admin")


def new_server_key() -> str:
    return SERVER_PREFIX + secrets.token_urlsafe(32)


def new_widget_key() -> str:
    return WIDGET_PREFIX + secrets.token_urlsafe(18)


def new_session_token() -> str:
    """Per-session bearer for heartbeat and end calls from the browser."""
    return SESSION_TOKEN_PREFIX + secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    # Tokens are 192+ random bits, so a plain SHA-256 is enough (no salt or KDF needed).
    return hashlib.sha256(token.encode()).hexdigest()


def display_prefix(key: str) -> str:
    return key[: len(SERVER_PREFIX) + 6]
