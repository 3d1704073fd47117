"""The simulator as one ASGI app: OpenAI, Avaturn (+ its browser SDK API) and Cartesia on one port."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar

from devtools.simulator import (
    avaturn_routes,
    cartesia_routes,
    control_routes,
    sdk_routes,
)
from devtools.simulator.middleware import SimulatorMiddleware, install_log_filter
from devtools.simulator.openai_routes import create_client_secret
from devtools.simulator.state import SimState, SimulatorConfig

SWEEP_EVERY_S = 1.0


def create_simulator_app(config: SimulatorConfig | None = None) -> Any:
    """A fresh simulator (its own state) accepting the keys in `config`."""
    sim = SimState(config or SimulatorConfig())

    @contextlib.asynccontextmanager
    async def sweeper(app: Litestar) -> AsyncIterator[None]:
        # Expiry is evaluated lazily on every read; the sweep just settles sessions nobody asks about.
        async def loop() -> None:
            while True:
                await asyncio.sleep(SWEEP_EVERY_S)
                sim.sweep()

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    install_log_filter()
    app = Litestar(
        route_handlers=[
            create_client_secret,
            *avaturn_routes.ROUTES,
            *sdk_routes.ROUTES,
            cartesia_routes.access_token,
            *control_routes.ROUTES,
        ],
        lifespan=[sweeper],
        openapi_config=None,
        logging_config=None,  # the process owns logging (app.logs); Litestar must not reconfigure the root logger
        debug=False,
    )
    app.state.sim = sim
    return SimulatorMiddleware(app, sim)
