"""docs/security.md, "Sign-in": Entra needs its directory (tenant) id. `common`, `organizations` (and `consumers`) put a
template in the issuer, so the issuer cannot be checked: such a configuration is refused before anything runs, and
`greenroom serve` says why in one readable line."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from app.settings import Settings

REASON = "common/organizations cannot be issuer-checked"
DIRECTORY = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def entra(tenant: str | None) -> dict[str, object]:
    cfg: dict[str, object] = {"preset": "entra", "client_id": "app-id", "client_secret": "s3cret-value"}
    return cfg if tenant is None else {**cfg, "tenant": tenant}


@pytest.mark.parametrize("tenant", ["common", "organizations", "consumers", "Common", "ORGANIZATIONS", None])
def test_entra_without_a_directory_id_is_refused(tenant: str | None) -> None:
    with pytest.raises(ValidationError, match=REASON):
        Settings(identity_providers={"ms": entra(tenant)})  # type: ignore[arg-type]


def test_entra_with_a_directory_id_checks_that_directorys_issuer() -> None:
    cfg = Settings(identity_providers={"ms": entra(DIRECTORY)}).identity_providers["ms"]  # type: ignore[arg-type]
    assert cfg.issuer == f"https://login.microsoftonline.com/{DIRECTORY}/v2.0"
    assert cfg.discovery == f"https://login.microsoftonline.com/{DIRECTORY}/v2.0/.well-known/openid-configuration"


@pytest.mark.parametrize("tenant", ["common", "organizations"])
def test_serve_refuses_a_multi_tenant_entra_config_in_a_readable_line(tenant: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")}
    env |= {
        "GREENROOM_DATABASE_URL": "postgresql://db/greenroom",
        "GREENROOM_SIGNING_KEY": "k" * 40,
        "GREENROOM_MASTER_KEYS": "1:" + base64.b64encode(os.urandom(32)).decode(),
        "GREENROOM_IDENTITY_PROVIDERS": json.dumps({"ms": entra(tenant)}),
    }
    r = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode != 0
    assert "GREENROOM_IDENTITY_PROVIDERS" in r.stderr and REASON in r.stderr, r.stderr
    assert "Traceback" not in r.stderr, r.stderr
