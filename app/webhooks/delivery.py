"""The worker's `webhook.deliver` handler: sign and POST; what the attempt leaves behind (the delivery log, the
failure count, disabling what keeps failing) is app/webhooks/outcomes.py.

One job per (event, endpoint). An attempt's outcome is written in the transaction that records the job's outcome
(the runner's `after` follow-up), so a success is in the log exactly when the job is done and never sent again.
Retries follow `GREENROOM_WEBHOOK_RETRY_SCHEDULE_S`, not the provider-DELETE backoff; the same `webhook-id` and
body go out on every attempt, with a fresh timestamp and signature. A failed message whose endpoint was deleted
while it was in flight is dropped there: no retry, one log line.

A failing receiver's answer is read for its size and its first SNIPPET characters; the characters go to the
tenant's delivery log only, never to a log line or the job (app/webhooks/outcomes.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import time
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.engine import transaction
from app.jobs.outbox import JobFailed
from app.vault.crypto import Vault
from app.webhooks import outcomes, repository, signing
from app.webhooks.outcomes import Answer, Attempt
from app.webhooks.urls import Resolver, Target, UrlRefused, resolve, system_resolver

log = logging.getLogger("greenroom.webhooks")

# Standard Webhooks' (Svix's) schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
DEFAULT_SCHEDULE_S = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
USER_AGENT = "Greenroom-Webhooks/1"
SNIPPET = 200  # characters of a failing receiver's answer kept in the tenant's delivery log
SIZE_CAP = 65536  # bytes of it counted; a longer answer is "over" this

# httpx logs every request's URL at INFO. A receiver's URL can carry its own token (in the path or the query),
# so those lines are dropped while a delivery is being sent; ours name the endpoint by id only.
_DELIVERING: contextvars.ContextVar[bool] = contextvars.ContextVar("greenroom_webhook_delivering", default=False)


class _NoReceiverUrls(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _DELIVERING.get()


logging.getLogger("httpx").addFilter(_NoReceiverUrls())


@dataclass(frozen=True)
class WebhookConfig:
    retry_schedule_s: tuple[float, ...] = DEFAULT_SCHEDULE_S
    timeout_s: float = 10.0
    disable_after_failures: int = 15
    disable_after_s: float = 5 * 86400
    allow_private_urls: bool = False
    # How receiver host names are resolved at delivery (the address check applies to whatever it answers).
    resolver: Resolver = system_resolver

    @classmethod
    def from_settings(cls, settings: Any) -> WebhookConfig:
        return cls(
            tuple(settings.webhook_retry_schedule_s),
            settings.webhook_timeout_s,
            settings.webhook_disable_after_failures,
            settings.webhook_disable_after_s,
            settings.webhook_private_urls_allowed,
        )

    @property
    def max_attempts(self) -> int:
        return len(self.retry_schedule_s) + 1

    def backoff_s(self, attempts: int) -> float:
        """The wait after the `attempts`-th failed attempt (no jitter: the log can say when the next one is)."""
        if not self.retry_schedule_s:
            return 0.0
        return self.retry_schedule_s[min(max(attempts, 1), len(self.retry_schedule_s)) - 1]


def body_of(event: dict[str, Any]) -> bytes:
    """The same bytes on every attempt: the event as queued, in a fixed key order."""
    return json.dumps(
        {"type": event["type"], "timestamp": event["timestamp"], "data": event["data"]}, separators=(",", ":")
    ).encode()


class Deliverer:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], vault: Vault, config: WebhookConfig) -> None:
        self.sessions, self.vault, self.config = sessions, vault, config
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        # No keep-alive: each connection is pinned to one checked address and one TLS server name, so a pooled
        # connection must never carry another receiver's request. No proxies from the environment, no redirects.
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.config.timeout_s,
                follow_redirects=False,
                trust_env=False,
                limits=httpx.Limits(max_keepalive_connections=0),
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def deliver(self, job: Any) -> Any:
        endpoint_id, message_id, event = (
            uuid.UUID(job.payload["endpoint_id"]),
            job.payload["message_id"],
            job.payload["event"],
        )
        async with transaction(self.sessions, job.tenant_id) as db:
            endpoint = await repository.for_delivery(db, job.tenant_id, endpoint_id)
            secrets = await repository.signing_secrets(db, job.tenant_id, endpoint_id)
        if endpoint is None or not endpoint.enabled:
            log.info(
                "webhook %s not sent: endpoint %s is %s", message_id, endpoint_id, "disabled" if endpoint else "deleted"
            )
            return None
        if not secrets:
            raise JobFailed("the endpoint has no signing secret")
        body = body_of(event)
        sign_with = [signing.reveal(self.vault, s) for s in secrets]
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            **signing.headers(sign_with, message_id, int(time.time()), body),
        }
        started = time.monotonic()
        answer = await self._post(endpoint.url, headers, body)
        duration_ms = int((time.monotonic() - started) * 1000)
        attempt = Attempt(job.tenant_id, endpoint_id, message_id, event["type"], job.attempts, duration_ms, answer)
        if answer.error is None:
            return partial(outcomes.succeeded, attempt)
        if await self._deleted_meanwhile(job.tenant_id, endpoint_id):
            log.info(
                "webhook %s dropped: endpoint %s was deleted while the message was in flight (%s)",
                message_id,
                endpoint_id,
                answer.summary,
            )
            return None
        final = job.attempts >= self.config.max_attempts
        failed = partial(
            outcomes.failed,
            attempt,
            retry_in_s=None if final else self.config.backoff_s(attempt.number),
            disable_after_failures=self.config.disable_after_failures,
            disable_after_s=self.config.disable_after_s,
        )
        raise JobFailed(f"webhook {message_id}: {answer.summary}"[:300], after=failed)

    async def _deleted_meanwhile(self, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> bool:
        """After a failed attempt: whether the endpoint is gone, so the message ends here rather than being retried
        (the outcome's own check covers a delete that comes after this one)."""
        async with transaction(self.sessions, tenant_id) as db:
            return await repository.for_delivery(db, tenant_id, endpoint_id) is None

    async def _post(self, url: str, headers: dict[str, str], body: bytes) -> Answer:
        """What came of one POST, in our words (never the URL), with the size and start of a failing answer."""
        delivering = _DELIVERING.set(True)
        try:
            async with asyncio.timeout(self.config.timeout_s):
                target = await resolve(url, allow_private=self.config.allow_private_urls, resolver=self.config.resolver)
                response = await self._send(target, headers, body)
                try:
                    if 200 <= response.status_code < 300:
                        return Answer(response.status_code, None)
                    size, more, excerpt = await _read_answer(response)
                finally:
                    await response.aclose()
        except UrlRefused as exc:
            return Answer(None, f"refused: {exc}")
        except (TimeoutError, httpx.TimeoutException):
            return Answer(None, f"no answer within {self.config.timeout_s:g} s")
        except httpx.HTTPError as exc:
            return Answer(None, f"connection failed ({type(exc).__name__})")
        finally:
            _DELIVERING.reset(delivering)
        redirect = " (redirects are not followed)" if 300 <= response.status_code < 400 else ""
        return Answer(response.status_code, f"HTTP {response.status_code}{redirect}", size, more, excerpt)

    async def _send(self, target: Target, headers: dict[str, str], body: bytes) -> httpx.Response:
        """To the first checked address that takes the connection (none received anything from a refused one)."""
        for i, pinned in enumerate(target.urls):
            request = self.client.build_request(
                "POST",
                pinned,
                content=body,
                headers={**headers, "host": target.host},
                extensions={"sni_hostname": target.sni} if target.sni else None,
            )
            try:
                return await self.client.send(request, stream=True)
            except httpx.ConnectError:
                if i == len(target.urls) - 1:
                    raise
        raise AssertionError("resolve() returns at least one address")


async def _read_answer(response: httpx.Response) -> tuple[int, bool, str]:
    """(bytes counted, whether there were more than SIZE_CAP, the first SNIPPET characters on one line)."""
    start, size = b"", 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if len(start) < SNIPPET * 4:  # enough bytes for SNIPPET characters of any UTF-8
            start += chunk[: SNIPPET * 4 - len(start)]
        if size > SIZE_CAP:
            return SIZE_CAP, True, _one_line(start)
    return size, False, _one_line(start)


def _one_line(data: bytes) -> str:
    return " ".join(data.decode(errors="replace").split())[:SNIPPET]
