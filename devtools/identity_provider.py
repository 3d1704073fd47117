"""The development identity provider: oidc-provider-mock as a child process, with the demo users.

A child process, not a thread: the mock uses authlib APIs that warn as deprecated, and warnings are errors in our
tests. It takes its issuer from the Host header, so everything uses one host: 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx

DEV_PROVIDER = "dev"
DEV_CLIENT_ID = "greenroom-dev"
DEV_CLIENT_SECRET = "greenroom-dev-secret"  # the mock accepts any secret; this one is not a secret
DEMO_USERS = (
    {"sub": "alice", "email": "alice@example.com", "email_verified": True, "name": "Alice (owner of Demo)"},
    {"sub": "bob", "email": "bob@example.com", "email_verified": True, "name": "Bob (no tenant yet)"},
    {"sub": "carol", "email": "carol@example.com", "email_verified": True, "name": "Carol"},
    {"sub": "olga", "email": "olga@example.com", "email_verified": True, "name": "Olga (operator)"},
    {"sub": "mallory", "email": "mallory@example.com", "email_verified": False, "name": "Mallory (unverified email)"},
)


def issuer_for(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def provider_config(port: int) -> dict[str, object]:
    """The `GREENROOM_IDENTITY_PROVIDERS` entry for the dev provider."""
    return {
        "issuer": issuer_for(port),
        "client_id": DEV_CLIENT_ID,
        "client_secret": DEV_CLIENT_SECRET,
        "label": "the dev identity provider",
    }


def start_dev_idp(
    port: int, users: tuple[dict[str, object], ...] = DEMO_USERS, timeout: float = 20
) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for user in users:
        args += ["--user-claims", json.dumps(user)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_COLOR": "1"}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the dev identity provider exited with code {proc.returncode}")
        try:
            if httpx.get(f"{issuer_for(port)}/.well-known/openid-configuration", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise RuntimeError(f"the dev identity provider did not answer on port {port}")
