"""What a provider key must look like before it is verified, sealed or sent.

A key goes into an `Authorization: Bearer` header as is: a control character, a line break, a space or a
non-ASCII character cannot be sent (or splits the header), so such a key would only ever fail, and since the newest
key of a provider is the one used, it would break every session of the tenant. The providers' documented prefixes
(docs/operations.md, "Provider keys") catch the commonest slip: a key pasted into the wrong provider's field.
"""

from __future__ import annotations

from app.errors import Problem
from app.upstream.errors import PROVIDER_NAMES

# The provider's documented key prefix, where it has one (Avaturn documents none).
PREFIXES: dict[str, tuple[str, ...]] = {"openai": ("sk-",), "cartesia": ("sk_car_",)}
# What the simulator of `greenroom dev` accepts besides its generated keys: any key starting with these and going on
# (devtools/simulator/state.py, DEV_KEY_PREFIXES; a test holds the two equal). Each passes the shape check above.
DEV_SIMULATOR_PREFIXES: dict[str, str] = {"openai": "sk-dev-", "avaturn": "av-dev-", "cartesia": "sk_car_dev"}


def _first_bad_character(secret: str) -> tuple[int, str] | None:
    for position, char in enumerate(secret, start=1):
        if char in " \t":
            return position, "a space or tab"
        if char in "\r\n":
            return position, "a line break"
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return position, "a control character"
        if ord(char) > 0x7E:
            return position, "a non-ASCII character"
    return None


def check_shape(provider: str, secret: str) -> None:
    """422 `credential-malformed` naming the field, before any provider is asked and before anything is stored.

    The message never quotes the key: it says what is wrong and where (a 1-based character position)."""
    name = PROVIDER_NAMES.get(provider, provider)
    bad = _first_bad_character(secret)
    if bad is not None:
        position, what = bad
        why = (
            f"`secret` has {what} at position {position}: a {name} key is printable ASCII without spaces, so this "
            "one could never be sent. Copy the key again, whole and on its own."
        )
    elif (prefixes := PREFIXES.get(provider)) and not secret.startswith(prefixes):
        why = (
            f"`secret` does not start with `{'` or `'.join(prefixes)}`, as every {name} API key does: "
            f"is it a key of another provider?"
        )
    else:
        return
    raise Problem(
        "credential-malformed",
        why,
        provider=provider,
        errors=[{"key": "secret", "source": "body", "message": why}],
    )
