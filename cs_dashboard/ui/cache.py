"""Cached access to the data layer, keyed by source URL, data version, month and filters,
and the session's book scope (``ui.auth.scope``: a signed-in csm's accounts), which every read
carries on its engine (``db.scope``).

Imports bump the data version (``AppState``), so cached results of older data are never
served; the Data page also clears the caches after an import.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from cs_dashboard import api, timings
from cs_dashboard.api import health as api_health
from cs_dashboard.db import queries, schema
from cs_dashboard.db.engine import make_engine, mask_url
from cs_dashboard.db.scope import scoped
from cs_dashboard.db.state import AppState
from cs_dashboard.filters import BookScope, Filters
from cs_dashboard.health import ScoreSettings, Weights
from cs_dashboard.portfolio import Portfolio
from cs_dashboard.tiers import TierRule
from cs_dashboard.ui import auth

T = TypeVar("T")


def _read(cached: Callable[..., T]) -> Callable[..., T]:
    """``cached`` counted as a "cached read" in the run's timings (itself when timings are off)."""
    if not timings.enabled():
        return cached

    @functools.wraps(cached)
    def read(*args, **kwargs):
        with timings.step("cached read"):
            return cached(*args, **kwargs)

    read.clear = cached.clear
    return read


@st.cache_resource(show_spinner=False)
def _source_engine(url: str) -> sa.Engine:
    made = make_engine(url)
    timings.instrument_engine(made)
    return made


@st.cache_resource(show_spinner=False)
def _engine(url: str, book: BookScope | None) -> sa.Engine:
    return scoped(_source_engine(url), book)


def engine(url: str) -> sa.Engine:
    """The session's engine for ``url``: limited to the signed-in csm's book, if any."""
    return _engine(url, auth.scope())


def _at(url: str, version: int, book: BookScope | None) -> sa.Engine:
    """The engine of ``url`` limited to ``book``, its reflected tables kept while the data
    version stays."""
    made = _engine(url, book)
    schema.track_version(made, version)
    return made


@st.cache_resource(show_spinner=False)
def app_state() -> AppState:
    return AppState()


def data_version(url: str) -> int:
    return app_state().data_version(mask_url(url))


def source_details(url: str) -> tuple[str, int | None]:
    """The source's "Data source" label and, on the demo portfolio, its number of accounts
    (read each run, like the tier rule: a label saved on the Data page shows at once)."""
    state, source = app_state(), mask_url(url)
    return state.source_label(source), state.demo_accounts(source)


def clear() -> None:
    """Forget every cached result (after an import)."""
    st.cache_data.clear()


def month_range(url: str, version: int) -> tuple[dt.date, dt.date] | None:
    return _month_range(url, version, auth.scope())


@_read
@st.cache_data(show_spinner=False, max_entries=64)
def _month_range(url: str, version: int, book: BookScope | None) -> tuple[dt.date, dt.date] | None:
    with timings.step("compute"):
        return queries.month_range(_at(url, version, book))


def filter_options(url: str, version: int) -> dict[str, list[str]]:
    return _filter_options(url, version, auth.scope())


@_read
@st.cache_data(show_spinner=False, max_entries=64)
def _filter_options(url: str, version: int, book: BookScope | None) -> dict[str, list[str]]:
    with timings.step("compute"):
        return queries.filter_options(_at(url, version, book))


def table_counts(url: str, version: int) -> dict[str, int]:
    return _table_counts(url, version, auth.scope())


@_read
@st.cache_data(show_spinner=False, max_entries=64)
def _table_counts(url: str, version: int, book: BookScope | None) -> dict[str, int]:
    with timings.step("compute"):
        return queries.table_counts(_at(url, version, book))


def columns(url: str, version: int) -> dict[str, list[str]]:
    return _columns(url, version, auth.scope())


@_read
@st.cache_data(show_spinner=False, max_entries=64)
def _columns(url: str, version: int, book: BookScope | None) -> dict[str, list[str]]:
    with timings.step("compute"):
        return queries.columns(_at(url, version, book))


def portfolio(url: str, version: int, as_of: dt.date, filters: Filters) -> Portfolio:
    return run(api.portfolio_at, url, version, as_of, filters)


def mrr_by_month(url: str, version: int, filters: Filters) -> pd.DataFrame:
    return run(queries.mrr_by_month, url, version, filters)


def run(fn: Callable[..., T], url: str, version: int, *args: Hashable) -> T:
    """``fn(engine(url), *args)``, cached per source, data version and arguments.

    ``fn`` must be a module-level function whose first parameter is the engine (as in
    ``cs_dashboard.api``); arguments must be hashable by Streamlit (frozen dataclasses,
    dates, strings, tuples).
    """
    return _run(_path(fn), url, version, auth.scope(), *args)


def run_whole_book(fn: Callable[..., T], url: str, version: int, *args: Hashable) -> T:
    """``run`` over every account, whatever the session's scope: for work done off any
    session (the warm-up, ``ui.prewarm``), whose results whole-book sessions then read."""
    return _run(_path(fn), url, version, None, *args)


def source_span_whole_book(url: str, version: int) -> tuple[dt.date, dt.date] | None:
    """The source's month range over every account, with the filter options and columns
    every page's sidebar reads also read into the cache (the warm-up's first step)."""
    _filter_options(url, version, None)
    _columns(url, version, None)
    return _month_range(url, version, None)


def _path(fn: Callable) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


@_read
@st.cache_data(show_spinner=False, max_entries=512)
def _run(path: str, url: str, version: int, book: BookScope | None, *args: Hashable):
    module, name = path.split(":")
    with timings.step("compute"):
        return getattr(importlib.import_module(module), name)(_at(url, version, book), *args)


def tier_rule() -> TierRule:
    """The saved tier rule (read each run: it is a tiny local query)."""
    return api.saved_tier_rule(app_state())


def score_settings() -> ScoreSettings:
    """The health score settings saved on the Health page (read each run, like the tier rule)."""
    return api_health.saved_settings(app_state())


def scoring(url: str, version: int) -> tuple[Weights, tuple[float, float]]:
    """``(weights, bands)`` of the saved score settings for the data at ``url``."""
    return scoring_for(run(api_health.components, url, version))


def scoring_for(components: tuple[str, ...]) -> tuple[Weights, tuple[float, float]]:
    """``(weights, bands)`` of the saved score settings for data with ``components``."""
    settings = score_settings()
    return settings.weights_for(components), tuple(settings.bands)
