"""The API against its own OpenAPI document: the dev identity provider signs the operator in."""

from tests.identity.conftest import dev_idp  # noqa: F401  a session fixture shared with tests/identity
