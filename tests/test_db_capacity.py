"""Capacity queries and entry points on the hand-computed portfolio, and DuckDB/PostgreSQL parity."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.api import default_as_of
from cs_dashboard.db import capacity as q
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import Filters
from cs_dashboard.tiers import TierRule

T = dt.date(2026, 1, 1)


def test_each_active_account_comes_with_its_csm(tiny_url):
    books = q.account_books(make_engine(tiny_url), T).sort_values("account_id").reset_index(drop=True)
    assert books.to_dict("records") == [
        {"account_id": "A", "mrr": 150.0, "csm": "Ann"},
        {"account_id": "B", "mrr": 50.0, "csm": "Ann"},
        {"account_id": "D", "mrr": 300.0, "csm": None},
    ]


def test_the_roster_lists_the_csms_table(tiny_url):
    roster = q.csm_roster(make_engine(tiny_url))
    assert roster["csm"].tolist() == ["Ann", "Bob"]
    assert roster["hours_per_week"].tolist() == [40.0, 40.0]


def test_books_per_csm_and_tier_in_annual_dollars(tiny_url):
    """Three active accounts, default rule: tier 1 rounds to 0 accounts, tier 2 = D, tier 3 = A, B."""
    books = api_capacity.current_books(make_engine(tiny_url), T)
    rows = {(r.csm, str(r.tier)): (r.accounts, r.arr) for r in books.itertuples()}
    assert rows == {(None, "Low touch"): (1, 3600.0), ("Ann", "Tech touch"): (2, 2400.0)}


def test_churn_per_tier_uses_the_tiers_of_twelve_months_ago(tiny_url):
    """At 2025-01: B (200) is tier 2, A and C (100 each) tier 3; C has churned by T."""
    churn = api_capacity.churn_by_tier(make_engine(tiny_url), T).set_index("tier")
    assert churn.loc["Low touch", ["base_accounts", "retained", "churn"]].tolist() == [1, 1, 0.0]
    assert churn.loc["Tech touch", ["base_accounts", "retained", "churn"]].tolist() == [2, 1, 0.5]
    assert churn.loc["High touch", "base_accounts"] == 0 and pd.isna(churn.loc["High touch", "churn"])


def test_the_base_book_feeds_the_model(tiny_url):
    base = api_capacity.base_book(make_engine(tiny_url), T)
    assert base.tiers == ("High touch", "Low touch", "Tech touch")
    assert (base.accounts, base.arr) == ((0, 1, 2), (0.0, 3600.0, 2400.0))
    assert base.churn == (None, 0.0, 0.5) and base.csms == 2


def test_filters_narrow_the_book_and_count_only_the_csms_involved(tiny_url):
    base = api_capacity.base_book(make_engine(tiny_url), T, Filters.of(region=["EMEA"]))
    assert sum(base.accounts) == 1 and base.csms == 1


def test_the_health_mix_counts_bands_per_csm(demo_url):
    engine = make_engine(demo_url)
    as_of = default_as_of(engine)
    mix = api_capacity.health_mix(engine, as_of)
    books = api_capacity.current_books(engine, as_of)
    named = books[books["csm"].notna()].groupby("csm")["accounts"].sum()
    totals = mix.set_index("csm")[["red", "yellow", "green", "unscored"]].sum(axis=1)
    assert totals.sort_index().to_dict() == named.sort_index().to_dict()


def test_the_health_mix_follows_the_weights_and_bands_it_is_given(tmp_path):
    """health_frames at 2025-07: Ann has A (55), B (85), E (provided 90); 70 / 85 bands make
    them red, green, green; 50 / 90 bands make them yellow, yellow, green."""
    import datetime as dt

    from tests.conftest import write_duckdb
    from tests.test_db_health import health_frames

    engine = make_engine(write_duckdb(tmp_path, health_frames(), "mix"))
    month = dt.date(2025, 7, 1)
    ann = api_capacity.health_mix(engine, month).set_index("csm").loc["Ann"]
    assert (ann["red"], ann["yellow"], ann["green"]) == (1, 0, 2)
    ann = api_capacity.health_mix(engine, month, bands=(50.0, 90.0)).set_index("csm").loc["Ann"]
    assert (ann["red"], ann["yellow"], ann["green"]) == (0, 2, 1)


def test_without_a_health_table_the_mix_is_empty(tiny_url):
    assert list(api_capacity.health_mix(make_engine(tiny_url), T).columns) == ["csm"]


def test_postgresql_gives_the_same_books_churn_and_roster(pg_url, demo_url, demo_frames):
    pg, duck = make_engine(pg_url), make_engine(demo_url)
    replace_source(pg, demo_frames)
    as_of = default_as_of(duck)
    for rule in (TierRule(), TierRule.default("revenue")):
        assert api_capacity.base_book(pg, as_of, rule=rule) == api_capacity.base_book(duck, as_of, rule=rule)
        pd.testing.assert_frame_equal(api_capacity.current_books(pg, as_of, rule=rule),
                                      api_capacity.current_books(duck, as_of, rule=rule))
    filters = Filters.of(region=["EMEA"])
    a = q.account_books(pg, as_of, filters).sort_values("account_id").reset_index(drop=True)
    b = q.account_books(duck, as_of, filters).sort_values("account_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(q.csm_roster(pg), q.csm_roster(duck), check_dtype=False)
