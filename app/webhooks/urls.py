"""Which receiver URLs Greenroom will call: the SSRF rule (docs/decisions/0014-webhooks.md, "Receiver URLs").

A webhook makes Greenroom's worker send requests to a URL a tenant chose, from inside the operator's network.
Every URL goes through one reading of its host (`_host`), at save time and again at every delivery, and the
connection goes to what that reading and the check below saw:

- the host is read once, the way the connection will use it: international names through IDNA (UTS 46, so
  full-width digits and ideographic dots become ASCII first), a trailing dot dropped, lower case; a host that
  ends in a number is an IPv4 address and must be written as four decimal numbers (`0x7f.1`, `2130706433`,
  `0177.0.0.1`, `127.1` are read as 127.0.0.1 by resolvers, and differently by different ones, so they are
  refused); IPv6 only in brackets and without a zone id; nothing else but letters, digits, `-`, `_` and dots.
- outside dev mode (or `GREENROOM_WEBHOOK_ALLOW_PRIVATE_URLS`), when the URL is saved: `https` only, no user
  name or password, a fully qualified host name (with a dot, not `localhost`, `.local`, `.internal` …) or a
  literal IP address that is public (`_refusal`);
- when it is called: the same checks again (a URL saved under an older rule is held to this one), then the host
  name is resolved once and every address must be public. An IPv6 address that carries an IPv4 address (IPv4-
  mapped, IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo) is judged by the IPv4 address inside. The
  request then goes to the address checked, not to a second resolution (no DNS rebinding in between), with the
  host name as TLS SNI and `Host`, so certificates are verified as usual (the next checked address is tried
  only when a connection cannot be made at all). Redirects are not followed (app/webhooks/delivery.py).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

import idna

MAX_URL_LENGTH = 2048
LOCAL_SUFFIXES = (
    ".localhost",
    ".localdomain",
    ".local",
    ".internal",
    ".lan",
    ".home",
    ".home.arpa",
    ".intranet",
    ".corp",
)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UrlRefused(ValueError):
    """The URL breaks the rule; the message says which part, never the URL itself."""


# What is not public --------------------------------------------------------------------------------------------
# Our own lists, from IANA's special-purpose address registries, so the rule does not move with the Python
# version (3.11's `is_global` calls 64:ff9b:1::/48 and fec0::/10 global, and knows nothing of embedded IPv4).

PRIVATE = "a private, loopback or reserved address"

_IPV4_NOT_PUBLIC = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 itself reaches the local host on Linux
        "10.0.0.0/8",  # private (RFC 1918)
        "100.64.0.0/10",  # carrier-grade NAT (RFC 6598)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata services (169.254.169.254)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, 255.255.255.255 included
    )
)

_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")  # the only IPv6 space handed out for public use
_UNSPECIFIED_AND_LOOPBACK = ipaddress.IPv6Network("::/127")  # inside ::/96 below, but refused as what they are
_IPV6_NOT_PUBLIC = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "2001::/23",  # IETF protocol assignments: benchmarking, ORCHID, … (Teredo, 2001::/32, is judged below)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
    )
)
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: where the IPv4 sits is the operator's choice


def _low32(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]


def _sixtofour(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    return [ip.sixtofour] if ip.sixtofour is not None else []


def _teredo(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    return list(ip.teredo) if ip.teredo is not None else []  # the server, and the client (de-obfuscated)


# IPv6 ranges that carry an IPv4 address, and where: the IPv4 address decides.
_Inside = Callable[[ipaddress.IPv6Address], list[ipaddress.IPv4Address]]
_EMBEDDING: tuple[tuple[ipaddress.IPv6Network, str, _Inside], ...] = (
    (ipaddress.IPv6Network("::ffff:0:0:0/96"), "IPv4-translated", _low32),  # RFC 2765 (SIIT)
    (ipaddress.IPv6Network("::/96"), "IPv4-compatible", _low32),  # ::a.b.c.d, deprecated but still parsed
    (ipaddress.IPv6Network("64:ff9b::/96"), "NAT64", _low32),  # RFC 6052's well-known prefix
    (ipaddress.IPv6Network("2002::/16"), "6to4", _sixtofour),  # 2002:AABB:CCDD::/48 is a.b.c.d's
    (ipaddress.IPv6Network("2001::/32"), "Teredo", _teredo),
)


def _refusal(ip: Address) -> str | None:
    """Why a connection to `ip` is refused, as words that follow "points at" or "resolves to"; None if public."""
    if isinstance(ip, ipaddress.IPv4Address):
        return PRIVATE if any(ip in net for net in _IPV4_NOT_PUBLIC) else None
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is that IPv4 address on the wire
        return _refusal(ip.ipv4_mapped)
    if ip in _UNSPECIFIED_AND_LOOPBACK:
        return PRIVATE
    for net, kind, inside in _EMBEDDING:
        if ip in net:
            embedded = inside(ip)
            if not embedded or any(_refusal(v4) for v4 in embedded):
                return f"an IPv6 address that carries a private, loopback or reserved IPv4 address ({kind})"
            return None
    if ip in _LOCAL_NAT64:
        return "a local-use NAT64 address (64:ff9b:1::/48), which can reach IPv4 addresses inside the network"
    if ip not in _GLOBAL_UNICAST or any(ip in net for net in _IPV6_NOT_PUBLIC):
        return PRIVATE
    return None


def _ip(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def is_public(address: str) -> bool:
    """Whether an address (as a resolver answers it; a zone id is ignored) may be called."""
    ip = _ip(address)
    return ip is not None and _refusal(ip) is None


# Reading the host ----------------------------------------------------------------------------------------------

_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")  # WHATWG URL: a host whose last label is one of these is IPv4
ODD_IPV4 = (
    "The URL's host is an IPv4 address in an unusual form (decimal, octal, hexadecimal or shortened), which "
    "programs read in different ways; write it as four decimal numbers (a.b.c.d)."
)


def _host(parts: SplitResult) -> tuple[str, Address | None]:
    """The host as the connection will use it (ASCII, lower case, no trailing dot; an IPv6 address without
    brackets) and its address if it is an IP literal; UrlRefused if it cannot be read one way only."""
    raw = parts.netloc.rpartition("@")[2]
    host = parts.hostname or ""
    if raw.startswith("["):
        if "%" in host:
            raise UrlRefused("The URL's IPv6 address must not carry a zone id (%…).")
        try:
            ip = ipaddress.IPv6Address(host)
        except ValueError:
            raise UrlRefused("The URL's host in brackets is not an IPv6 address.") from None
        return ip.compressed, ip
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError:
            raise UrlRefused("The URL's host is not a valid international domain name.") from None
    host = host.removesuffix(".")
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise UrlRefused("The URL's host is not a valid host name (letters, digits, hyphens and dots).")
    if _NUMBER.fullmatch(labels[-1]):
        try:
            v4 = ipaddress.IPv4Address(host)  # four decimal numbers, no leading zeros
        except ValueError:
            raise UrlRefused(ODD_IPV4) from None
        return str(v4), v4
    return host, None


@dataclass(frozen=True)
class _Checked:
    parts: SplitResult
    host: str  # as _host reads it
    ip: Address | None  # when the host is an IP literal
    port: int


def _check(url: str, *, allow_private: bool) -> _Checked:
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):  # tab and line breaks would be dropped silently
        raise UrlRefused("The URL must not contain control characters (tab, line break, …).")
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
    if not parts.hostname:
        raise UrlRefused("The URL has no host.")
    if port == 0:
        raise UrlRefused("The URL's port must not be 0.")
    host, ip = _host(parts)
    checked = _Checked(parts, host, ip, port or (443 if parts.scheme == "https" else 80))
    if allow_private:
        return checked
    if ip is not None:
        if (why := _refusal(ip)) is not None:
            raise UrlRefused(f"The URL points at {why}.")
        return checked
    if "." not in host or host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        raise UrlRefused("The URL's host must be a public, fully qualified domain name.")
    return checked


def check_url(url: str, *, allow_private: bool) -> str:
    """At create and change: the URL, or UrlRefused."""
    _check(url, allow_private=allow_private)
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
    """At delivery: the save-time checks again, then resolve once, check every address, and pin the connection to
    them.

    `resolver` is injectable so tests can make a public-looking name answer with a private address, as a hostile
    or rebinding DNS server would; the check below is the same whatever resolved the name. An IP literal is not
    resolved: it is the address."""
    checked = _check(url, allow_private=allow_private)
    parts, host = checked.parts, checked.host
    if checked.ip is not None:
        addresses = [checked.ip.compressed]
    else:
        try:
            addresses = list(dict.fromkeys(await resolver(host, checked.port)))
        except socket.gaierror:
            raise UrlRefused("The host name does not resolve.") from None
        if not addresses:
            raise UrlRefused("The host name does not resolve.")
    if not allow_private:
        for address in addresses:
            ip = _ip(address)
            why = PRIVATE if ip is None else _refusal(ip)
            if why is not None:
                raise UrlRefused(f"The host name resolves to {why}.")
    literal = f"[{host}]" if ":" in host else host
    return Target(
        tuple(_pinned(parts, a) for a in addresses),
        f"{literal}:{parts.port}" if parts.port is not None else literal,
        host if parts.scheme == "https" and checked.ip is None else None,
    )


def _pinned(parts: SplitResult, address: str) -> str:
    literal = f"[{address.replace('%', '%25')}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
