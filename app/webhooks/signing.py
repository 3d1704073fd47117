"""Standard Webhooks signatures (https://www.standardwebhooks.com/), and the signing secrets at rest.

Each message carries `webhook-id` (the same on every attempt, so receivers can drop duplicates),
`webhook-timestamp` (seconds, the time of this attempt: receivers refuse stale ones) and
`webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed by the secret's bytes. While a
rotated-out secret is still within its grace period, the message is signed with both, space-separated, as the
specification allows; a receiver holding either secret verifies it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid
from collections.abc import Iterable
from typing import Any

from app.vault.crypto import Sealed, Vault

PREFIX = "whsec_"
SECRET_BYTES = 32
PURPOSE = "webhook-secret"  # in the associated data: a sealed signing secret cannot pass for a provider key


def new_secret() -> str:
    return PREFIX + base64.b64encode(os.urandom(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(_key(secret), f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def headers(secrets: Iterable[str], message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, message_id, timestamp, body) for s in secrets),
    }


def seal(vault: Vault, secret: str, *, tenant_id: uuid.UUID, secret_id: uuid.UUID) -> Sealed:
    return vault.seal(secret, tenant_id=tenant_id, record_id=secret_id, provider=PURPOSE)


def reveal(vault: Vault, row: Any) -> str:
    """A row of webhook_secrets, opened just before signing (never stored or logged in the clear)."""
    sealed = Sealed(row.ciphertext, row.nonce, row.wrapped_key, row.key_nonce, row.master_key_version)
    return vault.open(sealed, tenant_id=row.tenant_id, record_id=row.id, provider=PURPOSE)
