"""The demo tenant: simulator keys, an agent `demo`, a widget key for the demo page, a server key.

Seeded once: a restart of `greenroom dev` finds what it made and changes nothing an admin may have changed since
(a provider key they replaced, origins they set). It only adds the demo page's origin to the demo widget key when
the port changed, so the demo page keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents.schemas import AgentSpec, AvatarSettings, OpenAIRealtimeEngine
from app.agents.service import agent_by_slug, create_agent
from app.auth.models import ApiKey, WidgetKey
from app.db.engine import make_engine, make_sessionmaker, transaction
from app.keys.service import issue_server_key, issue_widget_key
from app.kit.origins import normalize_origin
from app.kit.tokens import hash_token
from app.tenants.models import Membership, Tenant
from app.vault.crypto import Vault
from app.vault.models import ProviderCredential
from app.vault.service import store_credential


@dataclass(frozen=True)
class DemoSecrets:
    server_key: str
    widget_key: str
    openai_key: str
    avaturn_key: str
    cartesia_key: str


async def seed_demo(
    database_url: str, vault: Vault, secrets: DemoSecrets, origins: list[str], idp_issuer: str | None = None
) -> None:
    engine = make_engine(database_url, null_pool=True)
    sessions = make_sessionmaker(engine)
    try:
        async with transaction(sessions) as db:
            tenant = await db.scalar(select(Tenant).where(Tenant.slug == "demo"))
            if tenant is None:
                tenant = Tenant(name="Demo", slug="demo")
                db.add(tenant)
                await db.flush()
        async with transaction(sessions, tenant.id) as db:
            stored = set(
                await db.scalars(select(ProviderCredential.provider).where(ProviderCredential.tenant_id == tenant.id))
            )
            for provider, key in (
                ("openai", secrets.openai_key),
                ("avaturn", secrets.avaturn_key),
                ("cartesia", secrets.cartesia_key),
            ):
                if provider not in stored:
                    await store_credential(db, vault, tenant_id=tenant.id, provider=provider, secret=key)
            if await agent_by_slug(db, tenant.id, "demo") is None:
                await create_agent(
                    db,
                    tenant.id,
                    AgentSpec(
                        slug="demo",
                        name="Demo assistant",
                        engine=OpenAIRealtimeEngine(instructions="You are a friendly support assistant for Acme."),
                        avatar=AvatarSettings(max_duration=600),
                    ),
                )
            if await db.scalar(select(ApiKey).where(ApiKey.key_hash == hash_token(secrets.server_key))) is None:
                await issue_server_key(db, tenant.id, label="dev", key=secrets.server_key)
            widget = await db.scalar(select(WidgetKey).where(WidgetKey.key == secrets.widget_key))
            if widget is None:
                await issue_widget_key(db, tenant.id, origins, label="demo page", key=secrets.widget_key)
            else:
                wanted = [o for o in (normalize_origin(x) for x in origins) if o]
                missing = [o for o in wanted if o not in widget.allowed_origins]
                if missing:
                    widget.allowed_origins = [*widget.allowed_origins, *missing]
        if idp_issuer:
            async with transaction(sessions, tenant.id) as db:
                await seed_owner(db, tenant, idp_issuer)
    finally:
        await engine.dispose()


async def seed_owner(db: AsyncSession, tenant: Tenant, issuer: str) -> None:
    """`alice` of the dev identity provider owns the Demo tenant. The dev provider's issuer has the port in it, so a
    restart on another port makes a new user row: the (issuer, subject) pair is the identity, as in production."""
    from app.tenants.service import upsert_user
    from devtools.identity_provider import DEMO_USERS

    alice = DEMO_USERS[0]
    user = await upsert_user(
        db,
        issuer=issuer,
        subject=str(alice["sub"]),
        email=str(alice["email"]),
        email_verified=True,
        name=str(alice["name"]),
    )
    exists = await db.scalar(select(Membership).where(Membership.tenant_id == tenant.id, Membership.user_id == user.id))
    if exists is None:
        db.add(Membership(tenant_id=tenant.id, user_id=user.id, role="owner"))
