"""The console is served as its contract says (docs/decisions/0017-the-console-server-side.md): index.html for every
console route, revalidated on each load and under the console's Content-Security-Policy; the build's hashed files
cached for a year; nothing outside the assets folder, whatever the path; a clear 503 when the console is not built."""

from __future__ import annotations

import http.client
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from app.settings import Settings
from app.site.console import CSP
from tests.support.stack import settings_for

INDEX = b"<!doctype html><title>Greenroom console</title><div id=root></div>"
ASSETS = {
    "index-3f2a9c1e.js": ("text/javascript; charset=utf-8", b"console.log('console');"),
    "index-77ab01cd.css": ("text/css; charset=utf-8", b"body{margin:0}"),
    "logo-0c1d2e3f.svg": ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    "inter-5e6f7a8b.woff2": ("font/woff2", b"wOF2\x00\x01binary"),
    "screenshot-1a2b3c4d.png": ("image/png", b"\x89PNG\r\n\x1a\nbinary"),
}
CONTRACT_CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}


def build(root: Path) -> Path:
    """A stand-in for `npm run build`: dist/console/index.html, its assets, and files that must never be served."""
    console = root / "dist" / "console"
    (console / "assets").mkdir(parents=True)
    (console / "index.html").write_bytes(INDEX)
    for name, (_, body) in ASSETS.items():
        (console / "assets" / name).write_bytes(body)
    (console / "assets" / ".env").write_text("SECRET=hidden file")
    (console / "secret.txt").write_text("beside the assets, not in them")
    (root / "outside.txt").write_text("outside the build")
    os.symlink(root / "outside.txt", console / "assets" / "link-to-outside.js")
    return console


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory, database_url: str, sim_server: ServerThread) -> Iterator[dict]:
    built = build(tmp_path_factory.mktemp("web"))
    missing = tmp_path_factory.mktemp("unbuilt") / "console"
    with (
        ServerThread(create_app(_settings(database_url, sim_server.url, built)), port=free_port()) as app,
        ServerThread(create_app(_settings(database_url, sim_server.url, missing)), port=free_port()) as unbuilt,
    ):
        yield {"url": app.url, "dist": built, "unbuilt": unbuilt.url}


def _settings(database_url: str, sim_url: str, dist: Path) -> Settings:
    return settings_for(database_url, sim_url, "http://127.0.0.1:1", console_dist=dist)


def _csp(resp: httpx.Response) -> dict[str, str]:
    policies = resp.headers.get_list("content-security-policy")
    assert len(policies) == 1, policies
    return {d.strip().split(" ", 1)[0]: d.strip().partition(" ")[2] for d in policies[0].split(";") if d.strip()}


def raw_get(url: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """The request line exactly as written: an HTTP client would resolve `..` before sending, a hostile one need not."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_every_console_route_is_the_app_revalidated_each_load_under_the_consoles_policy(console: dict) -> None:
    with httpx.Client(base_url=console["url"]) as http:
        for path in ("/console", "/console/", "/console/sessions", "/console/agents/new?from=overview"):
            resp = http.get(path)
            assert resp.status_code == 200, (path, resp.text)
            assert resp.content == INDEX, path
            assert resp.headers["content-type"] == "text/html; charset=utf-8"
            assert resp.headers["cache-control"] == "no-cache", path
            assert _csp(resp) == CONTRACT_CSP, path
            assert resp.headers["referrer-policy"] == "same-origin"  # never no-referrer: it makes Origin null
            assert resp.headers["x-frame-options"] == "DENY" and resp.headers["x-content-type-options"] == "nosniff"
        # Revalidation is cheap: the same build answers 304 to its ETag, a new build a new body at once.
        etag = http.get("/console/").headers["etag"]
        again = http.get("/console/overview", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        index = console["dist"] / "index.html"
        index.write_bytes(INDEX + b"<!-- build 2 -->")
        try:
            fresh = http.get("/console/", headers={"If-None-Match": etag})
            assert fresh.status_code == 200 and fresh.content.endswith(b"build 2 -->")
        finally:
            index.write_bytes(INDEX)
    assert CSP.count(";") == len(CONTRACT_CSP) - 1


def test_the_builds_files_are_cached_for_a_year_with_their_own_types(console: dict) -> None:
    with httpx.Client(base_url=console["url"]) as http:
        for name, (media_type, body) in ASSETS.items():
            resp = http.get(f"/console/assets/{name}")
            assert resp.status_code == 200, (name, resp.text)
            assert resp.content == body, name
            assert resp.headers["content-type"] == media_type, (name, resp.headers["content-type"])
            assert resp.headers["cache-control"] == "public, max-age=31536000, immutable", name
            assert resp.headers["x-content-type-options"] == "nosniff", name
        # An SVG opened on its own is a document: it may run no script.
        svg = http.get("/console/assets/logo-0c1d2e3f.svg")
        assert _csp(svg)["default-src"] == "'none'" and "script-src" not in _csp(svg)


def test_a_missing_file_is_a_404_problem_not_the_app(console: dict) -> None:
    with httpx.Client(base_url=console["url"]) as http:
        for path in ("/console/assets/index-00000000.js", "/console/assets/", "/console/assets/nested/app.js"):
            resp = http.get(path)
            assert resp.status_code == 404, path
            assert resp.headers["content-type"] == "application/problem+json", path
            assert resp.json()["type"] == "/problems/not-found", path
            assert "cache-control" not in resp.headers or "immutable" not in resp.headers["cache-control"], path


@pytest.mark.parametrize(
    "path",
    [
        "/console/assets/../secret.txt",
        "/console/assets/..%2fsecret.txt",
        "/console/assets/%2e%2e/secret.txt",
        "/console/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2foutside.txt",
        "/console/assets/..%5csecret.txt",
        "/console/assets/.env",
        "/console/assets/%2eenv",
        "/console/assets/link-to-outside.js",
        "/console/assets//etc/passwd",
        "/console/assets/%2fetc%2fpasswd",
        "/console/assets/index-3f2a9c1e.js%00.txt",
    ],
)
def test_nothing_outside_the_assets_folder_is_served(console: dict, path: str) -> None:
    status, headers, body = raw_get(console["url"], path)
    assert status in (400, 404), (path, status, body[:200])
    for secret in (b"beside the assets", b"outside the build", b"SECRET=", b"root:"):
        assert secret not in body, (path, body[:200])
    assert "immutable" not in headers.get("cache-control", ""), path


def test_an_unbuilt_console_says_how_to_build_it(console: dict) -> None:
    with httpx.Client(base_url=console["unbuilt"]) as http:
        api = http.get("/console/")
        assert api.status_code == 503 and api.headers["content-type"] == "application/problem+json"
        assert api.json()["type"] == "/problems/console-not-built" and "./run setup" in api.json()["detail"]
        assert api.headers["cache-control"] == "no-store"  # nothing may keep the 503 once the console is built
        page = http.get("/console/sessions", headers={"Accept": "text/html"})
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
        assert "./run setup" in page.text and "The admin console is not built" in page.text
        assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
        assert "href='/'" not in page.text  # `/` sends a signed-in browser straight back here: no loop offered
        assert http.get("/console/assets/index-3f2a9c1e.js").status_code == 404
