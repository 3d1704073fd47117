"""Envelope encryption for provider keys.

A fresh 256-bit data key per secret encrypts it with AES-256-GCM; the associated
data binds the ciphertext to (tenant, record, provider), so a ciphertext copied
into another row fails to decrypt. The data key is wrapped by a versioned master
key; each row records the version, so rotation rewraps data keys only.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass, replace

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class VaultError(Exception):
    """A secret could not be decrypted (wrong row, tampered data, or unknown master key)."""


@dataclass(frozen=True)
class Sealed:
    ciphertext: bytes
    nonce: bytes
    wrapped_key: bytes
    key_nonce: bytes
    master_key_version: int


def _aad(tenant_id: uuid.UUID, record_id: uuid.UUID, provider: str) -> bytes:
    return f"greenroom:v1:{tenant_id}:{record_id}:{provider}".encode()


def _key_aad(tenant_id: uuid.UUID, record_id: uuid.UUID, version: int) -> bytes:
    return f"greenroom:dek:v1:{tenant_id}:{record_id}:{version}".encode()


class Vault:
    def __init__(self, keyset: dict[int, bytes]) -> None:
        if not keyset:
            raise ValueError("empty master keyset")
        self.keyset = keyset
        self.current_version = max(keyset)

    def seal(self, plaintext: str, *, tenant_id: uuid.UUID, record_id: uuid.UUID, provider: str) -> Sealed:
        data_key = AESGCM.generate_key(bit_length=256)
        nonce, key_nonce = os.urandom(12), os.urandom(12)
        ciphertext = AESGCM(data_key).encrypt(nonce, plaintext.encode(), _aad(tenant_id, record_id, provider))
        version = self.current_version
        wrapped = AESGCM(self.keyset[version]).encrypt(key_nonce, data_key, _key_aad(tenant_id, record_id, version))
        return Sealed(ciphertext, nonce, wrapped, key_nonce, version)

    def open(self, sealed: Sealed, *, tenant_id: uuid.UUID, record_id: uuid.UUID, provider: str) -> str:
        master = self.keyset.get(sealed.master_key_version)
        if master is None:
            raise VaultError(f"master key version {sealed.master_key_version} is not configured")
        try:
            data_key = AESGCM(master).decrypt(
                sealed.key_nonce, sealed.wrapped_key, _key_aad(tenant_id, record_id, sealed.master_key_version)
            )
            return (
                AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, _aad(tenant_id, record_id, provider)).decode()
            )
        except InvalidTag as exc:
            raise VaultError("ciphertext does not belong to this tenant, record and provider") from exc

    def rewrap(self, sealed: Sealed, *, tenant_id: uuid.UUID, record_id: uuid.UUID) -> Sealed:
        """The same secret with its data key wrapped by the newest master key (for rotation).

        Only the data key is re-encrypted, under a fresh key nonce; the secret's ciphertext and nonce are kept,
        so the plaintext never exists here and the ciphertext's binding to tenant, record and provider is unchanged.
        """
        master = self.keyset.get(sealed.master_key_version)
        if master is None:
            raise VaultError(f"master key version {sealed.master_key_version} is not configured")
        try:
            data_key = AESGCM(master).decrypt(
                sealed.key_nonce, sealed.wrapped_key, _key_aad(tenant_id, record_id, sealed.master_key_version)
            )
        except InvalidTag as exc:
            raise VaultError(
                "wrapped data key does not belong to this tenant and record, or the master key differs"
            ) from exc
        version, key_nonce = self.current_version, os.urandom(12)
        wrapped = AESGCM(self.keyset[version]).encrypt(key_nonce, data_key, _key_aad(tenant_id, record_id, version))
        return replace(sealed, wrapped_key=wrapped, key_nonce=key_nonce, master_key_version=version)


def fingerprint(secret: str) -> str:
    """A short, stable identifier of a key that does not reveal it (keys are high-entropy)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def last4(secret: str) -> str:
    return secret[-4:] if len(secret) >= 8 else ""
