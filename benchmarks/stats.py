"""Latency sampling and percentiles for benchmarks."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def sample_us(fn: Callable[[], object], runs: int, warmup: int = 200) -> list[float]:
    """Run ``fn`` ``runs`` times after a warm-up and return each duration in microseconds."""
    for _ in range(warmup):
        fn()
    gc.collect()  # start clean; collections during the run are part of the figure
    out: list[float] = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - start) / 1000)
    return out


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(samples: list[float], prefix: str, digits: int = 1) -> dict[str, float]:
    return {
        f"{prefix}p50": round(percentile(samples, 50), digits),
        f"{prefix}p99": round(percentile(samples, 99), digits),
    }
