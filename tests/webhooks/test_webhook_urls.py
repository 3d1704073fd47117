"""The SSRF rule for webhook receivers (app/webhooks/urls.py) and the signature against the reference package."""

from __future__ import annotations

import asyncio

import pytest
from standardwebhooks import Webhook

from app.webhooks import signing
from app.webhooks.urls import UrlRefused, check_url, is_public, resolve


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
    for url in ("https://127.0.0.1/in", "https://0x7f.1/in", "https://localhost/in"):  # also spellings that slip past
        with pytest.raises(UrlRefused, match="private"):
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
