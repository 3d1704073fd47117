"""Deliveries over TLS connect to the address that was checked, yet verify the certificate against the URL's host
name."""

from __future__ import annotations

import asyncio
import datetime
import ssl
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.cli.serving import ServerThread
from app.webhooks.delivery import Deliverer, WebhookConfig


def self_signed(tmp: Path, host: str) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = tmp / "cert.pem", tmp / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(certfile), str(keyfile)


async def echo_host(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 418, "headers": []})
    await send({"type": "http.response.body", "body": dict(scope["headers"])[b"host"]})


def test_a_pinned_tls_delivery_verifies_the_host_name(tmp_path: Path) -> None:
    certfile, keyfile = self_signed(tmp_path, "localhost")
    with ServerThread(echo_host, ssl_certfile=certfile, ssl_keyfile=keyfile) as server:

        async def post(url: str) -> tuple[int | None, str | None]:
            deliverer = Deliverer(None, None, WebhookConfig(allow_private_urls=True, timeout_s=5))  # type: ignore[arg-type]
            deliverer._client = httpx.AsyncClient(
                verify=ssl.create_default_context(cafile=certfile),
                trust_env=False,
                limits=httpx.Limits(max_keepalive_connections=0),
            )
            try:
                answer = await deliverer._post(url, {}, b"{}")
                return answer.status, answer.log_error
            finally:
                await deliverer.close()

        # Connected to 127.0.0.1 (resolved once), certificate checked for `localhost`, Host header as in the URL.
        assert asyncio.run(post(f"https://localhost:{server.port}/in")) == (418, f"HTTP 418: localhost:{server.port}")
        # The same server through its IP address: the certificate does not name it, so nothing is sent.
        status, error = asyncio.run(post(f"https://127.0.0.1:{server.port}/in"))
        assert status is None and error == "connection failed (ConnectError)"
