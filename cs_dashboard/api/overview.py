"""Overview entry point: the executive summary at a month, one result for the page and the deck.

Engine first, then hashable arguments (pages cache it with ``ui.cache.run``). Money is in
dollars (ARR annual, MRR monthly); ratios are fractions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api
from cs_dashboard.api import health as api_health
from cs_dashboard.api import retention as api_retention
from cs_dashboard.db import queries
from cs_dashboard.db import retention as db_retention
from cs_dashboard.filters import Filters
from cs_dashboard.health import DEFAULT_BANDS, HealthSummary
from cs_dashboard.months import add_months, latest_quarter_end
from cs_dashboard.portfolio import Portfolio, change


@dataclass(frozen=True)
class Overview:
    """The portfolio at ``as_of`` against ``prior`` (``compare_months`` earlier; ``None``, and
    every ``*_before`` ``None``, when that month precedes the data).

    ``coverage_*``: ``api.retention.csm_coverage`` (CSMs holding a book, accounts and ARR per
    CSM); ``trend``: ``month`` (datetime), ``accounts``, ``mrr``, ``arr`` for every month up to
    ``as_of``; ``quarter``: the MRR bridge row of the latest complete calendar quarter at or
    before ``as_of`` (empty when the data holds none).
    """

    as_of: dt.date
    prior: dt.date | None
    now: Portfolio
    before: Portfolio | None
    health_now: HealthSummary
    health_before: HealthSummary | None
    coverage_now: dict
    coverage_before: dict | None
    trend: pd.DataFrame
    quarter: pd.DataFrame

    def change(self, attr: str, part: str = "portfolio") -> float | None:
        """Change of ``attr`` since ``prior`` in ``part`` (``portfolio``, ``health`` or
        ``coverage``); ``None`` without a comparison month or a value."""
        now, before = {"portfolio": (self.now, self.before),
                       "health": (self.health_now, self.health_before),
                       "coverage": (self.coverage_now, self.coverage_before)}[part]
        if before is None:
            return None
        if isinstance(now, dict):
            return change(now[attr], before[attr])
        return change(getattr(now, attr), getattr(before, attr))

    @property
    def average_acv(self) -> float | None:
        """Average annual contract value: ARR / active accounts (dollars a year)."""
        return self.now.arr / self.now.accounts if self.now.accounts else None


def overview(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
             compare_months: int = 1, weights: tuple = (),
             bands: tuple = DEFAULT_BANDS) -> Overview:
    """The Overview at ``as_of`` (default: the latest month; ``api.OutsideData`` outside the
    data), compared with ``compare_months`` earlier, health scored with ``weights``/``bands``."""
    as_of = api.data_month(engine, as_of)
    prior = api.prior_month(engine, as_of, compare_months)
    months = [as_of] if prior is None else [as_of, prior]
    books = [api.portfolio_at(engine, m, filters) for m in months]
    health = api_health.health_summaries(engine, months, filters, weights, bands)  # one query
    coverage = [api_retention.coverage(db_retention.active_csms(engine, m, filters), book)
                for m, book in zip(months, books, strict=True)]

    def before(values: list):
        return None if prior is None else values[1]

    return Overview(
        as_of=as_of, prior=prior, now=books[0], before=before(books),
        health_now=health[0], health_before=before(health),
        coverage_now=coverage[0], coverage_before=before(coverage),
        trend=arr_trend(engine, as_of, filters),
        quarter=latest_quarter_bridge(engine, as_of, filters),
    )


def arr_trend(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters()) -> pd.DataFrame:
    """Per month up to ``as_of``: ``month`` (datetime), ``accounts``, ``mrr``, ``arr``
    (12 x MRR)."""
    trend = queries.mrr_by_month(engine, filters)
    trend = trend[trend["month"].dt.date <= as_of].reset_index(drop=True)
    return trend.assign(arr=trend["mrr"] * 12)[["month", "accounts", "mrr", "arr"]]


def latest_quarter_bridge(engine: sa.Engine, as_of: dt.date,
                          filters: Filters = Filters()) -> pd.DataFrame:
    """The MRR bridge row of the latest complete calendar quarter at or before ``as_of``; empty
    when that quarter does not lie wholly after the data's first month (its opening month has
    nothing to compare to)."""
    end = latest_quarter_end(as_of)
    w0 = api.data_window(engine)[0]
    if add_months(end, -2) <= w0:
        return pd.DataFrame()
    bridge = api_retention.movement_bridge(engine, end, filters, "quarter", 3)
    return bridge.iloc[[-1]].reset_index(drop=True)
