"""Entry points from a source database to results, shared by the CLI, pages and board pack.

Each function takes an engine first, then plain hashable arguments, so pages can cache it with
``ui.cache.run``. This module holds the portfolio KPIs and tiers; each concern adds its own
module here (``api.segmentation``, ``api.health``, ``api.retention``, ``api.capacity``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db import queries
from cs_dashboard.db.state import AppState
from cs_dashboard.filters import Filters
from cs_dashboard.months import add_months, first_of_month, label
from cs_dashboard.portfolio import Portfolio, portfolio
from cs_dashboard.tiers import STATE_KEY, TierRule, TierRuleError, assign_tiers


class NoData(Exception):
    """The source has no revenue data to compute from."""


class OutsideData(ValueError):
    """An as-of month outside the revenue data (user-facing message naming the data's range)."""


def data_window(engine: sa.Engine) -> tuple[dt.date, dt.date]:
    """(W0, latest month) of the revenue data; raises ``NoData`` when there is none."""
    span = queries.month_range(engine)
    if span is None:
        raise NoData("the database has no revenue (mrr) data yet")
    return span


def data_month(engine: sa.Engine, month: dt.date | None = None) -> dt.date:
    """``month`` as the first of its month (default: the latest month of the data); raises
    ``OutsideData`` for a month before the first or after the last month of the data, which
    would otherwise be answered with zeros."""
    first, last = data_window(engine)
    if month is None:
        return last
    month = first_of_month(month)
    if not first <= month <= last:
        raise OutsideData(f"{label(month)} is outside the data, which runs from {label(first)} "
                          f"to {label(last)}; choose a month in that range")
    return month


def default_as_of(engine: sa.Engine) -> dt.date:
    """The latest month present in the revenue data (raises ``NoData`` when there is none)."""
    return data_window(engine)[1]


def prior_month(engine: sa.Engine, as_of: dt.date, months_back: int) -> dt.date | None:
    """The month ``months_back`` before ``as_of``, or ``None`` when it precedes the data (a
    change against it cannot be shown)."""
    before = add_months(as_of, -months_back)
    return before if before >= data_window(engine)[0] else None


def portfolio_at(engine: sa.Engine, as_of: dt.date | None = None,
                 filters: Filters = Filters()) -> Portfolio:
    """Portfolio KPIs at ``as_of`` (default: the latest month; ``OutsideData`` outside it)."""
    as_of = data_month(engine, as_of)
    return portfolio(queries.portfolio_totals(engine, as_of, filters), as_of)


def saved_tier_rule(state: AppState) -> TierRule:
    """The tier rule saved on the Segmentation page (default: 10% / 20% / rest of accounts)."""
    try:
        return TierRule.from_json(state.get(STATE_KEY))
    except (TierRuleError, KeyError, TypeError):
        return TierRule()


def save_tier_rule(state: AppState, rule: TierRule, who: str) -> None:
    """Make ``rule`` the tier rule every page uses, recorded in the audit trail (old and new)."""
    old = state.get(STATE_KEY)
    state.set(STATE_KEY, rule.to_json())
    state.record(who, "tier rule", {"old": old, "new": rule.to_json()})


def account_tiers(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                  rule: TierRule = TierRule()) -> pd.DataFrame:
    """Active accounts at ``as_of`` with ``mrr``, ``rank``, cumulative shares and ``tier``.

    Tiers are computed over the filtered accounts (the portfolio the user is looking at).
    """
    as_of = data_month(engine, as_of)
    return tier_frame(engine, queries.account_mrr_at(engine, as_of, filters), rule)


def tier_frame(engine: sa.Engine, account_mrr: pd.DataFrame, rule: TierRule) -> pd.DataFrame:
    """``assign_tiers`` on ``account_mrr`` (account_id, mrr), reading the accounts' own
    ``segment`` from the source when the rule needs it."""
    segments = None
    if rule.rule == "segment":
        attrs = queries.account_attributes(engine, ["segment"])
        if "segment" not in attrs:
            raise TierRuleError("the data has no 'segment' column to use as tiers")
        segments = attrs.set_index("account_id")["segment"]
    return assign_tiers(account_mrr, rule, segments)
