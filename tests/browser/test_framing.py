"""A page of another site that frames Greenroom's pages gets empty frames in real Chromium (clickjacking)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def framer(stack) -> Iterator[tuple[str, dict[str, str]]]:
    """Another origin (`localhost`, where the app is `127.0.0.1`), on loopback too so Chromium's local-network rule
    stays out of the way: a page that frames the demo page, the sign-in page and, as a control, a JSON answer."""
    targets = {"demo": f"{stack.url}/demo", "signin": f"{stack.url}/", "json": f"{stack.url}/healthz"}
    body = ("<!doctype html>" + "".join(f"<iframe name={n} src='{u}'></iframe>" for n, u in targets.items())).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}/", targets
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_another_site_cannot_frame_the_demo_or_the_sign_in_page(framer, browser) -> None:
    url, targets = framer
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(url)

    def text_of(name: str) -> str:
        frame = page.frame(name=name)
        assert frame is not None
        return frame.evaluate("document.body ? document.body.innerText : ''")

    # The control: an answer that is not a page (no framing rule) does load in its frame, so the harness sees content.
    assert '"ok"' in text_of("json")
    assert "Talk to our assistant" not in text_of("demo")
    assert "Sign in" not in text_of("signin")
    # Chromium says why, once per refused frame (naming the framed origin only).
    refusals = [line for line in console if "frame-ancestors 'none'" in line and f"'{targets['signin']}'" in line]
    assert len(refusals) == 2, console
    page.close()
