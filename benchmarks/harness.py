"""Timing and memory helpers shared by the benchmark modules and the runner."""

from __future__ import annotations

import logging
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """One measured computation; ``target_s`` is the target at 200,000 accounts (benchmarks/RESULTS.md).

    ``cached`` says whether the app caches this computation (pages call it through
    ``ui.cache.run``, i.e. ``st.cache_data``); the runner then also times a second call with the
    same arguments through ``st.cache_data``. Set it to ``False`` for work that runs each time.
    """

    area: str
    name: str
    fn: Callable[[], object]
    target_s: float | None = None
    repeat: int = 5
    cached: bool = True


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(first run, median of the next ``repeat`` runs) in seconds."""
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    return first, median_of(fn, repeat)


def median_of(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time in seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """(result, seconds) of one call."""
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (``getrusage`` max RSS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def quiet_streamlit() -> None:
    """Silence Streamlit's "no runtime" warnings when caching outside ``streamlit run``."""
    import streamlit.runtime.caching  # noqa: F401 - creates the loggers silenced below

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def through_cache(case: Case) -> Callable[[], object]:
    """``case.fn`` behind ``st.cache_data``, as pages call it through ``ui.cache.run``.

    A hit costs what the app pays on a rerun with the same arguments: hashing the key and
    unpickling a copy of the stored result.
    """
    import streamlit as st

    @st.cache_data(show_spinner=False)
    def cached(area: str, name: str) -> object:
        return case.fn()

    return lambda: cached(case.area, case.name)


def measure(case: Case, repeat: int | None = None) -> dict:
    """Cold (first call in a fresh process), warm median and cached median of ``case``."""
    runs = repeat or case.repeat
    cold, median = median_seconds(case.fn, runs)
    row = {"area": case.area, "name": case.name, "cold": cold, "median": median, "runs": runs,
           "target": case.target_s, "cached": None}
    if case.cached:
        hit = through_cache(case)
        try:
            hit()  # fill the cache (its cost is a cold call plus pickling)
        except Exception as exc:  # noqa: BLE001 - e.g. a result st.cache_data cannot pickle
            row["cache_error"] = type(exc).__name__
            return row
        row["cached"] = median_of(hit, runs)
    return row
