"""Webhook SSRF, as a tenant sees it and as the network sees it (docs/decisions/0014-webhooks.md, "Receiver URLs";
the table of bypasses: tests/webhooks/bypasses.py):

- saved: every known bypass is a `422 /problems/invalid-webhook-url` whose detail says which rule, through an app
  with the production rule on the shared database, and nothing is stored or changed;
- called: the worker's delivery (`Deliverer`, production rule) refuses the same URLs, stored before the rule
  said so, and names whose DNS answers are internal addresses in IPv6 clothing, while a listener on 127.0.0.1
  sees no connection at all;
- the connection goes to the address that was checked, however DNS answers afterwards, and the Host header and
  TLS name are the name that was checked;
- redirects, including to internal addresses, are failed attempts and never followed.

The whole way through the worker and the delivery log with the production rule: tests/webhooks/test_webhook_rules.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from app.settings import Settings
from app.webhooks.delivery import Deliverer, WebhookConfig
from app.webhooks.urls import Resolver, system_resolver
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db, run
from tests.support.receiver import Listener, Receiver
from tests.support.stack import TenantKeys, make_tenant, settings_for
from tests.webhooks.bypasses import ALLOWED, RESOLVED, SAVED, Case

PRODUCTION_DEFAULT = Settings.model_fields["webhook_allow_private_urls"].default


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclasses.dataclass
class Production:
    http: httpx.Client
    tenant: TenantKeys
    hook: dict[str, Any]  # the tenant's one endpoint, saved with a public URL

    def headers(self) -> dict[str, str]:
        return auth(self.tenant.server_key)


SAVED_URL = "https://hooks.shop.example/in"


@pytest.fixture(scope="module")
def production(database_url: str, sim_server: ServerThread) -> Iterator[Production]:
    """An app instance on the shared database with the webhook rule every production deployment has (the shared
    stack allows loopback receivers), and a tenant of its own with one endpoint. It runs no worker, so it takes
    no job from the shared stack's, and the tenant starts no session."""
    port = free_port()
    settings = settings_for(database_url, sim_server.url, f"http://127.0.0.1:{port}")
    settings = settings.model_copy(update={"webhook_allow_private_urls": PRODUCTION_DEFAULT})
    assert settings.webhook_private_urls_allowed is False
    tenant = run(make_tenant(settings, {}))
    with ServerThread(create_app(settings), port=port) as app, httpx.Client(base_url=app.url, timeout=30) as http:
        resp = http.post("/v1/webhooks", json={"url": SAVED_URL}, headers=auth(tenant.server_key))
        assert resp.status_code == 201, resp.text
        yield Production(http, tenant, resp.json())


# Saved ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", SAVED, ids=[c.id for c in SAVED])
def test_a_known_bypass_is_refused_when_saved_and_says_why(production: Production, db: Db, case: Case) -> None:
    http, h, url, hook_id = production.http, production.headers(), case.url.format(port=8443), production.hook["id"]
    before = http.get(f"/v1/webhooks/{hook_id}", headers=h).json()
    body = assert_problem(http.post("/v1/webhooks", json={"url": url}, headers=h), 422, "invalid-webhook-url")
    assert re.search(case.says, body["detail"]), body["detail"]
    assert body["detail"].startswith("The ") and body["detail"].endswith(".")  # a sentence, not a parser's error
    # Changing a saved endpoint's URL is held to the same rule, and leaves the endpoint as it was.
    body = assert_problem(
        http.patch(f"/v1/webhooks/{hook_id}", json={"url": url}, headers=h), 422, "invalid-webhook-url"
    )
    assert re.search(case.says, body["detail"]), body["detail"]
    assert http.get(f"/v1/webhooks/{hook_id}", headers=h).json() == before
    assert url not in {e["url"] for e in http.get("/v1/webhooks", headers=h).json()["items"]}
    assert db.value("select count(*) from webhook_endpoints where url = $1", url) == 0


def test_public_addresses_in_ipv6_clothing_and_unusual_names_are_saved(production: Production) -> None:
    http, h = production.http, production.headers()
    made = []
    for url in ALLOWED:
        resp = http.post("/v1/webhooks", json={"url": url}, headers=h)
        assert resp.status_code == 201, resp.text
        assert resp.json()["url"] == url  # stored as written; read the same way at every delivery
        made.append(resp.json()["id"])
    assert {e["url"] for e in http.get("/v1/webhooks", headers=h).json()["items"]} == {SAVED_URL, *ALLOWED}
    for hook_id in made:
        assert http.delete(f"/v1/webhooks/{hook_id}", headers=h).status_code == 204


# Called --------------------------------------------------------------------------------------------------------


class Dns:
    """A DNS server stand-in: each name answers the next list in its script (the last one from then on), as a
    hostile or rebinding server would; `asked` is every question, in order."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers, self.asked = answers, []  # type: ignore[var-annotated]

    async def __call__(self, hostname: str, port: int) -> list[str]:
        self.asked.append(hostname)
        script = self.answers.get(hostname)
        if not script:
            raise socket.gaierror(socket.EAI_NONAME, "not known")
        return script.pop(0) if len(script) > 1 else script[0]


def deliver(
    url: str,
    *,
    allow_private: bool = False,
    resolver: Resolver = system_resolver,
    transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[int | None, str | None]:
    """One attempt of the worker's delivery, as the delivery log records it: (status, error)."""

    async def attempt() -> tuple[int | None, str | None]:
        deliverer = Deliverer(
            None,  # type: ignore[arg-type]  # an attempt reads nothing from the database
            None,  # type: ignore[arg-type]
            WebhookConfig(allow_private_urls=allow_private, timeout_s=2, resolver=resolver),
        )
        if transport is not None:  # the network itself, not our code: where would the request have gone?
            deliverer._client = httpx.AsyncClient(transport=transport, follow_redirects=False, trust_env=False)
        try:
            answer = await deliverer._post(url, {"content-type": "application/json"}, b"{}")
            return answer.status, answer.log_error
        finally:
            await deliverer.close()

    return asyncio.run(attempt())


@pytest.fixture(scope="module")
def local() -> Iterator[Listener]:
    """What the delivery tests aim at: 127.0.0.1, where nothing may arrive (checked after each of them)."""
    with Listener() as listener:
        yield listener


@pytest.mark.parametrize("case", SAVED, ids=[c.id for c in SAVED])
def test_a_known_bypass_stored_before_the_rule_reaches_nothing_at_delivery(local: Listener, case: Case) -> None:
    # The system's resolver, as in production: it reads 0x7f.1, 2130706433, ⒈ … as a loopback address.
    status, error = deliver(case.url.format(port=local.port))
    assert status is None and error is not None and error.startswith("refused: The "), error
    assert re.search(case.says, error), error
    assert local.connections == 0


@pytest.mark.parametrize(("name", "answers", "says"), RESOLVED, ids=[r[0] for r in RESOLVED])
def test_a_name_answering_an_internal_address_in_ipv6_clothing_reaches_nothing(
    local: Listener, name: str, answers: list[str], says: str
) -> None:
    dns = Dns({name: [answers]})
    status, error = deliver(f"https://{name}:{local.port}/in", resolver=dns)
    assert status is None and error is not None and error.startswith("refused: The host name resolves to "), error
    assert re.search(says, error), error
    assert local.connections == 0
    assert dns.asked == [name]


def test_dns_that_changes_its_answer_after_the_check_does_not_move_the_connection() -> None:
    """Checked: a public address. Asked again, DNS would say 127.0.0.1: nobody asks again, the request goes to the
    public address (the network is a stand-in here: a test must not send anything to the internet)."""
    dns = Dns({"hooks.rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    sent: list[httpx.Request] = []

    def network(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    with Listener() as local:
        url = f"https://hooks.rebind.example:{local.port}/in"
        assert deliver(url, resolver=dns, transport=httpx.MockTransport(network)) == (204, None)
        assert deliver(url, resolver=dns, transport=httpx.MockTransport(network)) == (
            None,
            "refused: The host name resolves to a private, loopback or reserved address.",
        )  # the next attempt resolves anew, and is checked anew
        assert local.connections == 0
    assert dns.asked == ["hooks.rebind.example"] * 2  # once per attempt
    [request] = sent
    assert (request.url.host, request.url.port) == ("93.184.216.34", local.port)
    assert request.headers["host"] == f"hooks.rebind.example:{local.port}"
    assert request.extensions["sni_hostname"] == "hooks.rebind.example"  # the certificate is checked for the name


class _ListenerOn(Listener):
    def __init__(self, host: str, port: int) -> None:
        super().__init__()
        self.sock.close()
        self.sock = socket.create_server((host, port))
        self.sock.settimeout(0.1)
        self.port = port


def test_the_connection_goes_to_the_checked_address_over_real_sockets() -> None:
    """The same over real sockets (dev rule, so loopback may be checked in): the first answer is 127.0.0.1, where
    the receiver is; every later one is 127.0.0.2, where a listener on the same port waits for a second lookup."""
    with Receiver() as receiver:
        port = receiver.server.port
        try:
            other = _ListenerOn("127.0.0.2", port)
        except OSError:
            pytest.skip("127.0.0.2 is not a loopback address here")
        dns = Dns({"hooks.rebind.example": [["127.0.0.1"], ["127.0.0.2"]]})
        with other:
            url = f"http://hooks.rebind.example:{port}/hooks"
            assert deliver(url, allow_private=True, resolver=dns) == (204, None)
            assert other.connections == 0
        assert dns.asked == ["hooks.rebind.example"]
        [got] = receiver.requests
        assert got.headers["host"] == f"hooks.rebind.example:{port}"


def test_an_international_name_is_resolved_and_sent_as_the_ascii_name_that_was_checked() -> None:
    with Receiver() as receiver:
        port = receiver.server.port
        dns = Dns({"hooks.xn--bcher-kva.example": [["127.0.0.1"]]})
        assert deliver(f"http://hooks。BÜCHER.example.:{port}/hooks", allow_private=True, resolver=dns) == (204, None)
        assert dns.asked == ["hooks.xn--bcher-kva.example"]
        assert receiver.requests[0].headers["host"] == f"hooks.xn--bcher-kva.example:{port}"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_an_internal_address_is_a_failed_attempt_and_never_followed(status: int) -> None:
    with Receiver() as redirecting, Listener() as internal:
        for location in (
            f"http://127.0.0.1:{internal.port}/admin",
            f"http://[::ffff:127.0.0.1]:{internal.port}/admin",
            f"http://localhost:{internal.port}/admin",
        ):
            redirecting.redirect(location, status)
            assert deliver(redirecting.url, allow_private=True) == (
                status,
                f"HTTP {status} (redirects are not followed): receiver says no",
            )
        assert internal.connections == 0
        assert len(redirecting.requests) == 3


def test_a_redirect_to_an_internal_address_is_a_failed_delivery_in_the_log(stack, tenant, db: Db) -> None:
    """The shared stack's worker (loopback receivers allowed, so its receiver can be called at all): the redirect
    to a listener on 127.0.0.1 and to the cloud metadata address is in the log as a failure, and nothing else."""
    h = auth(tenant.server_key)
    with Receiver() as redirecting, Listener() as internal:
        hook = stack.http.post("/v1/webhooks", json={"url": redirecting.url}, headers=h).json()
        redirecting.redirect(f"http://127.0.0.1:{internal.port}/admin", 302)
        redirecting.redirect("http://169.254.169.254/latest/meta-data/iam/security-credentials/", 307)
        message = stack.http.post(f"/v1/webhooks/{hook['id']}/test", headers=h).json()["message_id"]
        wait_for(
            lambda: db.value("select state from jobs where payload->>'message_id' = $1", message) == "done",
            timeout=15,
            what="the message delivered on its third attempt",
        )
        assert internal.connections == 0
        log: list[dict[str, Any]] = stack.http.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=h).json()["items"]
        assert [(d["attempt"], d["outcome"], d["status_code"], d["error"]) for d in reversed(log)] == [
            (1, "failed", 302, "HTTP 302 (redirects are not followed): receiver says no"),
            (2, "failed", 307, "HTTP 307 (redirects are not followed): receiver says no"),
            (3, "succeeded", 204, None),
        ]
