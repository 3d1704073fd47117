"""The OIDC callback holds no database transaction while it exchanges the code with the identity provider.

The dev identity provider sits behind a `HoldingProxy` (it takes its issuer from `Host`, so through the proxy
it names the proxy) that keeps the token request waiting while the app role's connections are looked at
(tests/support/no_network_in_tx.py). The callback's other calls (discovery, keys, userinfo) go through the same
proxy unheld.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.cli.serving import ServerThread, free_port
from app.main import create_app
from devtools.identity_provider import provider_config
from tests.identity.conftest import Browser, Idp, identity_settings
from tests.support.database import Db
from tests.support.no_network_in_tx import HoldingProxy, assert_no_transaction_across


@pytest.fixture
def proxied_idp(dev_idp: Idp) -> Iterator[HoldingProxy]:
    proxy = HoldingProxy(dev_idp.url, holds=lambda method, path: method == "POST" and path.endswith("/token"))
    with proxy.running():
        yield proxy


def test_the_callback_exchanges_the_code_with_no_transaction_open(
    database_url: str, owner_database_url: str, sim_server, dev_idp: Idp, proxied_idp: HoldingProxy, db: Db
) -> None:
    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    settings = identity_settings(
        database_url,
        sim_server.url,
        app_url,
        dev_idp,
        None,
        identity_providers={"dev": provider_config(proxied_idp.server.port)},
    )
    sub = dev_idp.user()
    with ServerThread(create_app(settings), port=port):
        browser = Browser(app_url)
        try:
            back_at_app = browser.at_provider(browser.start("dev"), sub)
            proxied_idp.hold()
            answer = assert_no_transaction_across(
                owner_database_url,
                lambda: browser.http.get(back_at_app),
                proxied_idp,
                what="the OIDC callback's code exchange",
            )
            assert answer.status_code == 303, answer.text
            me = browser.me()
        finally:
            browser.close()
    # The exchange did go through the proxy, and the sign-in completed after it.
    assert any(m == "POST" and p.endswith("/token") for m, p in proxied_idp.seen)
    assert me["user"]["email"] == f"{sub}@example.com"
    assert db.value("select count(*) from users where subject = $1 and issuer = $2", sub, proxied_idp.url) == 1
