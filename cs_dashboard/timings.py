"""Server-side timings of page runs, per step: off unless ``CS_DASHBOARD_TIMINGS`` names a file.

When on, each script run of the app appends one JSON line to that file::

    {"page": "Health", "at": 1764633600.1, "total": 0.84,
     "steps": {"query": 0.31, "compute": 0.12, "cached read": 0.05, "figure": 0.18,
               "send": 0.09, "other": 0.09}, "peak_mb": 612}

Steps are *exclusive* seconds, so they add up to ``total``: ``query`` is time in the database
driver's execute, ``compute`` Python work of a cache miss (outside its queries), ``cached read``
a cache lookup (hashing arguments, copying a cached result, waiting for another session that
computes the same result), ``figure`` building charts, ``send`` turning elements into messages
(figure specs, tables), ``other`` the rest (widgets, page code, imports on a first run).
``peak_mb`` is the server process's peak memory (max RSS) so far.

When off, ``step`` is a context manager that returns at once and nothing is patched or written.
The benchmarks (``benchmarks/pages.py``, ``benchmarks/loadtest.py``) turn it on and read the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ENV = "CS_DASHBOARD_TIMINGS"
STEPS = ("query", "compute", "cached read", "figure", "send", "other")

_local = threading.local()
_write_lock = threading.Lock()


def enabled() -> bool:
    """True when ``CS_DASHBOARD_TIMINGS`` names a file to write timings to."""
    return bool(os.environ.get(ENV))


class _Run:
    """One script run: exclusive seconds per step, and a stack of child time per open step."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.at = time.time()
        self.seconds: dict[str, float] = dict.fromkeys(STEPS, 0.0)
        self.open: list[float] = []

    def enter(self) -> float:
        self.open.append(0.0)
        return time.perf_counter()

    def leave(self, name: str, started: float) -> None:
        elapsed = time.perf_counter() - started
        children = self.open.pop() if self.open else 0.0
        self.seconds[name] = self.seconds.get(name, 0.0) + elapsed - children
        if self.open:
            self.open[-1] += elapsed


def _current() -> _Run | None:
    return getattr(_local, "run", None)


def begin() -> None:
    """Start timing this thread's script run (no-op when timings are off)."""
    _local.run = _Run() if enabled() else None


def end(page: str) -> dict | None:
    """Finish this thread's run, append its line to the timings file and return it."""
    run = _current()
    _local.run = None
    if run is None:
        return None
    total = time.perf_counter() - run.started
    steps = {k: round(v, 4) for k, v in run.seconds.items() if k != "other"}
    steps["other"] = round(max(0.0, total - sum(steps.values())), 4)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB
    record = {"page": page, "at": round(run.at, 3), "total": round(total, 4), "steps": steps,
              "peak_mb": round(peak_mb)}
    path = os.environ.get(ENV)
    if path:
        line = json.dumps(record) + "\n"
        with _write_lock, open(path, "a", encoding="utf-8") as out:
            out.write(line)
    return record


@contextlib.contextmanager
def step(name: str) -> Iterator[None]:
    """Count the time inside the block as ``name`` (minus the time of steps nested in it)."""
    run = _current()
    if run is None:
        yield
        return
    started = run.enter()
    try:
        yield
    finally:
        run.leave(name, started)


def timed(name: str, fn):
    """``fn`` wrapped so each call counts as step ``name`` (used to instrument when on)."""
    def wrapper(*args, **kwargs):
        with step(name):
            return fn(*args, **kwargs)

    wrapper.__wrapped__ = fn
    wrapper.__name__ = getattr(fn, "__name__", "timed")
    wrapper.__doc__ = getattr(fn, "__doc__", None)
    return wrapper


def instrument_engine(engine) -> None:
    """Count the engine's statement executions as ``query`` (only when timings are on)."""
    if not enabled():
        return
    from sqlalchemy import event

    def before(conn, cursor, statement, parameters, context, executemany):
        run = _current()
        if run is not None:
            conn.info.setdefault("cs_timings", []).append((run, run.enter()))

    def after(conn, cursor, statement, parameters, context, executemany):
        pending = conn.info.get("cs_timings")
        if pending:
            run, started = pending.pop()
            run.leave("query", started)

    def failed(context):
        pending = context.connection.info.get("cs_timings") if context.connection else None
        if pending:
            run, started = pending.pop()
            run.leave("query", started)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "handle_error", failed)


def read(path: str | Path) -> list[dict]:
    """The records of a timings file (``[]`` when it does not exist)."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
