"""No database transaction stays open while the app waits on the network (docs/security.md), on every path that
calls out besides the session create (tests/faults/test_provider_faults.py): credential verification, the
worker's upstream DELETE and the metering that follows it, and webhook delivery. The OIDC callback is in
tests/identity/test_no_network_in_callback.py.

Each case holds the remote end (a simulator latency fault, a held receiver) and looks at the app role's
connections meanwhile (tests/support/no_network_in_tx.py says how the caller's own connection is told apart).
The first test shows the check itself catches a transaction held across a call, so none of the others can pass
because the check went blind.
"""

from __future__ import annotations

import uuid

import asyncpg
import httpx
import pytest

from devtools.simulator.control import SimulatorControl
from tests.support.asserts import wait_for
from tests.support.database import Db, run
from tests.support.no_network_in_tx import (
    ReceiverHold,
    SimulatorHold,
    assert_no_transaction_across,
)
from tests.support.receiver import Receiver
from tests.support.stack import TenantKeys


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _call_out(database_url: str, url: str, *, in_transaction: bool) -> int:
    """As the app's role: a statement, then a POST, with or without the transaction still open around it."""

    async def go() -> int:
        conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            if in_transaction:
                async with conn.transaction():
                    await conn.execute("select count(*) from jobs")
                    async with httpx.AsyncClient() as http:
                        return (await http.post(url, content=b"{}")).status_code
            await conn.execute("select count(*) from jobs")
            async with httpx.AsyncClient() as http:
                return (await http.post(url, content=b"{}")).status_code
        finally:
            await conn.close()

    return run(go())


def test_the_check_sees_a_transaction_held_across_a_call(owner_database_url: str, database_url: str) -> None:
    with Receiver() as receiver:
        with pytest.raises(AssertionError, match="a transaction stayed open across the network call"):
            assert_no_transaction_across(
                owner_database_url,
                lambda: _call_out(database_url, receiver.url, in_transaction=True),
                ReceiverHold(receiver),
                what="a call inside a transaction",
            )
        status = assert_no_transaction_across(
            owner_database_url,
            lambda: _call_out(database_url, receiver.url, in_transaction=False),
            ReceiverHold(receiver),
            what="a call after the transaction",
        )
        assert status == 204 and len(receiver.events()) == 2


@pytest.mark.parametrize(
    ("provider", "route"),
    [("openai", "openai.client_secrets"), ("avaturn", "avaturn.delete"), ("cartesia", "cartesia.access_token")],
)
def test_credential_verification_holds_no_transaction(
    stack, tenant: TenantKeys, sim: SimulatorControl, db: Db, owner_database_url: str, provider: str, route: str
) -> None:
    key = {"openai": "sk-", "cartesia": "sk_car_"}.get(provider, "") + f"held-{provider}-" + uuid.uuid4().hex
    sim.add_key(provider, key)
    resp = assert_no_transaction_across(
        owner_database_url,
        lambda: stack.http.post(
            "/v1/credentials",
            json={"provider": provider, "secret": key, "label": "held"},
            headers=auth(tenant.server_key),
        ),
        SimulatorHold(sim, route),
        what=f"POST /v1/credentials ({provider})",
    )
    assert resp.status_code == 201 and resp.json()["status"] == "valid", resp.text
    assert (
        db.value(
            "select status from provider_credentials where tenant_id = $1 and provider = $2 and label = 'held'",
            tenant.tenant_id,
            provider,
        )
        == "valid"
    )


def test_the_workers_delete_and_metering_hold_no_transaction(
    stack, tenant: TenantKeys, sim: SimulatorControl, db: Db, owner_database_url: str
) -> None:
    started = stack.http.post("/v1/sessions", json={"agent": "demo"}, headers=auth(tenant.server_key))
    assert started.status_code == 201, started.text
    session_id = started.json()["session_id"]
    killed = assert_no_transaction_across(
        owner_database_url,
        lambda: stack.http.delete(f"/v1/sessions/{session_id}", headers=auth(tenant.server_key)),
        SimulatorHold(sim, "avaturn.delete"),
        what="the worker's upstream DELETE",
    )
    assert killed.status_code == 202
    # The DELETE went through after the hold, and its metering committed with the job's outcome.
    metered = wait_for(
        lambda: db.fetch(
            "select billed_seconds from usage_events where session_id = $1 and event = 'ended'", uuid.UUID(session_id)
        ),
        what="the end metered",
    )
    assert len(metered) == 1
    assert db.value("select state from jobs where payload->>'session_id' = $1", session_id) == "done"


def test_webhook_delivery_holds_no_transaction(stack, tenant: TenantKeys, db: Db, owner_database_url: str) -> None:
    with Receiver() as receiver:
        hook = stack.http.post("/v1/webhooks", json={"url": receiver.url}, headers=auth(tenant.server_key)).json()
        sent = assert_no_transaction_across(
            owner_database_url,
            lambda: stack.http.post(f"/v1/webhooks/{hook['id']}/test", headers=auth(tenant.server_key)),
            ReceiverHold(receiver),
            what="webhook delivery",
        )
        assert sent.status_code == 202
        message_id = sent.json()["message_id"]
        wait_for(
            lambda: db.value("select state from jobs where payload->>'message_id' = $1", message_id) == "done",
            what="the delivery recorded",
        )
        assert receiver.ids() == [message_id]
        log = stack.http.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=auth(tenant.server_key)).json()["items"]
        assert [(d["message_id"], d["outcome"]) for d in log] == [(message_id, "succeeded")]
