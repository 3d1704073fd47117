"""Sign-in (OIDC/OAuth 2 with PKCE), admin sessions with CSRF, and the development identity provider."""
