"""`./run bench [--quick] [name ...]`: run benchmarks (all by default, in this order).

Figures go to stdout and, with the commit, the machine and the settings, to bench/results/<name>-<date>.json.
`--quick` shortens every run to prove the code works end to end; its JSON goes to bench/results/quick/ and is
never a figure. Single knobs: BENCH_* variables (each benchmark's docstring names them)."""

from __future__ import annotations

import importlib
import os
import sys
import time

BENCHMARKS = {
    "broker-overhead": "bench.broker_overhead",
    "kill-latency": "bench.kill_latency",
    "reaper-lag": "bench.reaper_lag",
    "heartbeats": "bench.heartbeats",
    "reports": "bench.reports",
}


def main(argv: list[str]) -> int:
    if "--quick" in argv:
        os.environ["BENCH_QUICK"] = "1"  # read by bench.support.knob when each module is imported
    names = [a for a in argv if a != "--quick"] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    for name in names:
        began = time.monotonic()
        importlib.import_module(BENCHMARKS[name]).main()
        print(f"{name}: {time.monotonic() - began:.0f} s wall time", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
