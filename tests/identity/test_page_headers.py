"""Every HTML page the app serves refuses to be framed by any site: `frame-ancestors 'none'` in its CSP and
`X-Frame-Options: DENY` (clickjacking); the pages' own CSP stays in force beside it. Checked over HTTP, page by page,
signed out and signed in (tests/browser/test_framing.py watches Chromium obey it)."""

from __future__ import annotations

import httpx

from tests.identity.conftest import Browser

HTML = {"Accept": "text/html"}


def _refuses_framing(resp: httpx.Response, what: str) -> dict[str, str]:
    assert resp.headers["content-type"].startswith("text/html"), (what, resp.status_code, resp.headers)
    assert resp.headers.get("x-frame-options") == "DENY", (what, resp.headers)
    policies = resp.headers.get_list("content-security-policy")
    directives = {
        d.strip().split(" ", 1)[0]: d.strip().partition(" ")[2] for p in policies for d in p.split(";") if d.strip()
    }
    assert directives.get("frame-ancestors") == "'none'", (what, policies)
    return directives


def test_every_page_signed_out_refuses_framing(identity_app) -> None:
    with httpx.Client(base_url=identity_app.url) as http:
        pages = {
            "start page (sign-in links)": http.get("/"),
            "usage page, signed out (401 page)": http.get("/usage", headers=HTML),
            "API docs (Scalar)": http.get("/schema"),
            "API docs (Swagger UI)": http.get("/schema/swagger"),
            "API docs, unknown page": http.get("/schema/nope"),
            "demo page": http.get("/demo"),
            "problem type page": http.get("/problems/origin-not-allowed"),
            "invitation, unknown (410 page)": http.get("/auth/invitations/gr_inv_nope", headers=HTML),
            "sign-in, unknown provider (404 page)": http.get("/auth/login/nope", headers=HTML),
            "sign-in callback, no attempt (400 page)": http.get("/auth/callback/dev?state=x&code=y", headers=HTML),
        }
        for what, resp in pages.items():
            _refuses_framing(resp, what)
        # The pages' own policy is not loosened by the added directive.
        assert _refuses_framing(pages["start page (sign-in links)"], "start page")["default-src"] == "'none'"
        for what, resp in pages.items():  # one charset (Litestar adds it to a type that already named one)
            assert resp.headers["content-type"].count("charset") <= 1, (what, resp.headers["content-type"])
            # Never `no-referrer`: Chromium then posts a page's own forms with `Origin: null` (csrf-failed).
            assert resp.headers.get("referrer-policy", "same-origin") in ("same-origin", "strict-origin"), what
        assert http.get("/healthz").headers.get("x-frame-options") is None  # JSON is not a page


def test_every_page_signed_in_refuses_framing(owner: Browser) -> None:
    assert owner.http.get("/").headers["location"] == "/console/"
    # The console (built: its index.html; not built: the page that says so) and the usage page.
    _refuses_framing(owner.http.get("/console/", headers=HTML), "console")
    _refuses_framing(owner.http.get("/usage", headers=HTML), "usage page")
    invited = owner.send("POST", "/v1/invitations", json={"email": "new@example.com", "role": "viewer"})
    assert invited.status_code == 201, invited.text
    _refuses_framing(owner.http.get(invited.json()["url"]), "invitation page")
