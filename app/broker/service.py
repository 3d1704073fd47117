"""The session broker: starting a session in four steps, and reading one back.

1. Tx 1 (short): authorise, find the agent and credentials, insert the session as `starting`.
2. No transaction: decrypt keys, mint the engine credential, create the Avaturn session.
3. Tx 2: mark `active` with the upstream id and the start time: the database clock at the provider's answer.
4. Any failure after the upstream create enqueues (or, failing that, performs) its deletion.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.agents.schemas import ENGINE_PROVIDERS, OpenAIRealtimeEngine
from app.auth.principal import Authenticate
from app.broker import repository
from app.broker.history import HistoryFilter, session_row, sessions_page
from app.broker.limits import reserve_slot
from app.broker.schemas import SessionList, SessionOut
from app.db.engine import transaction
from app.errors import Problem
from app.jobs.outbox import enqueue_upstream_delete
from app.kit.tokens import hash_token, new_session_token
from app.metering.budgets import within_budget
from app.metering.service import budget, record_started
from app.settings import Settings
from app.upstream import Upstreams
from app.upstream.avaturn import CreatedSession
from app.upstream.errors import UpstreamError
from app.vault.crypto import Vault
from app.vault.service import load_credentials, reveal
from app.webhooks.events import report_invalid_credential, session_started

log = logging.getLogger("greenroom.broker")


def answered_at(answered: float) -> ColumnElement[Any]:
    """The moment the provider's create answer arrived, on the database clock: now, less the time since then.

    Tx 2 may wait for a pooled connection (seconds, in a burst of creates); stamping `clock_timestamp()` alone
    would start the meter that much after the provider did. Evaluated as the statement is built, inside Tx 2.
    """
    return func.clock_timestamp() - func.make_interval(0, 0, 0, 0, 0, 0, max(0.0, time.monotonic() - answered))


@dataclass(frozen=True)
class StartedSession:
    session_id: uuid.UUID
    expires_at: datetime
    token: str  # the provider's per-session token for the browser SDK; never stored
    session_token: str  # ours, for heartbeat and end calls; stored hashed


@dataclass(frozen=True)
class _Plan:
    session_id: uuid.UUID
    tenant_id: uuid.UUID
    agent: Any  # a row of agents (slug, engine, engine_config, avatar)
    credentials: dict[str, Any]  # provider -> row of provider_credentials, still encrypted
    max_duration_s: int
    session_token: str


class Broker:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], vault: Vault, upstreams: Upstreams, settings: Settings
    ) -> None:
        self.sessions, self.vault, self.upstreams, self.settings = sessions, vault, upstreams, settings

    async def start(self, authenticate: Authenticate, agent_slug: str) -> StartedSession:
        """Authenticate inside Tx 1 (one transaction, not two, on the hot path), then the steps above."""
        plan = await self._reserve(authenticate, agent_slug)
        created = await self._create_upstream(plan)
        answered = time.monotonic()  # the provider's answer is in hand: the session runs upstream from here
        return await self._activate(plan, created, answered)

    # Step 1 -----------------------------------------------------------------------------------
    async def _reserve(self, authenticate: Authenticate, agent_slug: str) -> _Plan:
        async with transaction(self.sessions) as db:
            caller = await authenticate(db)  # also scopes this transaction to the caller's tenant
            agent = await repository.agent_to_start(db, caller.tenant, agent_slug)
            if agent is None:
                raise Problem("unknown-agent", f"No agent with slug `{agent_slug}` in this tenant.")
            if caller.kind == "widget_key" and caller.agent_id not in (None, agent.id):
                raise Problem("agent-not-allowed", f"This widget key may not start agent `{agent_slug}`.")
            needed = ["avaturn", ENGINE_PROVIDERS[agent.engine]]
            creds = await load_credentials(db, caller.tenant, needed)
            missing = [p for p in needed if p not in creds]
            if missing:
                raise Problem(
                    "missing-credential",
                    f"Agent `{agent_slug}` needs a {' and a '.join(missing)} key; add it in the credentials.",
                    missing=missing,
                )
            await reserve_slot(db, caller.tenant, agent, caller.widget_key_id)
            max_duration = min(
                int(agent.avatar.get("max_duration", 3600)),
                self.settings.default_max_duration_s,
                agent.max_session_s or 86400,
            )
            if agent.monthly_minutes is not None:
                max_duration = within_budget(await budget(db, caller.tenant), max_duration)
            token, session_id = new_session_token(), uuid.uuid4()
            await repository.insert_starting(
                db,
                id=session_id,
                tenant_id=caller.tenant,
                agent_id=agent.id,
                agent_slug=agent.slug,
                engine=agent.engine,
                api_key_id=caller.api_key_id,
                widget_key_id=caller.widget_key_id,
                origin=caller.origin,
                max_duration_s=max_duration,
                heartbeat_token_hash=hash_token(token),
            )
            return _Plan(session_id, caller.tenant, agent, creds, max_duration, token)

    # Step 2 -----------------------------------------------------------------------------------
    async def _create_upstream(self, plan: _Plan) -> CreatedSession:
        try:
            # Every key is decrypted before the first upstream call: a ciphertext that does not belong to this
            # tenant and row fails closed here, and no provider is called with anything.
            keys = {provider: reveal(self.vault, cred) for provider, cred in plan.credentials.items()}
            engine = await self._engine(plan, keys)
            return await self.upstreams.avaturn.create_session(keys["avaturn"], self._avaturn_body(plan, engine))
        except UpstreamError as exc:
            await self._mark_failed(plan, f"{exc.provider}: {exc.kind}: {exc}")
            if exc.kind == "auth" and exc.provider in plan.credentials:  # credential.invalid, in its own transaction
                await report_invalid_credential(
                    self.sessions,
                    plan.tenant_id,
                    plan.credentials[exc.provider].id,
                    status=exc.status,
                    during="session.create",
                )
            raise exc.to_problem() from None
        except Problem as exc:
            await self._mark_failed(plan, exc.detail or exc.title)
            raise
        except BaseException:
            await self._mark_failed(plan, "internal error while starting")
            raise

    async def _engine(self, plan: _Plan, keys: dict[str, str]) -> dict[str, Any]:
        agent, cfg = plan.agent, plan.agent.engine_config
        if agent.engine == "openai-realtime":
            session = OpenAIRealtimeEngine(**cfg).session_config()
            secret = await self.upstreams.openai.mint(
                keys["openai"], ttl_s=self.settings.client_secret_ttl_s, session=session
            )
            return {"type": "openai-realtime", "client_secret": secret.value}
        token = await self.upstreams.cartesia.access_token(keys["cartesia"], self.settings.cartesia_token_ttl_s)
        return {"type": "cartesia", "access_token": token, "agent_id": cfg["agent_id"]}

    @staticmethod
    def _avaturn_body(plan: _Plan, engine: dict[str, Any]) -> dict[str, Any]:
        avatar = plan.agent.avatar
        return {
            "conversation_engine": engine,
            "avatar_id": avatar.get("avatar_id", "jane_20240829"),
            "background": avatar.get("background", "default"),
            "model": avatar.get("render_model", "delta"),
            "user_absent_timeout": int(avatar.get("user_absent_timeout", 60)),
            "max_duration": plan.max_duration_s,
        }

    async def _mark_failed(self, plan: _Plan, error: str) -> None:
        async with transaction(self.sessions, plan.tenant_id) as db:
            await repository.mark_failed(db, plan.session_id, error)

    # Steps 3 and 4 ----------------------------------------------------------------------------
    async def _activate(self, plan: _Plan, created: CreatedSession, answered: float) -> StartedSession:
        try:
            async with transaction(self.sessions, plan.tenant_id) as db:
                started_at = answered_at(answered)
                started = await repository.activate(
                    db, plan.session_id, created.session_id, started_at, plan.max_duration_s
                )
                expires_at = started.expires_at if started else None
                if started is None:  # terminated while it was starting: it must still end upstream, and be metered
                    await repository.record_upstream(db, plan.session_id, created.session_id, answered_at(answered))
                    await enqueue_upstream_delete(db, plan.tenant_id, plan.session_id, created.session_id)
                else:
                    await record_started(db, plan.tenant_id, plan.session_id)
                    await session_started(
                        db,
                        plan.tenant_id,
                        plan.session_id,
                        plan.agent.slug,
                        started.started_at,
                        started.expires_at,
                        plan.max_duration_s,
                    )
            if expires_at is None:
                raise Problem("session-not-found", "The session was ended before it finished starting.", status=409)
            return StartedSession(plan.session_id, expires_at, created.token, plan.session_token)
        except Problem:
            raise
        except BaseException:
            await self._compensate(plan, created.session_id, answered)
            raise

    async def _compensate(self, plan: _Plan, upstream_id: str, answered: float) -> None:
        """Tx 2 failed: record the upstream session for deletion, or delete it now if the DB is gone too."""
        log.warning("activation failed for session %s; ending upstream session", plan.session_id)
        try:
            async with transaction(self.sessions, plan.tenant_id) as db:
                await repository.mark_activation_failed(db, plan.session_id, upstream_id, answered_at(answered))
                await enqueue_upstream_delete(db, plan.tenant_id, plan.session_id, upstream_id)
            return
        except Exception:
            log.exception("could not record compensation for session %s; deleting upstream directly", plan.session_id)
        try:
            await self.upstreams.avaturn.delete_session(reveal(self.vault, plan.credentials["avaturn"]), upstream_id)
        except Exception:
            log.exception("direct upstream delete failed for session %s", plan.session_id)


async def session_view(db: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> SessionOut:
    """The tenant's session as its list shows it, metered seconds included, or 404 `session-not-found`."""
    row = await session_row(db, tenant_id, session_id)
    if row is None:
        raise Problem("session-not-found")
    return SessionOut.from_history(row)


async def list_sessions(
    db: AsyncSession, tenant_id: uuid.UUID, f: HistoryFilter, *, limit: int, cursor: str | None
) -> SessionList:
    """A page of the tenant's sessions, newest first, with what the ledger metered (`GET /v1/sessions`)."""
    rows, next_cursor = await sessions_page(db, tenant_id, f.check(), limit=limit, cursor=cursor)
    return SessionList(items=[SessionOut.from_history(r) for r in rows], next_cursor=next_cursor)
