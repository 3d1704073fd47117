"""Web origins, as browsers send them in `Origin` and as allow-lists store them."""

from __future__ import annotations

from urllib.parse import urlsplit


def normalize_origin(origin: str) -> str | None:
    """`scheme://host[:port]` lower-cased, default ports dropped; None if it is not an origin."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")
