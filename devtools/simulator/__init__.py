"""A local stand-in for every upstream (OpenAI Realtime client secrets, Avaturn Live and its
browser SDK API, Cartesia), on one HTTP server, with ground truth and fault injection under /__sim."""

from devtools.simulator.app import create_simulator_app
from devtools.simulator.control import SimulatorControl
from devtools.simulator.state import SimulatorConfig

__all__ = ["SimulatorConfig", "SimulatorControl", "create_simulator_app"]
