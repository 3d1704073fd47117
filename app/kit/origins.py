"""Web origins: the exact form a browser sends in `Origin`, and allow-list entries written the same way.

A browser serializes an origin as `scheme://host[:port]` (RFC 6454 §6.2): `http` or `https`, a host already in
ASCII and lower case (international names in punycode, IPv4 as four decimal numbers, IPv6 in brackets), a port only
when it is not the scheme's default, one value per request, and nothing else: no user name, no path (not even `/`),
no query, no fragment. Anything else did not come from a browser following the rules, and is refused rather than
read generously: a generous reading (`https://shop.example:0` as `https://shop.example`, the host after a user
name, the first of two `Origin` headers, which arrive joined by a comma) is where two parsers can disagree about
which site is asking. Two leniencies only, since they change nothing about which site is meant: upper case is
lower-cased, and an explicit default port (`https://shop.example:443`) is dropped.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import idna
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from app.errors import Problem

DEFAULT_PORTS = {"http": 80, "https": 443}
_SHAPE = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>.*))?", re.IGNORECASE)
_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")  # labels of letters, digits, `-`, `_`; a trailing dot is a name
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")  # a last label like this makes the host an IPv4 address (WHATWG)
_PORT = re.compile(r"[1-9][0-9]{0,4}")  # decimal, no leading zero (browsers send 8080, never 08080)


def parse_origin(value: str) -> tuple[str | None, str | None]:
    """(the origin, lower-cased and without a default port, None) or (None, why it is not one a browser sends)."""
    value = value.strip()
    if "," in value:
        return None, "one origin only (two `Origin` headers, or a list, are not an origin)"
    if not value.isascii():
        return None, f"the host must be written in ASCII, as browsers send it{_ascii_hint(value)}"
    rest = value.partition("://")[2]
    for c, why in (("@", "a user name"), ("#", "a fragment"), ("?", "a query"), ("/", "a path"), ("\\", "a path")):
        if c in rest:
            return None, f"{why}: an origin ends after the host and port"
    m = _SHAPE.fullmatch(value)
    if m is None:
        return None, "not scheme://host[:port]"
    scheme, host, port = m["scheme"].lower(), m["host"].lower(), m["port"]
    if scheme not in DEFAULT_PORTS:
        return None, "the scheme must be http or https"
    host, why = _host(host)
    if host is None:
        return None, why
    if port is not None:
        if not _PORT.fullmatch(port) or not 0 < int(port) <= 65535:
            return None, f"port `{port}` is not a port browsers send (1 to 65535, no leading zero)"
        if int(port) == DEFAULT_PORTS[scheme]:
            port = None
    return f"{scheme}://{host}" + (f":{port}" if port else ""), None


def _host(host: str) -> tuple[str | None, str]:
    if host.startswith("["):
        try:
            if "%" not in host:  # a zone id (`%eth0`) names an interface of one machine, never a site
                return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]", ""
        except ValueError:
            pass
        return None, f"`{host}` is not an IPv6 address (without a zone id)"
    if not _NAME.fullmatch(host):
        return None, "no host, or a host with characters no host name has"
    if _NUMERIC_LABEL.fullmatch(host.rstrip(".").rsplit(".", 1)[-1]):
        try:
            if str(ipaddress.IPv4Address(host)) == host:
                return host, ""
        except ValueError:
            pass
        return None, f"`{host}` is not an IPv4 address as browsers write it (four decimal numbers)"
    return host, ""


def _ascii_hint(value: str) -> str:
    try:
        host = urlsplit(value).hostname or ""
        return f" (`{host}` is `{idna.encode(host, uts46=True).decode('ascii')}`)"
    except (ValueError, idna.IDNAError):
        return ""


def normalize_origin(value: str) -> str | None:
    """The origin (`scheme://host[:port]`, lower case, no default port), or None if no browser would send `value`."""
    return parse_origin(value)[0]


def origin_of_url(url: str) -> str | None:
    """The origin of a configured URL such as the public URL, which may carry a path (`https://ex.example/gr/`)."""
    parts = urlsplit(url.strip())
    return normalize_origin(f"{parts.scheme}://{parts.netloc}")


def allow_list(values: list[str], field: str = "allowed_origins") -> list[str]:
    """Allow-list entries, each the origin a browser would send; refused (400) naming the first bad entry."""
    out = []
    for i, value in enumerate(values):
        origin, why = parse_origin(value)
        if origin is None:
            key, message = f"{field}[{i}]", f"`{value}` is not an origin ({why})"
            raise Problem(
                "invalid-request", f"`{key}`: {message}", errors=[{"message": message, "key": key, "source": "body"}]
            )
        out.append(origin)
    return out


class OneOrigin(ASGIMiddleware):
    """Two `Origin` lines on one request become the one value HTTP makes of a repeated field (RFC 9110 §5.3: `a, b`),
    which is no origin, so every reader of the header (the widget's allow-list, its CORS, the CSRF check) refuses it.
    Litestar's `headers.get` would read the first line only: a raw client could show one origin and hide another."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        origins = [value for name, value in scope["headers"] if name.lower() == b"origin"]
        if len(origins) > 1:
            others = [(name, value) for name, value in scope["headers"] if name.lower() != b"origin"]
            scope["headers"] = [*others, (b"origin", b", ".join(origins))]
        await next_app(scope, receive, send)
