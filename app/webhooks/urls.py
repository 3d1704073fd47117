"""Which receiver URLs Greenroom will call: the SSRF rule (docs/decisions/0014-webhooks.md).

A webhook makes Greenroom's worker send requests to a URL a tenant chose, from inside the operator's network.
So, outside dev mode (or `GREENROOM_WEBHOOK_ALLOW_PRIVATE_URLS`):

- when the URL is saved: `https` only, no user name or password in it, a fully qualified host name (with a
  dot, not `localhost`, `.local`, `.internal` …) or a literal IP address that is public;
- when it is called: the host name is resolved and every address must be public (not loopback, private,
  link-local, carrier-grade NAT, multicast, reserved or unspecified; IPv4-mapped IPv6 is judged as IPv4). The
  request then goes to the address checked, not to a second resolution (no DNS rebinding in between), with the
  host name as TLS SNI and `Host`, so certificates are verified as usual (the next checked address is tried
  only when a connection cannot be made at all). Redirects are not followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

MAX_URL_LENGTH = 2048
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp")


class UrlRefused(ValueError):
    """The URL breaks the rule; the message says which part, never the URL itself."""


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_public(address: str) -> bool:
    ip = _ip(address)
    return ip is not None and ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_private: bool) -> str:
    """At create and change: the URL, or UrlRefused."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlRefused("The URL cannot be parsed.") from None
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise UrlRefused("The URL must start with https://.")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("The URL must not carry a user name or password; authenticate with the signature.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UrlRefused("The URL has no host.")
    if port == 0:
        raise UrlRefused("The URL's port must not be 0.")
    if allow_private:
        return url
    ip = _ip(host)
    if ip is not None:
        if not is_public(host):
            raise UrlRefused("The URL points at a private, loopback or reserved address.")
        return url
    if "." not in host or host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        raise UrlRefused("The URL's host must be a public, fully qualified domain name.")
    return url


@dataclass(frozen=True)
class Target:
    """Where to connect: `urls` name the checked addresses, in the resolver's order; `host` and `sni` carry the
    name the URL had."""

    urls: tuple[str, ...]
    host: str
    sni: str | None


# Host name and port -> the addresses it resolves to, in order; raises socket.gaierror if it does not resolve.
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(hostname: str, port: int) -> list[str]:
    """The operating system's resolver (what production uses)."""
    infos = await asyncio.get_running_loop().getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def resolve(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> Target:
    """At delivery: resolve once, check every address, and pin the connection to them.

    `resolver` is injectable so tests can make a public-looking name answer with a private address, as a hostile
    or rebinding DNS server would; the check below is the same whatever resolved the name."""
    parts = urlsplit(url)
    hostname = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = list(dict.fromkeys(await resolver(hostname, port)))
    except socket.gaierror:
        raise UrlRefused("The host name does not resolve.") from None
    if not addresses:
        raise UrlRefused("The host name does not resolve.")
    if not allow_private and not all(is_public(a) for a in addresses):
        raise UrlRefused("The host name resolves to a private, loopback or reserved address.")
    return Target(
        tuple(_pinned(parts, a) for a in addresses),
        parts.netloc.rpartition("@")[2],
        hostname if parts.scheme == "https" and _ip(hostname) is None else None,
    )


def _pinned(parts: SplitResult, address: str) -> str:
    literal = f"[{address.replace('%', '%25')}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
