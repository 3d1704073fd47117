"""In-memory ground truth of the simulator: keys, secrets, sessions, a settable clock, expiry."""

from __future__ import annotations

import hashlib
import hmac
import secrets as _secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from devtools.simulator.faults import FaultBook

PROVIDERS = ("openai", "avaturn", "cartesia")


# In `greenroom dev` only (`accept_dev_keys`), any key that starts with its provider's prefix here and goes on is
# accepted too, so a newcomer can type a key of their own on the provider-keys page (README, "Quick start"). The app
# names the same prefixes in /auth/me's dev hint (app/vault/shape.py; a test holds the two equal). The tests'
# simulator never does: there a key is accepted only when a test added it.
DEV_KEY_PREFIXES = {"openai": "sk-dev-", "avaturn": "av-dev-", "cartesia": "sk_car_dev"}


@dataclass
class SimulatorConfig:
    """Provider API keys the simulator accepts (more can be added at run time via /__sim/keys)."""

    openai_keys: set[str] = field(default_factory=set)
    avaturn_keys: set[str] = field(default_factory=set)
    cartesia_keys: set[str] = field(default_factory=set)
    accept_dev_keys: bool = False  # also any key of the documented dev pattern (DEV_KEY_PREFIXES): `greenroom dev`


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def fingerprint(key_or_hash: str, *, hashed: bool = False) -> str:
    """What ground truth shows instead of a key: never the key itself."""
    return (key_or_hash if hashed else key_hash(key_or_hash))[:12]


class Clock:
    """Wall clock plus an offset that tests move forward instead of sleeping."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset


@dataclass
class Secret:
    value: str
    kind: str  # openai_client_secret | cartesia_access_token
    created_at: float
    expires_at: float
    key_fingerprint: str
    session: dict[str, Any] | None = None  # the OpenAI session config minted with it
    used_by_session: str | None = None

    def public(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "kind": self.kind,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "used_by_session": self.used_by_session,
            "key_fingerprint": self.key_fingerprint,
            "session": self.session,
        }


@dataclass
class SimSession:
    id: str
    token: str
    owner: str  # sha256 of the Avaturn key that created it
    engine: str
    engine_detail: dict[str, Any]
    avatar_id: str
    model: str
    background: str
    max_duration: int
    user_absent_timeout: int
    created_at: float
    daily_token: str = field(default_factory=lambda: _secrets.token_urlsafe(24))
    ended_at: float | None = None
    end_cause: str | None = None
    sdk_calls: int = 0
    last_sdk_contact_at: float | None = None
    tasks: int = 0

    def refresh(self, now: float) -> bool:
        """Alive at `now`? Ends it at the earliest passed deadline (the deadline, not `now`)."""
        if self.ended_at is not None:
            return False
        absent_from = self.last_sdk_contact_at if self.last_sdk_contact_at is not None else self.created_at
        # min() keeps the first on a tie, so max_duration wins over user_absent.
        at, cause = min(
            [
                (self.created_at + self.max_duration, "max_duration"),
                (absent_from + self.user_absent_timeout, "user_absent"),
            ],
            key=lambda d: d[0],
        )
        if now >= at:
            self.ended_at, self.end_cause = at, cause
            return False
        return True

    def public(self, now: float) -> dict[str, Any]:
        alive = self.refresh(now)
        return {
            "id": self.id,
            "token": self.token,
            "provider": "avaturn",
            "engine": self.engine,
            "engine_detail": self.engine_detail,
            "avatar_id": self.avatar_id,
            "model": self.model,
            "background": self.background,
            "max_duration": self.max_duration,
            "user_absent_timeout": self.user_absent_timeout,
            "created_at": self.created_at,
            "ended_at": self.ended_at,
            "end_cause": self.end_cause,
            "alive": alive,
            "sdk_calls": self.sdk_calls,
            "last_sdk_contact_at": self.last_sdk_contact_at,
            "tasks": self.tasks,
            "key_fingerprint": fingerprint(self.owner, hashed=True),
        }


class SimState:
    def __init__(self, config: SimulatorConfig) -> None:
        self.clock = Clock()
        # Only hashes are kept: ground truth and logs can never leak a key.
        self.keys: dict[str, set[str]] = {
            "openai": {key_hash(k) for k in config.openai_keys},
            "avaturn": {key_hash(k) for k in config.avaturn_keys},
            "cartesia": {key_hash(k) for k in config.cartesia_keys},
        }
        self.accept_dev_keys = config.accept_dev_keys
        self.sessions: dict[str, SimSession] = {}
        self.by_token: dict[str, str] = {}
        self.secrets: dict[str, Secret] = {}
        self.faults = FaultBook()
        self.requests: list[dict[str, Any]] = []

    def now(self) -> float:
        return self.clock.now()

    # keys
    def check_key(self, provider: str, key: str) -> str | None:
        """The key's hash when accepted, else None (constant-time compare per stored hash)."""
        h = key_hash(key)
        prefix = DEV_KEY_PREFIXES[provider]
        if self.accept_dev_keys and key.startswith(prefix) and len(key) > len(prefix):
            return h
        return h if any(hmac.compare_digest(h, k) for k in self.keys[provider]) else None

    def add_key(self, provider: str, key: str) -> None:
        self.keys[provider].add(key_hash(key))

    def revoke_key(self, provider: str, key: str) -> None:
        self.keys[provider].discard(key_hash(key))

    # secrets
    def mint(self, kind: str, prefix: str, ttl_s: float, key_h: str, session: dict[str, Any] | None = None) -> Secret:
        now = self.now()
        s = Secret(prefix + _secrets.token_urlsafe(24), kind, now, now + ttl_s, key_h[:12], session)
        self.secrets[s.value] = s
        return s

    def live_secret(self, value: object, kind: str) -> tuple[Secret | None, str]:
        """(secret, "") when usable to start a session, else (None, why)."""
        s = self.secrets.get(value) if isinstance(value, str) else None
        if s is None or s.kind != kind:
            return None, "was not issued by the provider (unknown or malformed)"
        if s.used_by_session is not None:
            return None, "was already used to start another session"
        if self.now() >= s.expires_at:
            return None, "has expired"
        return s, ""

    # sessions
    def create_session(self, owner: str, **kw: Any) -> SimSession:
        s = SimSession(id=str(uuid.uuid4()), token=_secrets.token_urlsafe(32), owner=owner, created_at=self.now(), **kw)
        self.sessions[s.id] = s
        self.by_token[s.token] = s.id
        return s

    def owned_alive(self, session_id: str, owner: str) -> SimSession | None:
        s = self.sessions.get(session_id)
        if s is None or s.owner != owner or not s.refresh(self.now()):
            return None
        return s

    def by_sdk_token(self, token: str) -> SimSession | None:
        s = self.sessions.get(self.by_token.get(token, ""))
        if s is None or not s.refresh(self.now()):
            return None
        return s

    def sdk_contact(self, s: SimSession) -> None:
        s.sdk_calls += 1
        s.last_sdk_contact_at = self.now()

    def end(self, s: SimSession, cause: str) -> None:
        s.ended_at, s.end_cause = self.now(), cause

    def sweep(self) -> None:
        now = self.now()
        for s in self.sessions.values():
            s.refresh(now)

    def log_request(self, entry: dict[str, Any]) -> None:
        self.requests.append(entry)
        del self.requests[:-1000]  # bounded: a long dev run must not grow without end

    def reset(self) -> None:
        self.sessions.clear()
        self.by_token.clear()
        self.secrets.clear()
        self.requests.clear()
        self.faults.clear()
        self.clock.offset = 0.0  # nothing left depends on the moved clock
