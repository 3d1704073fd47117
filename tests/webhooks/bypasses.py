"""Known ways to dress an internal address up as a webhook URL that passes an SSRF check, and what the refusal
says: the one table the save-time tests (through the API), the delivery tests and the unit tests of
app/webhooks/urls.py run.

URLs carry `{port}`: the API tests fill in any port, the delivery tests that of a local listener on 127.0.0.1,
which must then see no connection. All are `https://` (the `http://` forms are refused for their scheme first).
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    id: str
    url: str
    says: str  # a regular expression the refusal's text matches


UNUSUAL = "unusual form .* four decimal numbers"
PRIVATE = "a private, loopback or reserved address"
NOT_FQDN = "public, fully qualified domain name"

# Refused when saved, and again at delivery for a URL stored before the rule said so.
SAVED: list[Case] = [
    # IPv4 as inet_aton, browsers and curl read it: all 127.0.0.1.
    Case("decimal", "https://2130706433:{port}/in", UNUSUAL),
    Case("octal", "https://0177.0.0.1:{port}/in", UNUSUAL),
    Case("hex", "https://0x7f.1:{port}/in", UNUSUAL),
    Case("hex-dword", "https://0x7f000001:{port}/in", UNUSUAL),
    Case("short", "https://127.1:{port}/in", UNUSUAL),
    Case("leading-zeros", "https://127.000.000.001:{port}/in", UNUSUAL),
    Case("zero", "https://0:{port}/in", UNUSUAL),  # 0.0.0.0
    # Trailing dots: the root of the DNS tree, the same host.
    Case("trailing-dot-ip", "https://127.0.0.1.:{port}/in", PRIVATE),
    Case("trailing-dot-name", "https://localhost.:{port}/in", NOT_FQDN),
    Case("two-trailing-dots", "https://localhost..:{port}/in", "not a valid host name"),
    Case("localdomain", "https://localhost.localdomain:{port}/in", NOT_FQDN),
    # IDNA and unicode dots: mapped to ASCII before anything looks at the host (UTS 46), as resolvers do.
    Case("circled-letters", "https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ:{port}/in", NOT_FQDN),
    Case("fullwidth-digits", "https://１２７.０.０.１:{port}/in", PRIVATE),
    Case("ideographic-dots", "https://127。0。0。1:{port}/in", PRIVATE),
    Case("fullwidth-dots", "https://127．0．0．1:{port}/in", PRIVATE),
    Case("halfwidth-dots", "https://127｡0｡0｡1:{port}/in", PRIVATE),
    # U+2488 "⒈" is "1." to IDNA 2003 (Python's codec before getaddrinfo, which then reads 127.0.1.1): not in UTS 46.
    Case("digit-full-stop", "https://127.0.0⒈1:{port}/in", "not a valid international domain name"),
    Case("percent-encoded", "https://%31%32%37.0.0.1:{port}/in", "not a valid host name"),
    # Userinfo and parser differentials: whose host is it?
    Case("userinfo", "https://hooks.shop.example@127.0.0.1:{port}/in", "user name or password"),
    Case("userinfo-backslash", "https://hooks.shop.example\\@127.0.0.1:{port}/in", "user name or password"),
    Case("backslash", "https://127.0.0.1\\hooks.shop.example:{port}/in", "not a valid host name"),
    Case("tab", "https://127.0.0\t.1:{port}/in", "control characters"),
    Case("line-break", "https://hooks.shop.example\n.127.0.0.1:{port}/in", "control characters"),
    # Brackets, zone ids, the unspecified addresses.
    Case("bracketed-ipv4", "https://[127.0.0.1]:{port}/in", "cannot be parsed|not an IPv6 address"),
    Case("ipvfuture", "https://[v1.127.0.0.1]:{port}/in", "cannot be parsed|not an IPv6 address"),
    Case("zone-id", "https://[fe80::1%25lo]:{port}/in", "zone id"),
    Case("zone-id-on-public", "https://[2606:4700::1111%25eth0]:{port}/in", "zone id"),
    Case("unspecified-v6", "https://[::]:{port}/in", PRIVATE),
    Case("unspecified-v4", "https://0.0.0.0:{port}/in", PRIVATE),
    Case("loopback-v6", "https://[::1]:{port}/in", PRIVATE),
    # IPv6 clothing: judged by the IPv4 address inside.
    Case("ipv4-mapped", "https://[::ffff:127.0.0.1]:{port}/in", PRIVATE),
    Case("ipv4-mapped-hex", "https://[::ffff:7f00:1]:{port}/in", PRIVATE),
    Case("ipv4-compatible", "https://[::127.0.0.1]:{port}/in", r"carries .* IPv4 address \(IPv4-compatible\)"),
    Case("ipv4-translated", "https://[::ffff:0:127.0.0.1]:{port}/in", r"\(IPv4-translated\)"),
    Case("nat64", "https://[64:ff9b::127.0.0.1]:{port}/in", r"carries .* IPv4 address \(NAT64\)"),
    Case("nat64-metadata", "https://[64:ff9b::a9fe:a9fe]:{port}/latest/meta-data", r"\(NAT64\)"),
    Case("nat64-private", "https://[64:ff9b::10.0.0.1]:{port}/in", r"\(NAT64\)"),
    Case("nat64-local-use", "https://[64:ff9b:1::a00:1]:{port}/in", r"local-use NAT64 address \(64:ff9b:1::/48\)"),
    Case("nat64-local-use-public", "https://[64:ff9b:1::5db8:d822]:{port}/in", "local-use NAT64"),
    Case("6to4-loopback", "https://[2002:7f00:1::1]:{port}/in", r"\(6to4\)"),
    Case("6to4-private", "https://[2002:c0a8:101::]:{port}/in", r"\(6to4\)"),  # 192.168.1.1
    Case("teredo", "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]:{port}/in", r"\(Teredo\)"),  # client 127.0.0.1
    # The rest of the internal ranges.
    Case("metadata", "https://169.254.169.254:{port}/latest/meta-data", PRIVATE),
    Case("carrier-grade-nat", "https://100.64.0.1:{port}/in", PRIVATE),
    Case("private-172", "https://172.16.0.1:{port}/in", PRIVATE),
    Case("site-local-v6", "https://[fec0::1]:{port}/in", PRIVATE),
    Case("unique-local-v6", "https://[fd00::1]:{port}/in", PRIVATE),
    Case("link-local-v6", "https://[fe80::1]:{port}/in", PRIVATE),
    Case("broadcast", "https://255.255.255.255:{port}/in", PRIVATE),
]

# Public addresses in the same clothing, and names in unusual writing: allowed when saved.
ALLOWED: list[str] = [
    "https://[64:ff9b::93.184.216.34]/in",  # NAT64 of a public address
    "https://[2002:5db8:d822::1]/in",  # 6to4 of 93.184.216.34
    "https://[::ffff:93.184.216.34]/in",
    "https://[2001:0:4136:e378:8000:63bf:a247:27dd]/in",  # Teredo, client 93.184.216.34
    "https://hooks.shop.example./in",
    "https://bücher.example/in",
    "https://hooks.shop.example/in#@127.0.0.1",  # a fragment is never sent
]

# Names that pass when saved, and what a hostile or rebinding DNS server answers for them at delivery.
RESOLVED: list[tuple[str, list[str], str]] = [
    ("nat64.rebind.example", ["64:ff9b::7f00:1"], r"\(NAT64\)"),  # DNS64 of an internal name
    ("nat64-metadata.rebind.example", ["64:ff9b::a9fe:a9fe"], r"\(NAT64\)"),
    ("nat64-local.rebind.example", ["64:ff9b:1::a00:1"], "local-use NAT64"),
    ("sixtofour.rebind.example", ["2002:a00:1::1"], r"\(6to4\)"),
    ("compatible.rebind.example", ["::7f00:1"], r"\(IPv4-compatible\)"),
    ("translated.rebind.example", ["::ffff:0:7f00:1"], r"\(IPv4-translated\)"),
    ("teredo.rebind.example", ["2001:0:4136:e378:8000:63bf:80ff:fffe"], r"\(Teredo\)"),
    ("mapped.rebind.example", ["::ffff:127.0.0.1"], PRIVATE),
    ("zero.rebind.example", ["0.0.0.0"], PRIVATE),
    ("unspecified.rebind.example", ["::"], PRIVATE),
    ("zone.rebind.example", ["fe80::1%lo"], PRIVATE),
    ("site-local.rebind.example", ["fec0::1"], PRIVATE),
    ("mixed.rebind.example", ["93.184.216.34", "64:ff9b::a00:1"], r"\(NAT64\)"),  # every answer must be public
]
