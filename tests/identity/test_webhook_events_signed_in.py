"""The webhook messages for the ends only a person can cause: an admin's kill from the console (signed in, with
the cookie) and an operator's suspension of the tenant, with an endpoint subscribed to every event type.

Exactly: `session.started` for each session, `session.terminated` with `admin_terminated` for the kill and with
`tenant_suspended` for each session the suspension ended, nothing else (a marker queued after those events,
tests/support/receiver.py `settled` says how).
"""

from __future__ import annotations

import uuid
from collections import Counter

from devtools.simulator.control import SimulatorControl
from tests.identity.conftest import OPERATOR_SUB, Browser, equip
from tests.support.database import Db
from tests.support.receiver import Receiver, received, settled
from tests.webhooks.test_webhook_events import ALL, summary


def test_admin_kill_and_suspension_send_terminated_with_their_reason(
    owner: Browser, new_browser, sim: SimulatorControl, db: Db, stack
) -> None:
    """`stack` brings the worker that delivers, and the ground-truth check after the test."""
    equip(owner, sim, "hooks")
    tenant_id = owner.me()["active_tenant_id"]

    with Receiver() as receiver:
        hook = owner.send("POST", "/v1/webhooks", json={"url": receiver.url}).json()
        assert hook["events"] == ALL

        def start() -> str:
            resp = owner.send("POST", "/v1/sessions", json={"agent": "front-desk"})
            assert resp.status_code == 201, resp.text
            return resp.json()["session_id"]

        killed = start()
        assert owner.send("DELETE", f"/v1/sessions/{killed}").json()["end_reason"] == "admin_terminated"
        live = [start(), start()]
        operator = new_browser()
        assert operator.sign_in(OPERATOR_SUB).status_code == 303
        assert operator.send("POST", f"/v1/operator/tenants/{tenant_id}/suspend").json()["sessions_ended"] == 2
        assert operator.send("POST", f"/v1/operator/tenants/{tenant_id}/resume").status_code == 200
        rows = db.fetch("select id, state, end_reason from sessions where tenant_id = $1", uuid.UUID(tenant_id))
        assert sorted((str(r["id"]), r["end_reason"]) for r in rows) == sorted(
            [(killed, "admin_terminated")] + [(s, "tenant_suspended") for s in live]
        )

        marker = settled(owner.send("POST", f"/v1/webhooks/{hook['id']}/test"), hook["id"], receiver, db)
        events = received(receiver, hook["secret"], marker)
        assert summary(events) == Counter(
            {
                ("session.started", None): 3,
                ("session.terminated", "admin_terminated"): 1,
                ("session.terminated", "tenant_suspended"): 2,
            }
        )
        assert {e["data"]["session_id"] for e in events if e["type"] == "session.terminated"} == {killed, *live}
        assert all(e["data"]["state"] == "terminated" for e in events if e["type"] == "session.terminated")
