from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest

from app.settings import ConfigError, Settings

GOOD_MASTER = "1:" + base64.b64encode(os.urandom(32)).decode()
GOOD_SIGNING = "x" * 40


def make(**kw: object) -> Settings:
    base: dict[str, object] = {
        "database_url": "postgresql://db/greenroom",
        "signing_key": GOOD_SIGNING,
        "master_keys": GOOD_MASTER,
    }
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"signing_key": None}, "GREENROOM_SIGNING_KEY is missing"),
        ({"signing_key": "change-me"}, "GREENROOM_SIGNING_KEY is the default"),
        ({"master_keys": None}, "GREENROOM_MASTER_KEYS is missing"),
        ({"master_keys": "1:change-me"}, "GREENROOM_MASTER_KEYS is the default"),
        ({"master_keys": "1:" + base64.b64encode(b"short").decode()}, "must be 32 bytes"),
        ({"database_url": None}, "GREENROOM_DATABASE_URL is missing"),
    ],
)
def test_outside_dev_unsafe_settings_are_refused_by_name(overrides: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        make(**overrides).check_secrets()


def test_dev_mode_allows_generated_defaults() -> None:
    make(signing_key=None, dev_mode=True).check_secrets()


def test_newest_master_key_version_wraps() -> None:
    two = GOOD_MASTER + ",2:" + base64.b64encode(os.urandom(32)).decode()
    assert sorted(make(master_keys=two).master_keyset) == [1, 2]


def test_serve_refuses_to_start_and_says_which_setting() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROOM_")}
    env["GREENROOM_DATABASE_URL"] = "postgresql://db/greenroom"
    env["GREENROOM_MASTER_KEYS"] = GOOD_MASTER
    r = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode != 0
    assert "GREENROOM_SIGNING_KEY is missing" in r.stderr
