"""One settings object for every process; environment prefix GREENROOM_.

At the bottom of the import rules (it imports nothing else of the app), so every layer may read it; the identity
provider settings it parses are next to it in app/settings/identity_providers.py.
"""

from __future__ import annotations

import base64
import ipaddress
from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.settings.identity_providers import PROVIDER_NAME, ProviderConfig

# Values that ship in examples and docs; outside dev mode they are refused.
DEFAULT_SIGNING_KEY = "change-me"
DEFAULT_MASTER_KEYS = "1:change-me"
# Standard Webhooks' schedule, in seconds between a failed delivery attempt and the next.
DEFAULT_RETRY_SCHEDULE_S: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
# Where `npm run build` in web/ puts the admin console (the image copies web/dist beside app/ too).
DEFAULT_CONSOLE_DIST = Path(__file__).resolve().parents[2] / "web" / "dist" / "console"


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GREENROOM_", extra="ignore")

    dev_mode: bool = Field(False, description="Development mode: relaxes the secret checks and cookie rules.")
    database_url: str | None = Field(
        None, description="PostgreSQL URL (postgresql+asyncpg://...). Unset in dev: embedded server."
    )
    owner_database_url: str | None = Field(
        None,
        description="URL of the role that owns the schema: runs migrations and operator-wide maintenance "
        "(`vault rotate`). Defaults to the database URL. The app itself connects as `greenroom_app`.",
    )
    database_pool_size: int = Field(10, ge=1)
    signing_key: SecretStr | None = Field(None, description="Signs admin sessions and tokens. Required outside dev.")
    master_keys: SecretStr | None = Field(
        None,
        description="Versioned master keyset for the vault: `1:<base64 32 bytes>,2:<...>`; the highest version "
        "wraps new secrets.",
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="Base URL browsers and tenant backends use to reach the app."
    )
    openai_base_url: str = "https://api.openai.com/v1"
    avaturn_base_url: str = "https://api.avaturn.live"
    avaturn_sdk_api_host: str | None = Field(
        None, description="apiHost handed to the browser SDK; defaults to avaturn_base_url."
    )
    cartesia_base_url: str = "https://api.cartesia.ai"
    cartesia_version: str = "2025-04-16"
    upstream_timeout_s: float = Field(10.0, gt=0)
    upstream_max_connections: int = Field(100, ge=1)
    client_secret_ttl_s: int = Field(120, ge=10, le=7200, description="expires_after for minted OpenAI client secrets.")
    cartesia_token_ttl_s: int = Field(300, ge=1, le=3600)
    default_max_duration_s: int = Field(3600, ge=60, le=86400)
    heartbeat_interval_s: int = Field(20, ge=1)
    widget_rate_per_minute: int = Field(120, ge=1, description="New widget sessions a minute per widget key (default).")
    visitor_rate_per_minute: int = Field(10, ge=1, description="New widget sessions a minute per visitor (IP) and key.")
    demo_widget_key: str | None = Field(None, description="Widget key the /demo page embeds (set by `greenroom dev`).")
    console_dist: Path = Field(
        DEFAULT_CONSOLE_DIST,
        description="The built admin console (`index.html` and `assets/`), served at /console/. Default: "
        "web/dist/console beside the app, where `npm run build` in web/ (and the image) put it.",
    )
    log_format: str = Field("json", description="`json` (production) or `text` (readable, dev).")
    log_level: str = "INFO"
    # Sign-in and admin sessions (docs/security.md).
    identity_providers: dict[str, ProviderConfig] = Field(
        default_factory=dict,
        description='JSON: {"name": {"preset": "oidc|google|entra|github", "client_id": ..., ...}}.',
    )
    signup_enabled: bool = Field(
        True, description="A first sign-in without an invitation creates a tenant (self-serve)."
    )
    operator_accounts: list[str] = Field(
        default_factory=list, description='JSON list of "<issuer>#<subject>": operator accounts.'
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description='JSON list of the addresses or networks of your reverse proxies, e.g. ["10.0.0.0/8"]. Only a '
        "request from one of them may name its client in X-Forwarded-For (rate limits per visitor, the audit log); "
        "empty (the default): forwarded headers are ignored and the peer address is the client.",
    )
    session_idle_s: int = Field(1800, ge=60, description="An admin session ends after this long without a request.")
    session_absolute_s: int = Field(
        43200, ge=300, description="An admin session ends this long after sign-in, whatever happens."
    )
    invitation_ttl_s: int = Field(7 * 86400, ge=300, description="How long an invitation stays valid.")
    sign_in_ttl_s: int = Field(600, ge=30, le=3600, description="How long a started sign-in may take.")
    # The reaper (docs/decisions/0010-reaper.md), inside `greenroom worker`.
    heartbeat_grace_s: int | None = Field(
        None,
        ge=1,
        description="A widget session without a heartbeat for this long is ended (`heartbeat_lost`). "
        "Unset: 3 × heartbeat_interval_s.",
    )
    starting_timeout_s: int = Field(
        60,
        ge=1,
        description="A session still `starting` after this long is failed (`start_timeout`); keep it above "
        "the create sequence's worst case (two upstream calls of upstream_timeout_s).",
    )
    reaper_interval_s: float = Field(5.0, gt=0, description="How often each worker runs a reaper pass.")
    reaper_batch: int = Field(100, ge=1, le=10000, description="Sessions a reaper pass picks per short transaction.")
    metrics_token: SecretStr | None = Field(
        None,
        description="`/metrics` on the app's port answers only `Authorization: Bearer <token>`. Unset (or empty): "
        "closed outside dev mode (401), open in dev mode.",
    )
    ground_truth_url: str | None = Field(
        None,
        description="Where the reconciliation report reads the provider's own record of sessions: the "
        "simulator's base URL in dev and tests (`greenroom dev` sets it). Avaturn offers no such endpoint.",
    )

    # Webhooks to tenants (docs/decisions/0014-webhooks.md), delivered by `greenroom worker`.
    webhook_retry_schedule_s: list[float] = Field(
        default_factory=lambda: list(DEFAULT_RETRY_SCHEDULE_S),
        max_length=20,
        description="Seconds between a failed delivery attempt and the next (Standard Webhooks' schedule: 5 s, "
        "5 min, 30 min, 2 h, 5 h, 10 h, 10 h); one attempt more than entries, about 27 hours in all by default.",
    )
    webhook_timeout_s: float = Field(
        10.0,
        gt=0,
        le=30,
        description="A receiver must answer within this; kept well under the worker's 60 s job lease.",
    )
    webhook_disable_after_failures: int = Field(
        15, ge=1, description="An endpoint is disabled after this many failed attempts in a row ..."
    )
    webhook_disable_after_s: float = Field(
        5 * 86400, ge=0, description="... once it has also been failing, without a success, for this long (5 days)."
    )
    webhook_allow_private_urls: bool = Field(
        False,
        description="Allow http:// and loopback, private and link-local receivers (development and tests; "
        "always on in dev mode). Never in production: it lets tenants make the worker call inside your network.",
    )

    @field_validator("webhook_retry_schedule_s")
    @classmethod
    def _retry_schedule(cls, v: list[float]) -> list[float]:
        if any(delay < 0 for delay in v):
            raise ValueError("webhook_retry_schedule_s: delays must not be negative")
        return v

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _empty_metrics_token(cls, v: object) -> object:
        """An empty value (`GREENROOM_METRICS_TOKEN=`, as compose passes an unset variable) is no token at all."""
        return None if v == "" else v

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, v: list[str]) -> list[str]:
        for entry in v:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"trusted_proxies: {entry!r} is not an IP address or network") from None
        return v

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, v: str) -> str:
        if v not in ("json", "text"):
            raise ValueError("log_format must be json or text")
        return v

    @field_validator("identity_providers")
    @classmethod
    def _provider_names(cls, v: dict[str, ProviderConfig]) -> dict[str, ProviderConfig]:
        bad = [name for name in v if not PROVIDER_NAME.match(name)]
        if bad:
            raise ValueError(f"provider names must be lower-case slugs: {bad}")
        return v

    @property
    def migrations_url(self) -> str | None:
        return self.owner_database_url or self.database_url

    @property
    def webhook_private_urls_allowed(self) -> bool:
        return self.dev_mode or self.webhook_allow_private_urls

    @property
    def sdk_api_host(self) -> str:
        return self.avaturn_sdk_api_host or self.avaturn_base_url

    @cached_property
    def master_keyset(self) -> dict[int, bytes]:
        """Parse `version:base64key,...` into {version: 32-byte key}."""
        raw = self.master_keys.get_secret_value() if self.master_keys else ""
        keys: dict[int, bytes] = {}
        for part in filter(None, (p.strip() for p in raw.split(","))):
            version, _, b64 = part.partition(":")
            try:
                key = base64.b64decode(b64, validate=True)
                keys[int(version)] = key
            except ValueError as exc:
                raise ConfigError(f"GREENROOM_MASTER_KEYS: entry for version {version!r} is not `int:base64`") from exc
            if len(key) != 32:
                raise ConfigError(f"GREENROOM_MASTER_KEYS: version {version} must be 32 bytes (base64), got {len(key)}")
        if not keys:
            raise ConfigError("GREENROOM_MASTER_KEYS is missing: set `1:<base64 of 32 random bytes>`")
        return keys

    def check_secrets(self) -> None:
        """Refuse to run outside dev mode with missing or default secrets; say which."""
        if self.dev_mode:
            return
        sk = self.signing_key.get_secret_value() if self.signing_key else ""
        if not sk:
            raise ConfigError("GREENROOM_SIGNING_KEY is missing: set a random value of at least 32 characters")
        if sk == DEFAULT_SIGNING_KEY or len(sk) < 32:
            raise ConfigError("GREENROOM_SIGNING_KEY is the default or shorter than 32 characters: set a random value")
        mk = self.master_keys.get_secret_value() if self.master_keys else ""
        if not mk:
            raise ConfigError("GREENROOM_MASTER_KEYS is missing: set `1:<base64 of 32 random bytes>`")
        if mk == DEFAULT_MASTER_KEYS:
            raise ConfigError(
                "GREENROOM_MASTER_KEYS is the default: generate one with "
                "`python -c \"import os,base64;print('1:'+base64.b64encode(os.urandom(32)).decode())\"`"
            )
        _ = self.master_keyset
        if not self.database_url:
            raise ConfigError("GREENROOM_DATABASE_URL is missing (only `greenroom dev` runs an embedded PostgreSQL)")
