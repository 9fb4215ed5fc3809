"""Portfolio KPIs (docs/definitions.md, Portfolio at month T) on a hand-computed portfolio."""

import datetime as dt

import pytest

from cs_dashboard import api
from cs_dashboard.db.engine import make_engine
from cs_dashboard.filters import Filters
from cs_dashboard.portfolio import change, portfolio

T = dt.date(2026, 1, 1)


def test_kpis_at_t_match_the_hand_computation(tiny_url):
    result = api.portfolio_at(make_engine(tiny_url), T)
    assert (result.accounts, result.mrr, result.arr) == (3, 500.0, 6000.0)
    assert result.nrr_12m == pytest.approx(200 / 400)
    assert result.grr_12m == pytest.approx(150 / 400)
    assert result.logo_retention_12m == pytest.approx(2 / 3)
    assert result.base_accounts == 3


def test_default_as_of_is_the_latest_month(tiny_url):
    assert api.portfolio_at(make_engine(tiny_url)).as_of == T


def test_filters_restrict_both_the_base_and_the_current_accounts(tiny_url):
    emea = api.portfolio_at(make_engine(tiny_url), T, Filters.of(region=["EMEA"]))
    # EMEA: A (100 -> 150) and C (100 -> churned).
    assert (emea.accounts, emea.mrr) == (1, 150.0)
    assert emea.nrr_12m == pytest.approx(150 / 200)
    assert emea.grr_12m == pytest.approx(100 / 200)
    assert emea.logo_retention_12m == pytest.approx(1 / 2)


def test_ratios_are_unknown_without_a_base_twelve_months_earlier(tiny_url):
    early = api.portfolio_at(make_engine(tiny_url), dt.date(2025, 6, 1))
    assert early.accounts == 4
    assert early.nrr_12m is None and early.grr_12m is None and early.logo_retention_12m is None


def test_prior_period_is_months_back():
    now, before = {"accounts": 3, "mrr": 500.0, "base_accounts": 0, "base_mrr": 0.0,
                   "base_mrr_now": 0.0, "base_mrr_kept": 0.0, "base_retained": 0}, None
    assert portfolio(now, T).to_json()["as_of"] == "2026-01"
    assert change(3.0, before) is None and change(0.5, 0.25) == 0.25


def test_filter_values_with_quotes_and_sql_reach_the_database_as_data(tiny_url):
    hostile = Filters.of(region=["EMEA'; DROP TABLE mrr; --", 'x" OR 1=1'])
    engine = make_engine(tiny_url)
    assert api.portfolio_at(engine, T, hostile).accounts == 0
    assert api.portfolio_at(engine, T).accounts == 3
