"""Tenant settings need people signed in: the identity app and its browsers, shared with tests/identity."""

from tests.identity.conftest import (  # noqa: F401  session and function fixtures shared with tests/identity
    app_port,
    dev_idp,
    identity_app,
    new_browser,
    owner,
    strict_idp,
)
