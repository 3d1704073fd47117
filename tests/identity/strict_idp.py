"""A strict identity provider for the tests, run as its own process
(`python strict_idp.py PORT CLIENT_ID SECRET REDIRECT_URI[,…]`).

authlib's own authorization server: PKCE S256 required, exact redirect URI, confidential client, OIDC code flow with
`iss` on the authorization response (RFC 9207). `POST /__control` (JSON) changes what it does next, so the tests can
make it send a wrong nonce, issuer, audience, signature, or callback `iss`, and act as the user they choose; `sign`
makes it sign the ID token another way (`HS256` with the client secret, `HS256-public` with its own public key as the
HMAC secret, `none`). `POST /__rotate` rotates its signing key (a new `kid`, published next to the old ones) and
`GET /__stats` counts the JWKS requests. It also answers GitHub's `GET /user` and `GET /user/emails` for the GitHub
preset.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sys
import time
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, Response, jsonify, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

PORT, CLIENT_ID, CLIENT_SECRET = int(sys.argv[1]), sys.argv[2], sys.argv[3]
REDIRECT_URIS = sys.argv[4].split(",")  # exact URIs, no prefix matching
ISSUER = f"http://127.0.0.1:{PORT}"
KEYS = [RSAKey.generate_key(2048, parameters={"kid": "strict-1", "use": "sig", "alg": "RS256"})]  # the last one signs
OTHER_KEY = RSAKey.generate_key(2048, parameters={"alg": "RS256"})  # signs with the current kid: the wrong key
stats = {"jwks_requests": 0}
DEFAULT_USER = {"sub": "carol", "email": "carol@example.com", "email_verified": True, "name": "Carol"}
control: dict[str, Any] = {"user": DEFAULT_USER}
codes: dict[str, Code] = {}
tokens: dict[str, dict[str, Any]] = {}
seen_verifiers: list[str | None] = []


def key() -> RSAKey:
    return KEYS[-1]


def header() -> dict[str, str]:
    return {"alg": "RS256", "kid": key().kid or ""}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_signed(how: str, claims: dict[str, Any]) -> str:
    """ID tokens a relying party must refuse, made by hand (joserfc itself will not make the last two)."""
    if how == "none":
        head, secret = {"alg": "none", "typ": "JWT"}, None
    elif how == "HS256":  # OIDC Core allows it, with the client secret as the key; Greenroom promises not to
        head, secret = {"alg": "HS256", "typ": "JWT"}, CLIENT_SECRET.encode()
    elif how == "HS256-public":  # algorithm confusion: the provider's public key used as an HMAC secret
        head, secret = {**header(), "alg": "HS256"}, key().as_pem(private=False)
    else:
        raise ValueError(how)
    signing_input = f"{_b64(json.dumps(head).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = _b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()) if secret else ""
    return f"{signing_input}.{signature}"


class Client(ClientMixin):
    def get_client_id(self) -> str:
        return CLIENT_ID

    def get_default_redirect_uri(self) -> str:
        return REDIRECT_URIS[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in REDIRECT_URIS

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


class Code(AuthorizationCodeMixin):
    def __init__(self, code: str, user: dict[str, Any], data: dict[str, Any]) -> None:
        self.code, self.user, self.data = code, user, data
        self.code_challenge = data.get("code_challenge")
        self.code_challenge_method = data.get("code_challenge_method")

    def get_redirect_uri(self) -> str:
        return self.data["redirect_uri"]

    def get_scope(self) -> str:
        return self.data.get("scope", "")

    def get_nonce(self) -> str | None:
        return self.data.get("nonce")

    def get_auth_time(self) -> int:
        return int(time.time())

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, req: Any) -> None:
        codes[code] = Code(code, req.user, dict(req.payload.data))

    def query_authorization_code(self, code: str, client: Any) -> Code | None:
        return codes.get(code)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
        return authorization_code.user


class StrictOpenIDCode(OpenIDCode):
    def resolve_client_private_key(self, client: Any) -> Any:
        return key()

    def get_client_algorithm(self, client: Any) -> str:
        return "RS256"

    def get_encode_header(self, client: Any) -> dict[str, str]:
        return header()

    def get_client_claims(self, client: Any) -> dict[str, Any]:
        return {"iss": ISSUER, "aud": [CLIENT_ID], "exp": int(time.time()) + 300}

    def exists_nonce(self, nonce: str, req: Any) -> bool:
        return False

    def generate_user_info(self, user: dict[str, Any], scope: str) -> dict[str, Any]:
        return dict(user)


app = Flask(__name__)
server = AuthorizationServer(
    app,
    query_client=lambda cid: Client() if cid == CLIENT_ID else None,
    save_token=lambda token, req: tokens.__setitem__(token["access_token"], req.user),
)
server.register_grant(CodeGrant, [CodeChallenge(required=True), StrictOpenIDCode(require_nonce=True)])


@app.get("/.well-known/openid-configuration")
def discovery() -> Response:
    return jsonify(
        issuer=ISSUER,
        authorization_endpoint=f"{ISSUER}/authorize",
        token_endpoint=f"{ISSUER}/token",
        jwks_uri=f"{ISSUER}/jwks",
        userinfo_endpoint=f"{ISSUER}/userinfo",
        response_types_supported=["code"],
        code_challenge_methods_supported=["S256"],
        authorization_response_iss_parameter_supported=True,
        id_token_signing_alg_values_supported=["RS256"],
        subject_types_supported=["public"],
    )


@app.get("/jwks")
def jwks() -> Response:
    stats["jwks_requests"] += 1
    return jsonify(KeySet(list(KEYS)).as_dict(private=False))


@app.post("/__rotate")
def rotate() -> Response:
    KEYS.append(RSAKey.generate_key(2048, parameters={"kid": f"strict-{len(KEYS) + 1}", "use": "sig", "alg": "RS256"}))
    return jsonify(kid=key().kid)


@app.get("/__stats")
def get_stats() -> Response:
    return jsonify(stats)


@app.get("/authorize")
def authorize() -> Any:
    if request.args.get("code_challenge_method") != "S256" or not request.args.get("code_challenge"):
        return Response("PKCE with S256 is required", status=400)
    resp = server.create_authorization_response(grant_user=control["user"])
    location = resp.headers.get("Location", "")
    if "code=" in location and not control.get("omit_iss"):
        parts = urlsplit(location)
        query = dict(parse_qsl(parts.query)) | {"iss": control.get("callback_iss", ISSUER)}
        resp.headers["Location"] = urlunsplit(parts._replace(query=urlencode(query)))
    return resp


@app.post("/token")
def token() -> Any:
    seen_verifiers.append(request.form.get("code_verifier"))
    resp = server.create_token_response()
    tamper, sign = control.get("tamper") or {}, control.get("sign")
    body = resp.get_json(silent=True) or {}
    if (tamper or sign) and "id_token" in body:
        claims = jwt.decode(body["id_token"], key()).claims | tamper
        claims = {k: v for k, v in claims.items() if v is not None}
        if sign:
            body["id_token"] = hand_signed(sign, claims)
        else:
            body["id_token"] = jwt.encode(header(), claims, OTHER_KEY if control.get("wrong_key") else key())
        resp.set_data(jsonify(body).get_data())
    return resp


def _bearer_user() -> dict[str, Any] | None:
    return tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer ").strip())


@app.get("/userinfo")
def userinfo() -> Any:
    user = _bearer_user()
    return jsonify(user) if user else (Response(status=401))


@app.get("/user")
def github_user() -> Any:
    user = _bearer_user()
    return (
        jsonify(id=int(user["github_id"]), login=user["sub"], name=user.get("name")) if user else Response(status=401)
    )


@app.get("/user/emails")
def github_emails() -> Any:
    user = _bearer_user()
    if not user:
        return Response(status=401)
    return jsonify(
        [
            {"email": "noreply@users.example", "primary": False, "verified": True},
            {"email": user["email"], "primary": True, "verified": bool(user.get("email_verified"))},
        ]
    )


@app.post("/__control")
def set_control() -> Response:
    control.clear()
    control.update({"user": DEFAULT_USER} | (request.get_json() or {}))
    return jsonify(ok=True)


@app.get("/__verifiers")
def verifiers() -> Response:
    return jsonify(seen_verifiers)


if __name__ == "__main__":
    from werkzeug.serving import make_server

    make_server("127.0.0.1", PORT, app, threaded=True).serve_forever()
