"""Server-side timings of each script run (``cs_dashboard.timings``), wired into Streamlit.

``app.py`` calls ``start()`` first and ``finish(page)`` last. With ``CS_DASHBOARD_TIMINGS``
unset both return at once; set, the first run also instruments, once per process: every public
builder of ``cs_dashboard.charts`` counts as ``figure``, and Streamlit's chart and table elements
as ``send`` (turning a figure or frame into its message). Cached reads and queries are counted
by ``ui.cache``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import threading

from cs_dashboard import timings

#: DeltaGenerator methods that serialise a figure or a frame.
SEND_ELEMENTS = ("plotly_chart", "altair_chart", "vega_lite_chart", "dataframe", "data_editor",
                 "table")
_installed = False
_lock = threading.Lock()


def start() -> None:
    """Begin timing this run (instrumenting once per process when timings are on)."""
    if not timings.enabled():
        return
    _install()
    timings.begin()


def finish(page: str) -> None:
    """End this run's timing and write its record (no-op when timings are off)."""
    timings.end(page)


def _install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        import streamlit as st
        from streamlit.delta_generator import DeltaGenerator

        import cs_dashboard.charts as charts

        for name in SEND_ELEMENTS:  # st.x is bound to the main DeltaGenerator at import
            setattr(DeltaGenerator, name, timings.timed("send", getattr(DeltaGenerator, name)))
            setattr(st, name, timings.timed("send", getattr(st, name)))
        for info in pkgutil.iter_modules(charts.__path__):
            module = importlib.import_module(f"{charts.__name__}.{info.name}")
            for attr, value in list(vars(module).items()):
                if (not attr.startswith("_") and inspect.isfunction(value)
                        and value.__module__ == module.__name__):
                    setattr(module, attr, timings.timed("figure", value))
        _installed = True
