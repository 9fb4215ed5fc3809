"""Built figures kept for reuse: a chart asked for again with the same inputs is not rebuilt.

Building a plotly figure validates every property (tens of milliseconds, hundreds for large
ones), and a page rebuilds its charts on every rerun, for every session. ``memoised`` keeps the
spec of each figure a builder returned, keyed by the builder and a digest of its pickled
arguments (equal inputs pickle alike; anything that cannot be pickled is simply built), and
hands out an unvalidated copy of that spec: the caller may change it freely. The cache is
shared by every session of the process and holds the most recent ``MAX_FIGURES`` figures.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import plotly.graph_objects as go

from cs_dashboard.charts.theme import raw_spec, unvalidated

F = TypeVar("F", bound=Callable[..., go.Figure])

#: Figures kept (most recently used first out last); a figure spec is a few kB to ~1 MB.
MAX_FIGURES = 256

_specs: OrderedDict[tuple[str, bytes], dict] = OrderedDict()
_lock = threading.Lock()


def _key(fn: Callable, args: tuple, kwargs: dict) -> tuple[str, bytes] | None:
    try:
        data = pickle.dumps((args, sorted(kwargs.items())), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - unpicklable arguments: build without the cache
        return None
    return f"{fn.__module__}.{fn.__qualname__}", hashlib.blake2b(data, digest_size=20).digest()


def _copy(spec: dict) -> go.Figure:
    return unvalidated(raw_spec(spec))


def memoised(fn: F) -> F:
    """``fn`` (a builder returning a plotly figure) with its figures kept for reuse."""

    @functools.wraps(fn)
    def build(*args, **kwargs):
        key = _key(fn, args, kwargs)
        if key is not None:
            with _lock:
                spec = _specs.get(key)
                if spec is not None:
                    _specs.move_to_end(key)
            if spec is not None:
                return _copy(spec)
        fig = fn(*args, **kwargs)
        if key is None or not isinstance(fig, go.Figure):
            return fig
        spec = raw_spec(fig)
        with _lock:
            _specs[key] = spec
            while len(_specs) > MAX_FIGURES:
                _specs.popitem(last=False)
        # a copy from the kept spec like every later call: the same inputs give the same
        # message, which Streamlit's message cache can then skip re-sending
        return _copy(spec)

    return build  # type: ignore[return-value]


def clear() -> None:
    """Forget every kept figure."""
    with _lock:
        _specs.clear()
