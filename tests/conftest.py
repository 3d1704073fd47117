"""Shared fixtures: a real PostgreSQL made by the migrations, the simulator and the app over real sockets."""

from __future__ import annotations

import logging
import secrets
import time
import warnings
from collections.abc import Iterator

import httpx
import pytest

warnings.filterwarnings("ignore", module="platformdirs")

from app.cli.serving import ServerThread, free_port  # noqa: E402
from app.main import create_app  # noqa: E402
from devtools.simulator import SimulatorConfig, create_simulator_app  # noqa: E402
from devtools.simulator.control import SimulatorControl  # noqa: E402
from tests.support.database import (  # noqa: E402
    Db,
    TestDatabase,
    drop_templates,
    run,
    temporary_database,
)
from tests.support.stack import (  # noqa: E402
    OwnStack,
    TenantKeys,
    WorkerThread,
    end_what_the_test_left,
    make_tenant,
    mark,
    own_stack,
    settings_for,
)


class LogCapture(logging.Handler):
    """Every record any thread of this process emits, unredacted: what our code tried to log."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


@pytest.fixture(scope="session")
def log_capture() -> Iterator[LogCapture]:
    handler = LogCapture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for noisy in ("asyncio", "sqlalchemy"):  # sqlalchemy.engine at INFO would echo every statement
        logging.getLogger(noisy).setLevel(logging.WARNING)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture(scope="session")
def test_db() -> Iterator[TestDatabase]:
    with temporary_database() as made:
        yield made
        drop_templates(made)


@pytest.fixture(scope="session")
def database_url(test_db: TestDatabase) -> str:
    """What the app connects with: the `greenroom_app` role, under row-level security."""
    return test_db.app_url


@pytest.fixture(scope="session")
def owner_database_url(test_db: TestDatabase) -> str:
    """The schema owner: migrations and operator-wide maintenance such as `vault rotate`."""
    return test_db.owner_url


@pytest.fixture(scope="session")
def db(test_db: TestDatabase) -> Db:
    """Ground truth for assertions, read as the schema owner (sees every tenant)."""
    return Db(test_db.owner_url)


@pytest.fixture(scope="session")
def sim_server() -> Iterator[ServerThread]:
    with ServerThread(create_simulator_app(SimulatorConfig(set(), set(), set()))) as server:
        yield server


@pytest.fixture(scope="session")
def sim(sim_server: ServerThread) -> Iterator[SimulatorControl]:
    with SimulatorControl(sim_server.url) as control:
        yield control


@pytest.fixture(scope="session")
def stack(database_url: str, sim_server: ServerThread, log_capture: LogCapture) -> Iterator[Stack]:
    port = free_port()
    settings = settings_for(database_url, sim_server.url, f"http://127.0.0.1:{port}")
    worker = WorkerThread(settings).start()
    with ServerThread(create_app(settings), port=port) as app:
        stack = Stack(app.url, settings, worker)
        yield stack
        stack.http.close()
    worker.stop()


class Stack:
    def __init__(self, url: str, settings: object, worker: WorkerThread) -> None:
        self.url, self.settings, self.worker = url, settings, worker
        self.http = httpx.Client(base_url=url, timeout=30)


@pytest.fixture
def tenant(stack: Stack, sim: SimulatorControl) -> TenantKeys:
    """A fresh tenant whose provider keys the simulator accepts."""
    keys = {
        "openai": "sk-test-" + secrets.token_urlsafe(20),
        "avaturn": "av-test-" + secrets.token_urlsafe(20),
        "cartesia": "sk_car_test" + secrets.token_urlsafe(16),
    }
    for provider, key in keys.items():
        sim.add_key(provider, key)
    return run(make_tenant(stack.settings, keys))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _ground_truth_agrees(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that ran the broker: what it started is ended, and no upstream session is alive that
    Greenroom does not know as live."""
    if "stack" not in request.fixturenames:
        yield
        return
    sim: SimulatorControl = request.getfixturevalue("sim")
    db: Db = request.getfixturevalue("db")
    stack: Stack = request.getfixturevalue("stack")
    began = mark(db, sim)
    yield
    # First end what the test left live, through the API: the shared simulator must hold no session of a test
    # that is over, or its absent timeout ends it behind our back and the ledger and the provider disagree.
    end_what_the_test_left(stack.http, stack.settings, db, sim, began)  # type: ignore[arg-type]
    sim.clear_faults()
    deadline = time.monotonic() + 10  # let the worker deliver pending deletions
    while True:
        alive = {s["id"] for s in sim.alive_sessions()}
        live = {
            r["upstream_session_id"]
            for r in db.fetch(
                "select upstream_session_id from sessions"
                " where state in ('starting','active') and upstream_session_id is not null"
            )
        }
        unknown = alive - live
        if not unknown or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert not unknown, f"upstream sessions alive that Greenroom does not know as live: {sorted(unknown)}"


@pytest.fixture
def own(test_db: TestDatabase, log_capture: LogCapture) -> Iterator[OwnStack]:
    """The product with a simulator and a database of its own, for a test that moves the provider's clock or
    distorts the ledger on purpose; the same finalizer and ground-truth check as the shared stack."""
    with own_stack(test_db) as world:
        began = mark(world.db, world.sim)
        yield world
        end_what_the_test_left(world.http, world.settings, world.db, world.sim, began)
        alive = {s["id"] for s in world.sim.alive_sessions()}
        live = {
            r["upstream_session_id"]
            for r in world.db.fetch(
                "select upstream_session_id from sessions"
                " where state in ('starting','active') and upstream_session_id is not null"
            )
        }
        assert alive <= live, f"upstream sessions alive that Greenroom does not know as live: {sorted(alive - live)}"
