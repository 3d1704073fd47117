"""`./run bench [name ...]`: run benchmarks; results go to stdout and bench/results/."""

from __future__ import annotations

import sys

from bench import broker_overhead, heartbeats, kill_latency, reaper_lag, reports

BENCHMARKS = {
    "broker-overhead": broker_overhead.main,
    "kill-latency": kill_latency.main,
    "reaper-lag": reaper_lag.main,
    "heartbeats": heartbeats.main,
    "reports": reports.main,
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    for name in names:
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
