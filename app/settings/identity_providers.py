"""Identity provider settings: `GREENROOM_IDENTITY_PROVIDERS` is a JSON object `{name: ProviderConfig}`.

Kept free of app imports: `app.settings` parses them, and settings import nothing of the app. The relying party
that uses them is app/identity/oidc.py.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

# Entra's multi-tenant endpoints put a `{tenantid}` template in `issuer`: an exact issuer check is impossible.
_MULTI_TENANT = {"common", "organizations", "consumers"}


class ProviderConfig(BaseModel):
    """One provider. `preset` fills in endpoints; `issuer` is required for a plain OIDC provider."""

    model_config = ConfigDict(extra="forbid")

    preset: Literal["oidc", "google", "entra", "github"] = "oidc"
    client_id: str = Field(min_length=1)
    client_secret: SecretStr | None = Field(None, description="Omit for a public client (PKCE only).")
    label: str | None = Field(None, description="Shown on the sign-in button.")
    issuer: str | None = Field(None, description="Exact issuer; the ID token's `iss` must equal it.")
    discovery_url: str | None = Field(None, description="Defaults to {issuer}/.well-known/openid-configuration.")
    tenant: str | None = Field(None, description="Entra: the directory (tenant) id.")
    scopes: list[str] | None = None
    # Overrides, for GitHub Enterprise or a test double. For OIDC, discovery supplies these.
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    userinfo_endpoint: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> ProviderConfig:
        if self.preset == "google":
            self.issuer = self.issuer or "https://accounts.google.com"
        elif self.preset == "entra":
            if not self.tenant or self.tenant.lower() in _MULTI_TENANT:
                raise ValueError(
                    "entra needs `tenant`: the directory id (common/organizations cannot be issuer-checked)"
                )
            self.issuer = self.issuer or f"https://login.microsoftonline.com/{self.tenant}/v2.0"
        elif self.preset == "github":
            self.issuer = self.issuer or "https://github.com"  # users are (https://github.com, numeric id)
            self.authorization_endpoint = self.authorization_endpoint or "https://github.com/login/oauth/authorize"
            self.token_endpoint = self.token_endpoint or "https://github.com/login/oauth/access_token"
            self.userinfo_endpoint = self.userinfo_endpoint or "https://api.github.com/user"
        if not self.issuer:
            raise ValueError("an OIDC provider needs `issuer`")
        self.issuer = self.issuer.rstrip("/") if self.preset == "github" else self.issuer
        return self

    @property
    def is_oidc(self) -> bool:
        return self.preset != "github"

    @property
    def discovery(self) -> str:
        return self.discovery_url or f"{(self.issuer or '').rstrip('/')}/.well-known/openid-configuration"

    @property
    def scope(self) -> str:
        if self.scopes:
            return " ".join(self.scopes)
        return "read:user user:email" if self.preset == "github" else "openid email profile"

    def display(self, name: str) -> str:
        return self.label or {"google": "Google", "entra": "Microsoft", "github": "GitHub"}.get(self.preset, name)


PROVIDER_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,30}$")
