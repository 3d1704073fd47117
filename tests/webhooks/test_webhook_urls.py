"""The SSRF rule for webhook receivers (app/webhooks/urls.py) and the signature against the reference package."""

from __future__ import annotations

import asyncio

import pytest
from standardwebhooks import Webhook

from app.webhooks import signing
from app.webhooks.urls import UrlRefused, check_url, is_public, resolve
from tests.webhooks.bypasses import ALLOWED, RESOLVED, SAVED, Case


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.shop.example/greenroom",
        "https://hooks.shop.example:8443/in?x=1",
        "https://93.184.216.34/in",
        "https://[2606:4700::1111]/in",
    ],
)
def test_public_https_urls_are_accepted(url: str) -> None:
    assert check_url(url, allow_private=False) == url


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://hooks.shop.example/in", "https://"),
        ("ftp://hooks.shop.example/in", "https://"),
        ("https://user:secret@hooks.shop.example/in", "user name or password"),
        ("https://localhost/in", "fully qualified"),
        ("https://intranet/in", "fully qualified"),
        ("https://metadata.google.internal/in", "fully qualified"),
        ("https://printer.local/in", "fully qualified"),
        ("https://127.0.0.1/in", "private"),
        ("https://10.1.2.3/in", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://100.64.0.1/in", "private"),
        ("https://[::1]/in", "private"),
        ("https://[::ffff:127.0.0.1]/in", "private"),
        ("https://[fd00::1]/in", "private"),
        ("https://0.0.0.0/in", "private"),
        ("https://224.0.0.1/in", "private"),
        ("https:///in", "no host"),
        ("https://hooks.shop.example:99999/in", "cannot be parsed"),
        ("https://" + "a" * 2100 + ".example/", "longer than"),
    ],
)
def test_private_and_odd_urls_are_refused_saying_why(url: str, says: str) -> None:
    with pytest.raises(UrlRefused, match=says) as refused:
        check_url(url, allow_private=False)
    assert "secret" not in str(refused.value)


def test_dev_and_tests_may_use_loopback_over_http() -> None:
    assert check_url("http://127.0.0.1:8080/hooks", allow_private=True)
    with pytest.raises(UrlRefused):
        check_url("ftp://127.0.0.1/hooks", allow_private=True)


def test_at_delivery_every_resolved_address_is_checked_and_the_connection_pinned() -> None:
    for url, says in (
        ("https://127.0.0.1/in", "private"),
        ("https://0x7f.1/in", "unusual form"),  # spellings a resolver reads as 127.0.0.1 never reach it
        ("https://localhost/in", "fully qualified"),
    ):
        with pytest.raises(UrlRefused, match=says):
            asyncio.run(resolve(url, allow_private=False))
    target = asyncio.run(resolve("http://localhost:8080/a?b=1", allow_private=True))
    assert set(target.urls) <= {"http://127.0.0.1:8080/a?b=1", "http://[::1]:8080/a?b=1"} and target.urls
    assert (target.host, target.sni) == ("localhost:8080", None)
    assert not is_public("::ffff:10.0.0.1") and is_public("8.8.8.8")


def test_signatures_verify_with_the_reference_implementation() -> None:
    secret, old = signing.new_secret(), signing.new_secret()
    body = b'{"type":"webhook.test","timestamp":"2026-11-25T14:00:00.000Z","data":{}}'
    import time

    headers = signing.headers([secret, old], "msg_1", int(time.time()), body)
    assert Webhook(secret).verify(body, headers) == Webhook(old).verify(body, headers)
    assert headers["webhook-signature"].startswith("v1,") and headers["webhook-id"] == "msg_1"


# The address rule, range by range (docs/decisions/0014-webhooks.md, "Receiver URLs") ------------------------------

NOT_PUBLIC = [
    "0.0.0.0",
    "0.1.2.3",
    "10.1.2.3",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.254",
    "192.0.0.8",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.51.100.1",
    "203.0.113.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::127.0.0.1",  # IPv4-compatible
    "::10.0.0.1",
    "::ffff:0:127.0.0.1",  # IPv4-translated
    "64:ff9b::127.0.0.1",  # NAT64, well-known prefix
    "64:ff9b::10.0.0.1",
    "64:ff9b::169.254.169.254",
    "64:ff9b::100.64.0.1",
    "64:ff9b:1::a00:1",  # NAT64, local use: refused whatever it carries
    "64:ff9b:1::5db8:d822",
    "64:ff9b:1:ffff::5db8:d822",
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a00:1::1",  # of 10.0.0.1
    "2002:a9fe:a9fe::1",  # of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    "2001:0:7f00:1:8000:63bf:a247:27dd",  # Teredo, server 127.0.0.1
    "100::1",  # discard-only
    "2001:2::1",  # benchmarking
    "2001:10::1",  # ORCHID
    "2001:db8::1",  # documentation
    "3fff::1",  # documentation
    "5f00::1",  # SRv6 SIDs
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",  # site-local, deprecated (Python 3.11 calls it global)
    "ff02::1",
    "4000::1",  # not handed out (outside 2000::/3)
    "not an address",
]

PUBLIC = [
    "1.1.1.1",
    "8.8.8.8",
    "93.184.216.34",
    "100.63.255.255",  # just below carrier-grade NAT
    "100.128.0.0",  # just above
    "172.15.255.255",
    "172.32.0.0",
    "192.0.1.1",
    "198.17.255.255",
    "223.255.255.255",
    "2606:4700::1111",
    "2a00:1450:4001::1",
    "::ffff:93.184.216.34",
    "::93.184.216.34",
    "64:ff9b::93.184.216.34",  # NAT64 of a public address: the address it reaches is public
    "2002:5db8:d822::1",
    "2001:0:4136:e378:8000:63bf:a247:27dd",  # Teredo, client 93.184.216.34
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_internal_addresses_in_any_clothing_are_not_public(address: str) -> None:
    assert not is_public(address)
    if ":" in address and "%" not in address:
        with pytest.raises(UrlRefused, match=r"^The URL points at (a |an IPv6 address that carries a |a local-use)"):
            check_url(f"https://[{address}]/in", allow_private=False)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_in_any_clothing_are_allowed(address: str) -> None:
    assert is_public(address)
    literal = f"[{address}]" if ":" in address else address
    assert check_url(f"https://{literal}/in", allow_private=False)


@pytest.mark.parametrize("case", SAVED, ids=[c.id for c in SAVED])
def test_known_bypasses_are_refused_when_saved_and_when_called(case: Case) -> None:
    url = case.url.format(port=8443)
    with pytest.raises(UrlRefused, match=case.says):
        check_url(url, allow_private=False)
    asked: list[str] = []

    async def resolver(hostname: str, port: int) -> list[str]:
        asked.append(hostname)
        return ["93.184.216.34"]  # whatever DNS says, the URL itself is refused first

    with pytest.raises(UrlRefused, match=case.says):
        asyncio.run(resolve(url, allow_private=False, resolver=resolver))
    assert asked == []


@pytest.mark.parametrize("url", ALLOWED)
def test_public_addresses_and_names_in_unusual_writing_are_allowed(url: str) -> None:
    assert check_url(url, allow_private=False) == url


@pytest.mark.parametrize(("name", "answers", "says"), RESOLVED, ids=[r[0] for r in RESOLVED])
def test_names_answering_internal_addresses_in_ipv6_clothing_are_refused_at_delivery(
    name: str, answers: list[str], says: str
) -> None:
    assert check_url(f"https://{name}/in", allow_private=False)  # nothing to see when saved

    async def resolver(hostname: str, port: int) -> list[str]:
        assert (hostname, port) == (name, 443)
        return answers

    with pytest.raises(UrlRefused, match=f"^The host name resolves to .*{says}"):
        asyncio.run(resolve(f"https://{name}/in", allow_private=False, resolver=resolver))


def test_the_name_resolved_and_sent_is_the_one_checked() -> None:
    asked: list[str] = []
    answers = iter([["93.184.216.34", "64:ff9b::93.184.216.34"], ["127.0.0.1"]])  # rebinds after the first answer

    async def resolver(hostname: str, port: int) -> list[str]:
        asked.append(hostname)
        return next(answers)

    # Unicode dots and letters become the ASCII name before it is resolved, and that name is the Host and SNI.
    target = asyncio.run(resolve("https://HOOKS。bücher.example.:8443/in?x=1", allow_private=False, resolver=resolver))
    assert asked == ["hooks.xn--bcher-kva.example"]  # once: the connection uses these answers, not a second lookup
    assert target.urls == ("https://93.184.216.34:8443/in?x=1", "https://[64:ff9b::93.184.216.34]:8443/in?x=1")
    assert (target.host, target.sni) == ("hooks.xn--bcher-kva.example:8443", "hooks.xn--bcher-kva.example")
    # An IP literal is the address: no resolver is asked.
    target = asyncio.run(resolve("https://[::ffff:93.184.216.34]/in", allow_private=False, resolver=resolver))
    assert asked == ["hooks.xn--bcher-kva.example"] and target.urls == ("https://[::ffff:5db8:d822]/in",)
    assert (target.host, target.sni) == ("[::ffff:5db8:d822]", None)
