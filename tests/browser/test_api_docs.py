"""The API docs render in Chromium with no network but the app's own: their assets are served by the app, pinned.

Before, /schema (Scalar `@latest`) and /schema/swagger (Swagger UI) loaded their code from a CDN and were blank
offline. The test blocks every request that does not go to the app, and asserts that nothing was blocked.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def open_offline(browser, url: str):  # type: ignore[no-untyped-def]
    """A page whose requests may reach only `url`'s host and port; returns (page, blocked requests)."""
    app = urlsplit(url).netloc
    page = browser.new_page()
    blocked: list[str] = []

    def only_the_app(route, request) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(request.url).netloc == app or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    page.route("**/*", only_the_app)
    return page, blocked


def test_swagger_ui_works_offline(browser, stack) -> None:
    page, blocked = open_offline(browser, stack.url)
    page.goto(f"{stack.url}/schema/swagger")
    # An operation of ours, rendered by Swagger UI from the document.
    page.locator(".opblock-summary-path", has_text="/v1/sessions").first.wait_for(timeout=20_000)
    assert page.locator(".info .title").inner_text().startswith("Greenroom")
    assert blocked == [], f"the docs page tried to leave the app: {blocked}"
    page.close()


def test_scalar_reference_works_offline(browser, stack) -> None:
    page, blocked = open_offline(browser, stack.url)
    page.goto(f"{stack.url}/schema")
    page.get_by_text("/v1/sessions").first.wait_for(timeout=20_000)
    assert page.get_by_role("heading", name="Greenroom").first.is_visible()
    assert blocked == [], f"the docs page tried to leave the app: {blocked}"
    page.close()
