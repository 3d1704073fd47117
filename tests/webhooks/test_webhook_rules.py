"""Webhook rules as they run in production, which the shared test stack switches off (tests/support/stack.py):

- disabling needs BOTH `webhook_disable_after_failures` (15) failed attempts in a row AND
  `webhook_disable_after_s` (5 days) of failing; the failure history is aged in the database, not waited for;
- with `webhook_allow_private_urls` off, a receiver whose name resolves to a loopback or private address is
  refused at delivery, even though its URL passed the check when it was saved (the resolver is injected, as a
  hostile or rebinding DNS server would answer), and nothing reaches that address; so are names answering
  internal IPv4 in IPv6 clothing (NAT64, 6to4, Teredo, …) and URLs saved under an older, looser rule;
- queued messages for a deleted endpoint end without a request.

These need a worker with other settings than the shared stack's, and any worker on a database leases every job
there, so this module has its own database, and each test its own app and worker with the production values
(retries pushed an hour out, so the counts below are exactly the attempts each test makes).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from app.settings import Settings
from app.webhooks.delivery import WebhookConfig
from app.webhooks.urls import system_resolver
from app.worker import run_worker
from tests.support import database
from tests.support.asserts import assert_problem, wait_for
from tests.support.database import Db, run, temporary_database
from tests.support.receiver import Listener, Receiver
from tests.support.stack import TenantKeys, make_tenant, settings_for
from tests.webhooks import bypasses

# Its own PostgreSQL and an app and worker per test: longer than the quick loop wants.
pytestmark = pytest.mark.slow

PRODUCTION = {
    name: Settings.model_fields[name].default
    for name in ("webhook_disable_after_failures", "webhook_disable_after_s", "webhook_allow_private_urls")
}
NO_RETRY_DURING_THE_TEST = [3600.0] * 7  # the schedule is not the rule under test here


def test_the_production_values_are_what_the_readme_promises() -> None:
    assert PRODUCTION == {
        "webhook_disable_after_failures": 15,
        "webhook_disable_after_s": 5 * 86400,
        "webhook_allow_private_urls": False,
    }


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


class _Worker:
    """The real worker loop (`run_worker`) on its own thread, with an injected webhook policy."""

    def __init__(self, settings: Settings, webhooks: WebhookConfig) -> None:
        self.settings, self.webhooks = settings, webhooks
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_event: asyncio.Event | None = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()), name="rules-worker", daemon=True)

    async def _main(self) -> None:
        self.loop, self.stop_event = asyncio.get_running_loop(), asyncio.Event()
        self.ready.set()
        await run_worker(self.settings, self.stop_event, webhooks=self.webhooks)

    def start(self) -> None:
        self.thread.start()
        self.ready.wait(10)

    def stop(self) -> None:
        if self.loop and self.stop_event:
            self.loop.call_soon_threadsafe(self.stop_event.set)
            self.thread.join(10)


@dataclasses.dataclass
class RulesStack:
    http: httpx.Client
    settings: Settings
    db: Db
    worker: _Worker
    tenant: TenantKeys

    def add_hook(self, url: str, **extra: Any) -> dict[str, Any]:
        resp = self.http.post("/v1/webhooks", json={"url": url, **extra}, headers=auth(self.tenant.server_key))
        assert resp.status_code == 201, resp.text
        return resp.json()

    def send_test(self, hook_id: str) -> str:
        resp = self.http.post(f"/v1/webhooks/{hook_id}/test", headers=auth(self.tenant.server_key))
        assert resp.status_code == 202, resp.text
        return resp.json()["message_id"]

    def hook(self, hook_id: str) -> dict[str, Any]:
        return self.http.get(f"/v1/webhooks/{hook_id}", headers=auth(self.tenant.server_key)).json()

    def attempts(self, hook_id: str) -> list[dict[str, Any]]:
        resp = self.http.get(
            f"/v1/webhooks/{hook_id}/deliveries", params={"limit": 500}, headers=auth(self.tenant.server_key)
        )
        assert resp.status_code == 200, resp.text
        return resp.json()["items"]

    def age_failures(self, hook_id: str, by: timedelta) -> None:
        """As if the endpoint had started failing `by` earlier (the history, not the clock, moves)."""
        self.db.execute(
            "update webhook_endpoints set failing_since = failing_since - $2::interval where id = $1",
            uuid.UUID(hook_id),
            by,
        )


@pytest.fixture(scope="module")
def rules_db() -> Iterator[database.TestDatabase]:
    with temporary_database() as made:
        yield made


@contextmanager
def rules_stack(
    rules_db: database.TestDatabase, sim_url: str, *, start_worker: bool = True, resolver: Any = None, **overrides: Any
) -> Iterator[RulesStack]:
    port = free_port()
    settings = settings_for(
        rules_db.app_url,
        sim_url,
        f"http://127.0.0.1:{port}",
        **{**PRODUCTION, "webhook_retry_schedule_s": NO_RETRY_DURING_THE_TEST, **overrides},
    )
    config = WebhookConfig.from_settings(settings)
    worker = _Worker(settings, dataclasses.replace(config, resolver=resolver) if resolver else config)
    tenant = run(make_tenant(settings, {"openai": "sk-unused", "avaturn": "av-unused"}))
    with ServerThread(create_app(settings), port=port) as app, httpx.Client(base_url=app.url, timeout=30) as http:
        if start_worker:
            worker.start()
        try:
            yield RulesStack(http, settings, Db(rules_db.owner_url), worker, tenant)
        finally:
            worker.stop()


def test_failing_often_but_briefly_stays_enabled_and_both_together_disable(
    rules_db: database.TestDatabase, sim_server
) -> None:
    failures = PRODUCTION["webhook_disable_after_failures"]
    with Receiver(default=500) as failing, rules_stack(rules_db, sim_server.url, webhook_allow_private_urls=True) as s:
        hook = s.add_hook(failing.url)
        # A busy tenant's receiver down for a deploy: more than N failures in a row within seconds.
        for _ in range(failures + 5):
            s.send_test(hook["id"])
        wait_for(lambda: len(s.attempts(hook["id"])) == failures + 5, what="every first attempt logged")
        got = s.hook(hook["id"])
        assert (got["enabled"], got["consecutive_failures"], got["disabled_at"], got["disabled_reason"]) == (
            True,
            failures + 5,
            None,
            None,
        ), got
        since = got["failing_since"]

        # Failing for just under T: one more failure still leaves it enabled.
        s.age_failures(hook["id"], timedelta(seconds=PRODUCTION["webhook_disable_after_s"]) - timedelta(hours=1))
        s.send_test(hook["id"])
        wait_for(lambda: s.hook(hook["id"])["consecutive_failures"] == failures + 6, what="the next failure counted")
        assert s.hook(hook["id"])["enabled"] is True
        assert (
            s.http.get(
                "/v1/audit-events", params={"action": "webhook.disabled"}, headers=auth(s.tenant.server_key)
            ).json()["items"]
            == []
        )

        # Failing for longer than T as well: the next failure disables it, says why, and the audit log has it.
        s.age_failures(hook["id"], timedelta(hours=2))
        aged_since = s.hook(hook["id"])["failing_since"]
        assert aged_since < since
        s.send_test(hook["id"])
        got = wait_for(lambda: (g := s.hook(hook["id"]))["disabled_at"] and g, what="the endpoint disabled")
        assert got["enabled"] is False and got["consecutive_failures"] == failures + 7
        assert got["disabled_reason"].startswith(
            f"Disabled after {failures + 7} failed deliveries in a row since {aged_since[:19]}"
        ), got["disabled_reason"]
        # The status and size of the last answer; its text stays in the delivery log (app/webhooks/outcomes.py).
        assert got["disabled_reason"].endswith("the last: HTTP 500, answer of 16 bytes"), got["disabled_reason"]
        audit = s.http.get(
            "/v1/audit-events", params={"action": "webhook.disabled"}, headers=auth(s.tenant.server_key)
        ).json()["items"]
        assert [
            (a["actor_type"], a["target_id"], a["after"]["enabled"], a["after"]["consecutive_failures"]) for a in audit
        ] == [("system", hook["id"], False, failures + 7)]
        assert len(failing.events()) == failures + 7  # one request per attempt, no retry within the test
        # Disabled means no new message is queued for it, and the test action says why.
        assert_problem(
            s.http.post(f"/v1/webhooks/{hook['id']}/test", headers=auth(s.tenant.server_key)), 409, "webhook-disabled"
        )


def test_failing_rarely_over_a_long_time_stays_enabled(rules_db: database.TestDatabase, sim_server) -> None:
    """A quiet tenant's receiver fails once, then sees nothing for a week: T alone does not disable."""
    with Receiver(default=500) as failing, rules_stack(rules_db, sim_server.url, webhook_allow_private_urls=True) as s:
        hook = s.add_hook(failing.url)
        s.send_test(hook["id"])
        wait_for(lambda: s.hook(hook["id"])["consecutive_failures"] == 1, what="the first failure counted")
        s.age_failures(hook["id"], timedelta(days=7))
        s.send_test(hook["id"])
        wait_for(lambda: s.hook(hook["id"])["consecutive_failures"] == 2, what="the second failure counted")
        got = s.hook(hook["id"])
        assert (got["enabled"], got["disabled_at"], got["disabled_reason"]) == (True, None, None)
        assert len(failing.events()) == 2


class _Dns:
    """A resolver that answers as a hostile or rebinding DNS server would: public-looking names, private addresses."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers, self.asked = answers, []  # type: ignore[var-annotated]

    async def __call__(self, hostname: str, port: int) -> list[str]:
        self.asked.append(hostname)
        if hostname not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "not known")
        return self.answers[hostname]


def test_a_name_resolving_to_a_private_address_is_refused_at_delivery(
    rules_db: database.TestDatabase, sim_server
) -> None:
    dns = _Dns(
        {
            "hooks.loopback.example": ["127.0.0.1"],
            "hooks.mixed.example": ["127.0.0.1", "93.184.216.34"],  # every address must be public, not one
            "hooks.mapped.example": ["::ffff:127.0.0.1"],
        }
    )  # IPv4-mapped IPv6 is judged as the IPv4 inside
    with Listener() as local, rules_stack(rules_db, sim_server.url, resolver=dns) as s:
        assert s.settings.webhook_private_urls_allowed is False
        # Saved: https, a public fully qualified name. The address is only known when it is called.
        hooks = {name: s.add_hook(f"https://{name}:{local.port}/in") for name in dns.answers}
        sent = {name: s.send_test(h["id"]) for name, h in hooks.items()}

        for name, h in hooks.items():
            [attempt] = wait_for(functools.partial(s.attempts, h["id"]), what=f"the attempt to {name} logged")
            assert (attempt["message_id"], attempt["outcome"], attempt["status_code"], attempt["attempt"]) == (
                sent[name],
                "failed",
                None,
                1,
            )
            assert attempt["error"] == "refused: The host name resolves to a private, loopback or reserved address."
            assert attempt["next_attempt_at"] is not None  # a failure like any other: retried, and counted
            assert s.hook(h["id"])["consecutive_failures"] == 1
        # Each attempt is logged only after its request would have been made: nothing reached the address.
        assert local.connections == 0
        assert sorted(dns.asked) == sorted(dns.answers)  # resolved once per attempt


class _DnsThenSystem(_Dns):
    """The hostile answers for its names, the system's resolver for everything else (0x7f.1 is 127.0.0.1 to it)."""

    async def __call__(self, hostname: str, port: int) -> list[str]:
        if hostname in self.answers:
            return await super().__call__(hostname, port)
        self.asked.append(hostname)
        return await system_resolver(hostname, port)


# URLs the rule before issue 11 let through when they were saved, and that the system's resolver reads as loopback.
STORED_BEFORE = {
    "https://0x7f.1:{port}/in": bypasses.UNUSUAL,
    "https://127.1:{port}/in": bypasses.UNUSUAL,
    "https://１２７.０.０.１:{port}/in": bypasses.PRIVATE,
    "https://[64:ff9b::7f00:1]:{port}/in": r"\(NAT64\)",
    "https://[2002:7f00:1::1]:{port}/in": r"\(6to4\)",
    "https://[::127.0.0.1]:{port}/in": r"\(IPv4-compatible\)",
}


def test_internal_addresses_in_ipv6_clothing_and_urls_stored_under_an_older_rule_fail_at_delivery(
    rules_db: database.TestDatabase, sim_server
) -> None:
    """The table of tests/webhooks/bypasses.py through the real worker and the delivery log: names whose DNS answers
    carry an internal IPv4 address in IPv6 clothing, and URLs saved before the rule refused them (written to the
    table directly, as they are in a database that was running then). Each is one failed attempt that says why,
    counted like any failure, and nothing reaches the listener on 127.0.0.1."""
    dns = _DnsThenSystem({name: answers for name, answers, _ in bypasses.RESOLVED})
    with Listener() as local, rules_stack(rules_db, sim_server.url, resolver=dns) as s:
        says: dict[str, tuple[str, str]] = {}  # hook id -> (the start of its error, what it must say)
        for name, _, why in bypasses.RESOLVED:
            hook = s.add_hook(f"https://{name}:{local.port}/in")
            says[hook["id"]] = ("refused: The host name resolves to ", why)
        for template, why in STORED_BEFORE.items():
            hook = s.add_hook("https://hooks.stored-before.example/in")
            s.db.execute(
                "update webhook_endpoints set url = $2 where id = $1",
                uuid.UUID(hook["id"]),
                template.format(port=local.port),
            )
            says[hook["id"]] = ("refused: The URL", why)
        sent = {hook_id: s.send_test(hook_id) for hook_id in says}

        for hook_id, (start, why) in says.items():
            [attempt] = wait_for(functools.partial(s.attempts, hook_id), what="the attempt logged")
            assert (attempt["message_id"], attempt["outcome"], attempt["status_code"]) == (
                sent[hook_id],
                "failed",
                None,
            )
            assert attempt["error"].startswith(start) and re.search(why, attempt["error"]), attempt["error"]
            assert attempt["next_attempt_at"] is not None and s.hook(hook_id)["consecutive_failures"] == 1
        assert local.connections == 0
        assert sorted(dns.asked) == sorted(name for name, _, _ in bypasses.RESOLVED)  # the stored URLs: never


def test_queued_messages_for_a_deleted_endpoint_are_dropped(rules_db: database.TestDatabase, sim_server) -> None:
    with (
        Receiver(default=500) as gone,
        Receiver() as kept,
        rules_stack(rules_db, sim_server.url, start_worker=False, webhook_allow_private_urls=True) as s,
    ):
        deleted, other = s.add_hook(gone.url), s.add_hook(kept.url)
        # Queued while no worker runs (a backlog): two messages for the endpoint about to go, one for another.
        queued = [s.send_test(deleted["id"]), s.send_test(deleted["id"])]
        assert s.http.delete(f"/v1/webhooks/{deleted['id']}", headers=auth(s.tenant.server_key)).status_code == 204
        marker = s.send_test(other["id"])
        s.worker.start()
        wait_for(lambda: kept.ids() == [marker], what="the other endpoint's message")
        states = lambda ids: [s.db.value("select state from jobs where payload->>'message_id' = $1", m) for m in ids]  # noqa: E731
        wait_for(lambda: states(queued) == ["done", "done"], what="the dropped messages to end")
        assert gone.events() == []

        # A message that failed once and waits for its retry is dropped at that retry, too.
        again = s.add_hook(gone.url)
        failed = s.send_test(again["id"])
        wait_for(lambda: s.attempts(again["id"]), what="the first, failed attempt")
        assert s.http.delete(f"/v1/webhooks/{again['id']}", headers=auth(s.tenant.server_key)).status_code == 204
        s.db.execute(
            "update jobs set run_after = clock_timestamp() where payload->>'message_id' = $1", failed
        )  # due now
        wait_for(lambda: states([failed]) == ["done"], what="the retry to end")
        assert [r.message_id for r in gone.events()] == [failed]  # the first attempt only
