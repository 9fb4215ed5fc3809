"""Timing helpers shared by the benchmark modules."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """One measured computation; ``target_s`` is the issue's target at 200,000 accounts."""

    area: str
    name: str
    fn: Callable[[], object]
    target_s: float | None = None
    repeat: int = 5


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(first run, median of the next ``repeat`` runs) in seconds."""
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times)
