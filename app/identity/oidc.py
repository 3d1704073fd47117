"""The relying party: discovery, the authorization URL (PKCE S256, state, nonce), the code exchange, ID token checks.

Protocol work only; no database. Every network call happens outside any transaction.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.errors import Problem
from app.settings import Settings
from app.settings.identity_providers import ProviderConfig

log = logging.getLogger("greenroom.identity")
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
LEEWAY_S = 60
METADATA_TTL_S = 3600
TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    jwks_uri: str | None
    userinfo: str | None
    iss_parameter: bool  # RFC 9207: the provider promises `iss` on every authorization response


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


class ProviderDirectory:
    """Configured providers with their discovered metadata and keys, cached per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._endpoints: dict[str, tuple[float, Endpoints]] = {}
        self._keys: dict[str, KeySet] = {}

    def config(self, name: str) -> ProviderConfig:
        cfg = self.settings.identity_providers.get(name)
        if cfg is None:
            raise Problem("unknown-provider", f"No sign-in provider `{name}` is configured.")
        return cfg

    def redirect_uri(self, name: str) -> str:
        return f"{self.settings.public_url.rstrip('/')}/auth/callback/{name}"

    async def endpoints(self, name: str) -> Endpoints:
        cfg = self.config(name)
        cached = self._endpoints.get(name)
        if cached and time.monotonic() - cached[0] < METADATA_TTL_S:
            return cached[1]
        if not cfg.is_oidc:
            found = Endpoints(
                cfg.authorization_endpoint or "", cfg.token_endpoint or "", None, cfg.userinfo_endpoint, False
            )
        else:
            meta = await _get_json(cfg.discovery)
            if meta.get("issuer") != cfg.issuer:  # OIDC Discovery §4.3: a mismatch means this is not that provider
                raise Problem(
                    "issuer-mismatch",
                    f"Discovery for `{name}` names issuer {meta.get('issuer')!r}, not {cfg.issuer!r}.",
                )
            found = Endpoints(
                cfg.authorization_endpoint or meta["authorization_endpoint"],
                cfg.token_endpoint or meta["token_endpoint"],
                meta.get("jwks_uri"),
                cfg.userinfo_endpoint or meta.get("userinfo_endpoint"),
                bool(meta.get("authorization_response_iss_parameter_supported")),
            )
        self._endpoints[name] = (time.monotonic(), found)
        return found

    async def keys(self, name: str, refresh: bool = False) -> KeySet:
        if refresh or name not in self._keys:
            endpoints = await self.endpoints(name)
            if not endpoints.jwks_uri:
                raise Problem("id-token-invalid", f"Provider `{name}` publishes no jwks_uri.")
            self._keys[name] = KeySet.import_key_set(await _get_json(endpoints.jwks_uri))
        return self._keys[name]

    def client(self, name: str) -> AsyncOAuth2Client:
        cfg = self.config(name)
        secret = cfg.client_secret.get_secret_value() if cfg.client_secret else None
        method = (
            "none" if secret is None else ("client_secret_post" if cfg.preset == "github" else "client_secret_basic")
        )
        return AsyncOAuth2Client(
            cfg.client_id,
            secret,
            scope=cfg.scope,
            redirect_uri=self.redirect_uri(name),
            code_challenge_method="S256",
            token_endpoint_auth_method=method,
            timeout=TIMEOUT_S,
        )

    async def authorization_url(self, name: str, *, state: str, nonce: str, code_verifier: str) -> str:
        endpoints = await self.endpoints(name)
        extra = {"nonce": nonce} if self.config(name).is_oidc else {}
        async with self.client(name) as client:
            url: str
            url, _ = client.create_authorization_url(
                endpoints.authorization, state=state, code_verifier=code_verifier, **extra
            )
        return url

    async def exchange(self, name: str, *, code: str, code_verifier: str, nonce: str) -> Identity:
        """Code → tokens (with the PKCE verifier) → a verified identity."""
        cfg, endpoints = self.config(name), await self.endpoints(name)
        try:
            async with self.client(name) as client:
                token = await client.fetch_token(
                    endpoints.token,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                    headers={"Accept": "application/json"},
                )
        except Exception as exc:  # OAuthError, HTTP status or transport errors: all mean "no tokens"
            log.warning("token exchange with %s failed: %s", name, type(exc).__name__)
            raise Problem(
                "sign-in-failed", f"The provider `{name}` refused to exchange the code ({_reason(exc)})."
            ) from None
        if not cfg.is_oidc:
            return await _github_identity(cfg, endpoints, token["access_token"])
        claims = await self._verify_id_token(name, cfg, token.get("id_token"), nonce)
        if not claims.get("email") and endpoints.userinfo:
            claims = {**await _userinfo(endpoints.userinfo, token["access_token"], claims["sub"]), **claims}
        verified = claims.get("email_verified") in (True, "true")
        return Identity(cfg.issuer or "", str(claims["sub"]), claims.get("email"), verified, claims.get("name"))

    async def _verify_id_token(
        self, name: str, cfg: ProviderConfig, id_token: str | None, nonce: str
    ) -> dict[str, Any]:
        if not id_token:
            raise Problem("id-token-invalid", "The provider returned no ID token.")
        try:
            try:
                decoded = jwt.decode(id_token, await self.keys(name), algorithms=ALGORITHMS)
            except (JoseError, ValueError):  # maybe the provider rotated its keys: fetch them once more
                decoded = jwt.decode(id_token, await self.keys(name, refresh=True), algorithms=ALGORITHMS)
        except (JoseError, ValueError):
            raise Problem(
                "id-token-invalid", "The ID token's signature does not verify with the provider's keys."
            ) from None
        return check_claims(decoded.claims, issuer=cfg.issuer or "", client_id=cfg.client_id, nonce=nonce)


def check_claims(claims: dict[str, Any], *, issuer: str, client_id: str, nonce: str) -> dict[str, Any]:
    if claims.get("iss") != issuer:
        raise Problem("issuer-mismatch", f"The ID token was issued by {claims.get('iss')!r}, not {issuer!r}.")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else list(aud or [])
    if client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != client_id):
        raise Problem("id-token-invalid", "The ID token is meant for another client (aud).")
    now = time.time()
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] + LEEWAY_S < now:
        raise Problem("id-token-invalid", "The ID token has expired.")
    if isinstance(claims.get("iat"), (int, float)) and claims["iat"] - LEEWAY_S > now:
        raise Problem("id-token-invalid", "The ID token was issued in the future.")
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise Problem("id-token-invalid", "The ID token's nonce does not match this sign-in (replay?).")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise Problem("id-token-invalid", "The ID token has no subject.")
    return claims


async def _get_json(url: str, **kw: Any) -> Any:
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_S) as http:
            resp = await http.get(url, **kw)
            resp.raise_for_status()
            return resp.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise Problem("identity-provider-unavailable", f"{url}: {_reason(exc)}") from None


async def _userinfo(url: str, access_token: str, sub: str) -> dict[str, Any]:
    info = await _get_json(url, headers={"Authorization": f"Bearer {access_token}"})
    return info if isinstance(info, dict) and info.get("sub") == sub else {}  # OIDC Core §5.3.2: sub must match


async def _github_identity(cfg: ProviderConfig, endpoints: Endpoints, access_token: str) -> Identity:
    """GitHub is OAuth 2 without OIDC: the user is `GET /user`; subject = the numeric id (logins can be renamed)."""
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/vnd.github+json"}
    user = await _get_json(endpoints.userinfo or "", headers=headers)
    emails = await _get_json(f"{endpoints.userinfo}/emails", headers=headers)
    primary = (
        next((e for e in emails if e.get("primary") and e.get("verified")), None) if isinstance(emails, list) else None
    )
    if not isinstance(user, dict) or not isinstance(user.get("id"), int):
        raise Problem("sign-in-failed", "GitHub answered without a user id.")
    return Identity(
        cfg.issuer or "https://github.com",
        str(user["id"]),
        primary["email"] if primary else None,
        primary is not None,
        user.get("name") or user.get("login"),
    )


def _reason(exc: BaseException) -> str:
    return getattr(exc, "description", None) or getattr(exc, "error", None) or type(exc).__name__
