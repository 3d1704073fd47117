from __future__ import annotations

import os
import uuid

import pytest

from app.vault.crypto import Vault, VaultError, fingerprint, last4


@pytest.fixture
def vault() -> Vault:
    return Vault({1: os.urandom(32)})


def test_round_trip_and_no_plaintext_in_the_sealed_parts(vault: Vault) -> None:
    t, r = uuid.uuid4(), uuid.uuid4()
    sealed = vault.seal("sk-live-abcdef123456", tenant_id=t, record_id=r, provider="openai")
    assert b"sk-live" not in sealed.ciphertext + sealed.wrapped_key
    assert vault.open(sealed, tenant_id=t, record_id=r, provider="openai") == "sk-live-abcdef123456"


@pytest.mark.parametrize("field", ["tenant_id", "record_id", "provider"])
def test_ciphertext_is_bound_to_tenant_record_and_provider(vault: Vault, field: str) -> None:
    ids = {"tenant_id": uuid.uuid4(), "record_id": uuid.uuid4(), "provider": "openai"}
    sealed = vault.seal("sk-secret-value", **ids)  # type: ignore[arg-type]
    moved = dict(ids, **{field: uuid.uuid4() if field != "provider" else "avaturn"})
    with pytest.raises(VaultError):
        vault.open(sealed, **moved)  # type: ignore[arg-type]


def test_old_master_versions_still_open_and_new_secrets_use_the_newest() -> None:
    k1, k2 = os.urandom(32), os.urandom(32)
    t, r = uuid.uuid4(), uuid.uuid4()
    old = Vault({1: k1}).seal("secret-one", tenant_id=t, record_id=r, provider="avaturn")
    both = Vault({1: k1, 2: k2})
    assert both.open(old, tenant_id=t, record_id=r, provider="avaturn") == "secret-one"
    assert both.seal("x" * 10, tenant_id=t, record_id=r, provider="avaturn").master_key_version == 2
    with pytest.raises(VaultError, match="version 1 is not configured"):
        Vault({2: k2}).open(old, tenant_id=t, record_id=r, provider="avaturn")


def test_display_helpers_reveal_little() -> None:
    assert last4("sk-abcdefgh1234") == "1234" and last4("short") == ""
    assert len(fingerprint("sk-abc")) == 16 and fingerprint("sk-abc") != fingerprint("sk-abd")
