"""Cohort retention tables and trailing-12 trends (docs/definitions.md) on hand-computed portfolios,
SQL against an in-memory reference, PostgreSQL parity, property tests and the benchmarks."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cs_dashboard import api
from cs_dashboard.api import retention as api_retention
from cs_dashboard.db import retention as db_retention
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import Filters
from cs_dashboard.retention import benchmarks as rb
from cs_dashboard.retention.cohorts import (
    BASES,
    PARTIAL_COHORT_NOTE,
    PERIODS,
    cohort_table,
    history_cells,
)
from tests.conftest import monthly, write_duckdb
from tests.test_movements import FLOORS, T, history, portfolio

NAN = float("nan")


@pytest.fixture
def url(tmp_path) -> str:
    return write_duckdb(tmp_path, portfolio(), "retention")


def values(table, cohort: str) -> list[float]:
    return list(table.ratios.loc[cohort])


def same(actual: list[float], expected: list[float]) -> bool:
    return len(actual) == len(expected) and all(
        (math.isnan(a) and math.isnan(e)) or a == pytest.approx(e, abs=1e-12)
        for a, e in zip(actual, expected, strict=True))


# Cohort 2025-02 (N1 50, N2 80; start MRR 130): month ages 0..6 are Feb..Aug; N2 churns at
# age 2 and comes back at age 4 with 60; N1 contracts to 40 at age 3. Cohort 2025-06 (N3 30,
# expands to 45 at age 2) is immature from age 3. P and Q are pre-window: left out.
MONTHLY = {
    "logo": {"2025-02": [1, 1, .5, .5, 1, 1, 1], "2025-06": [1, 1, 1, NAN, NAN, NAN, NAN]},
    "net": {"2025-02": [1, 1, 50 / 130, 40 / 130, 100 / 130, 100 / 130, 100 / 130],
            "2025-06": [1, 1, 1.5, NAN, NAN, NAN, NAN]},
    "gross": {"2025-02": [1, 1, 50 / 130, 40 / 130, 100 / 130, 100 / 130, 100 / 130],
              "2025-06": [1, 1, 1, NAN, NAN, NAN, NAN]},
}
QUARTERLY = {
    "logo": {"2025-Q1": [1, .5, 1], "2025-Q2": [1, NAN, NAN]},
    "net": {"2025-Q1": [1, 40 / 130, 100 / 130], "2025-Q2": [1, NAN, NAN]},
    "gross": {"2025-Q1": [1, 40 / 130, 100 / 130], "2025-Q2": [1, NAN, NAN]},
}


@pytest.mark.parametrize("basis", BASES)
def test_monthly_cohorts_match_the_hand_computation(url, basis):
    table = api_retention.cohorts(make_engine(url), T, basis, "month")
    assert list(table.ratios.index) == ["2025-02", "2025-06"]
    for cohort, expected in MONTHLY[basis].items():
        assert same(values(table, cohort), expected), (cohort, values(table, cohort))


@pytest.mark.parametrize("basis", BASES)
def test_quarterly_cohorts_step_ages_by_three_months(url, basis):
    table = api_retention.cohorts(make_engine(url), T, basis, "quarter")
    for cohort, expected in QUARTERLY[basis].items():
        assert same(values(table, cohort), expected)


@pytest.mark.parametrize("basis", BASES)
def test_a_yearly_cohort_is_immature_until_its_youngest_member_is_a_year_old(url, basis):
    table = api_retention.cohorts(make_engine(url), T, basis, "year")
    # T is August: the 2025 cohort holds the accounts acquired January to August.
    assert list(table.ratios.index) == ["2025 (Jan-Aug)"]
    assert same(values(table, "2025 (Jan-Aug)"), [1.0])
    assert table.sizes.loc["2025 (Jan-Aug)"].tolist() == [3, 160.0]


def test_pre_window_accounts_are_left_out_and_sizes_are_reported(url):
    table = api_retention.cohorts(make_engine(url), T, "net", "month")
    assert table.sizes.to_dict("index") == {"2025-02": {"accounts": 2, "start_mrr": 130.0},
                                           "2025-06": {"accounts": 1, "start_mrr": 30.0}}


@pytest.mark.parametrize("basis, age, expected", [
    ("logo", 2, 2 / 3), ("logo", 3, 1 / 2), ("net", 2, 95 / 160), ("net", 3, 40 / 130),
    ("gross", 2, 80 / 160), ("gross", 6, 100 / 130),
])
def test_weighted_average_covers_only_the_cohorts_mature_at_each_age(url, basis, age, expected):
    table = api_retention.cohorts(make_engine(url), T, basis, "month")
    assert table.average[age] == pytest.approx(expected)


def test_amounts_hold_mrr_and_counts_with_immature_cells_blank(url):
    engine = make_engine(url)
    net = api_retention.cohorts(engine, T, "net", "month")
    assert net.amounts.loc["2025-06"].tolist()[:3] == [30.0, 30.0, 45.0]
    assert np.isnan(net.amounts.loc["2025-06", 3])
    logo = api_retention.cohorts(engine, T, "logo", "month")
    assert logo.amounts.loc["2025-02"].tolist() == [2, 2, 1, 1, 2, 2, 2]


def test_cohort_json_has_null_where_immature(url):
    data = api_retention.cohorts(make_engine(url), T, "logo", "quarter").to_json()
    assert data["cohorts"][1] == {"cohort": "2025-Q2", "accounts": 1, "start_mrr": 30.0,
                                  "values": [1.0, None, None]}


@pytest.mark.parametrize("basis, weights, expected", [
    ("logo", "accounts", [1, 1, 2 / 3, 1 / 2, 1, 1, 1]),
    ("net", "start_mrr", [1, 1, 95 / 160, 40 / 130, 100 / 130, 100 / 130, 100 / 130]),
    ("gross", "start_mrr", [1, 1, 80 / 160, 40 / 130, 100 / 130, 100 / 130, 100 / 130]),
])
def test_cohort_json_carries_the_weighted_average_row_and_its_weights(url, basis, weights,
                                                                       expected):
    average = api_retention.cohorts(make_engine(url), T, basis, "month").to_json()["average"]
    assert average["weights"] == weights
    assert average["values"] == pytest.approx(expected)


def partly_covered() -> dict[str, pd.DataFrame]:
    """Data from 2024-12 (W0, the last month of a quarter) to 2025-05 (T, mid-quarter).

    X predates the data (no customer_since, active at W0): left out. A is acquired in
    December 2024, B in February 2025, C in May 2025.
    """
    mrr = (monthly("X", "2024-12", [100] * 6) + monthly("A", "2024-12", [40] * 6)
           + monthly("B", "2025-02", [60] * 4) + monthly("C", "2025-05", [20]))
    accounts = pd.DataFrame({"account_id": ["X", "A", "B", "C"],
                             "customer_since": pd.to_datetime([None, "2024-12-05", "2025-02-01",
                                                               "2025-05-03"])})
    return {"accounts": accounts, "mrr": pd.DataFrame(mrr)}


@pytest.mark.parametrize("period, labels", [
    ("month", ["2024-12", "2025-02", "2025-05"]),
    ("quarter", ["2024-Q4 (Dec only)", "2025-Q1", "2025-Q2 (Apr-May)"]),
    ("year", ["2024 (Dec only)", "2025 (Jan-May)"]),
])
def test_a_cohort_period_only_partly_inside_the_data_names_its_months(period, labels):
    frames = partly_covered()
    w0, t = dt.date(2024, 12, 1), dt.date(2025, 5, 1)
    sizes, cells = history_cells(frames["mrr"], frames["accounts"], t, w0)
    table = cohort_table(sizes, cells, t, "logo", period, w0=w0)
    assert list(table.ratios.index) == labels
    assert table.sizes["accounts"].tolist() == ([1, 1, 1] if period != "year" else [1, 2])
    assert table.to_json()["cohorts"][0]["cohort"] == labels[0]
    assert table.period_note == (PARTIAL_COHORT_NOTE if period != "month" else "")


def test_a_tier_keeps_the_cohort_members_by_their_tier_in_their_first_month(url):
    # Floors 100 / 50: N1 starts at 50 (Low touch) and is at 40 (Tech touch) by T; by its first
    # month it belongs to Low touch, so Tech touch holds only N3 (30 in June).
    tech = api_retention.cohorts(make_engine(url), T, "logo", "month", rule=FLOORS,
                                 tier="Tech touch")
    assert tech.sizes.to_dict("index") == {"2025-06": {"accounts": 1, "start_mrr": 30.0}}
    low = api_retention.cohorts(make_engine(url), T, "logo", "month", rule=FLOORS,
                                tier="Low touch")
    assert low.sizes.to_dict("index") == {"2025-02": {"accounts": 2, "start_mrr": 130.0}}


def test_an_empty_scope_gives_an_empty_table(url):
    table = api_retention.cohorts(make_engine(url), T, "net", "month",
                                  Filters.of(region=["LATAM"]))
    assert table.ratios.empty and table.to_json()["cohorts"] == []


@pytest.mark.parametrize("period", list(PERIODS))
@pytest.mark.parametrize("basis", BASES)
def test_sql_cohorts_equal_the_in_memory_reference_on_the_demo(demo_url, demo_frames, basis,
                                                               period):
    engine = make_engine(demo_url)
    w0, t = api_retention.window(engine)
    sql = api_retention.cohorts(engine, t, basis, period)
    ref = cohort_table(*history_cells(demo_frames["mrr"], demo_frames["accounts"], t, w0), t,
                       basis, period, w0=w0)
    pd.testing.assert_frame_equal(sql.ratios, ref.ratios, rtol=1e-12)
    pd.testing.assert_frame_equal(sql.sizes, ref.sizes, rtol=1e-12)


# --- trailing-12 trends --------------------------------------------------------------------


def test_trailing_retention_matches_the_tiny_portfolio(tiny_url):
    trend = api_retention.trends(make_engine(tiny_url), dt.date(2026, 1, 1), months=1)
    row = trend.iloc[-1]
    assert (row["nrr"], row["grr"], row["logo"]) == pytest.approx((0.5, 0.375, 2 / 3))


def test_trends_equal_the_portfolio_kpis_at_every_month(demo_url):
    engine = make_engine(demo_url)
    t = api.default_as_of(engine)
    trend = api_retention.trends(engine, t, Filters.of(region=["EMEA"]))
    assert len(trend) == 24
    for _, row in trend.iloc[::5].iterrows():
        kpi = api.portfolio_at(engine, row["month"], Filters.of(region=["EMEA"]))
        assert (row["nrr"], row["grr"], row["logo"]) == pytest.approx(
            (kpi.nrr_12m, kpi.grr_12m, kpi.logo_retention_12m), rel=1e-12)


def test_tier_trends_add_up_to_the_overall_sums(demo_url):
    engine = make_engine(demo_url)
    t = api.default_as_of(engine)
    overall = api_retention.trends(engine, t).set_index("month")
    by_tier = api_retention.trends(engine, t, by_tier=True)
    summed = by_tier.groupby("month")[["base_accounts", "base_mrr", "now_mrr"]].sum()
    pd.testing.assert_frame_equal(summed, overall[summed.columns], check_names=False)
    assert list(by_tier["tier"].cat.categories) == ["High touch", "Low touch", "Tech touch"]


def test_nrr_per_csm_uses_each_account_s_csm(tiny_url):
    frame = api_retention.nrr_by_csm(make_engine(tiny_url), dt.date(2026, 1, 1))
    rows = frame.set_index("csm")
    # Ann: A (100 -> 150) and B (200 -> 50); Bob: C (100 -> churned).
    assert rows.loc["Ann", "nrr"] == pytest.approx(200 / 300)
    assert rows.loc["Bob", "nrr"] == 0.0 and rows.loc["Bob", "logo"] == 0.0
    assert list(frame["csm"]) == ["Ann", "Bob"]


def test_csm_coverage_counts_distinct_csms_of_active_accounts(tiny_url):
    coverage = api_retention.csm_coverage(make_engine(tiny_url), dt.date(2026, 1, 1))
    # Active at T: A (Ann), B (Ann), D (no CSM): one CSM, three accounts, ARR 6,000.
    assert coverage["csms"] == 1
    assert coverage["accounts_per_csm"] == 3 and coverage["arr_per_csm"] == 6000.0


@pytest.mark.postgres
def test_postgresql_gives_the_same_cohorts_and_trends_as_duckdb(pg_url, demo_url, demo_frames):
    pg = make_engine(pg_url)
    replace_source(pg, demo_frames)
    duck = make_engine(demo_url)
    t = api.default_as_of(duck)
    for basis in BASES:
        a = api_retention.cohorts(duck, t, basis, "quarter", tier="Low touch")
        b = api_retention.cohorts(pg, t, basis, "quarter", tier="Low touch")
        pd.testing.assert_frame_equal(a.ratios, b.ratios, rtol=1e-12)
    a = api_retention.trends(duck, t, by_tier=True)
    b = api_retention.trends(pg, t, by_tier=True)
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)
    pd.testing.assert_frame_equal(api_retention.nrr_by_csm(duck, t),
                                  api_retention.nrr_by_csm(pg, t), rtol=1e-12)
    assert api_retention.csm_coverage(duck, t) == api_retention.csm_coverage(pg, t)


# --- properties ----------------------------------------------------------------------------

amount = st.integers(min_value=1, max_value=3_000_00).map(lambda c: c / 100)
account = st.lists(st.one_of(st.just(0.0), amount), min_size=14, max_size=14)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.lists(account, min_size=1, max_size=8), st.sampled_from(list(PERIODS)))
def test_cohort_ratios_respect_their_bounds_on_random_portfolios(values_, period):
    h = history(values_)
    assume(not h.empty)
    t = dt.date(2026, 2, 1)
    sizes, cells = history_cells(h, None, t, dt.date(2025, 1, 1))
    tables = {b: cohort_table(sizes, cells, t, b, period) for b in BASES}
    assume(not tables["net"].ratios.empty)
    logo, net, gross = (tables[b].ratios.to_numpy() for b in BASES)
    assert np.allclose(net[:, 0], 1.0) and np.allclose(logo[:, 0], 1.0)
    assert np.allclose(gross[:, 0], 1.0)
    mature = ~np.isnan(net)
    assert (np.isnan(logo) == ~mature).all() and (np.isnan(gross) == ~mature).all()
    assert (gross[mature] <= net[mature] + 1e-12).all()
    assert (gross[mature] <= 1 + 1e-12).all() and (logo[mature] <= 1 + 1e-12).all()
    assert (tables["gross"].average.dropna() <= tables["net"].average.dropna() + 1e-12).all()


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(account, min_size=1, max_size=6))
def test_sql_trends_and_cohorts_respect_their_bounds_on_random_portfolios(tmp_path, values_):
    h = history(values_)
    assume(not h.empty)
    accounts = pd.DataFrame({"account_id": sorted(h["account_id"].unique())})
    engine = make_engine(write_duckdb(tmp_path, {"accounts": accounts, "mrr": h}, "random"))
    t, w0 = h["month"].max().date(), h["month"].min().date()  # months outside are refused
    trend = api_retention.trends(engine, t, months=3)
    sizes, cells = db_retention.cohort_cells(engine, t, w0)
    engine.dispose()
    ok = trend.dropna(subset=["nrr"])
    assert (ok["grr"] <= ok["nrr"] + 1e-12).all() and (ok["grr"] <= 1 + 1e-12).all()
    assert (ok["logo"] <= 1).all()
    ref_sizes, ref_cells = history_cells(h, accounts, t, w0)
    for basis in BASES:
        a = cohort_table(sizes, cells, t, basis, "month").ratios
        b = cohort_table(ref_sizes, ref_cells, t, basis, "month").ratios
        # mrr is stored as a 4-byte FLOAT in DuckDB, so cents are not exact in SQL sums.
        pd.testing.assert_frame_equal(a, b, rtol=1e-6)


# --- benchmarks ----------------------------------------------------------------------------


def test_every_benchmark_figure_is_documented_with_its_source():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "retention.md").read_text()
    for b in rb.ALL:
        assert b.metric in ("nrr", "grr", "logo") and 0.5 < b.value < 1.5
        assert b.source in doc and f"{b.value * 100:.0f}%" in doc
    assert len(rb.BY_ACV) == 12


@pytest.mark.parametrize("acv, nrr, grr", [
    (5_000, 1.00, 0.90), (12_000, 1.02, 0.90), (30_000, 1.03, 0.92), (99_999, 1.05, 0.93),
    (100_000, 1.07, 0.93), (1_000_000, 1.10, 0.93),
])
def test_the_acv_band_picks_the_saas_capital_median(acv, nrr, grr):
    assert rb.for_acv(acv, "nrr").value == nrr and rb.for_acv(acv, "grr").value == grr



# --- charts --------------------------------------------------------------------------------


def test_the_heatmap_leaves_immature_cells_blank_and_ends_with_the_average(url):
    from cs_dashboard.charts.retention import AVERAGE_LABEL, cohort_heatmap

    table = api_retention.cohorts(make_engine(url), T, "net", "month")
    (trace,) = cohort_heatmap(table, "pct", "note").data
    assert trace.y[-1] == AVERAGE_LABEL and trace.y[0] == "2025-02 · 2 · $130"
    assert np.isnan(trace.z[1][3]) and trace.text[1][3] == ""
    assert trace.text[1][2] == "150%" and trace.z[-1][2] == pytest.approx(95 / 160)
    (money,) = cohort_heatmap(table, "amount").data
    assert money.text[1][2] == "$45"


def test_curves_highlight_the_latest_cohorts_bold_the_average_and_name_the_benchmark(url):
    from cs_dashboard.charts.retention import retention_curves

    table = api_retention.cohorts(make_engine(url), T, "net", "month")
    bench = rb.MEDIANS[0]
    fig = retention_curves(table, bench, highlight=1).to_dict()
    lines = {t["name"]: t["line"] for t in fig["data"]}
    assert lines["2025-06"]["width"] > lines["Older cohorts"]["width"]
    assert lines["Weighted average"]["width"] == 4
    assert list(fig["data"][-1]["y"]) == [bench.value, bench.value]
    assert fig["data"][-1]["name"] == bench.label and fig["data"][-1]["line"]["dash"] == "dash"
    assert any(bench.source in a["text"] for a in fig["layout"]["annotations"])
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"


def test_the_survival_chart_draws_a_band_and_a_curve_per_group(url):
    from cs_dashboard.charts.retention import survival_chart

    result = api_retention.survival(make_engine(url), T, by="plan")
    fig = survival_chart(result).to_dict()
    assert len(fig["data"]) == 3 * len(result.groups)
    assert [t.get("fill") for t in fig["data"][:3]] == [None, "tonexty", None]
    assert fig["data"][2]["name"] == "Business (1)"


def test_the_benchmark_chart_names_its_source_and_band():
    from cs_dashboard.charts.retention import benchmark_chart

    fig = benchmark_chart(1.0, 0.9, rb.for_acv(20_000, "nrr"), rb.for_acv(20_000, "grr"),
                          "$12-25k", "note").to_dict()
    assert list(fig["data"][1]["y"]) == [1.02, 0.90]
    assert fig["data"][1]["name"] == "SaaS Capital median, ACV $12-25k"
    assert rb.SAAS_CAPITAL_BRIEF in fig["layout"]["annotations"][0]["text"]


def test_sqlite_gives_the_same_results_as_duckdb(tmp_path, url):
    sqlite = make_engine(f"sqlite:///{tmp_path / 'retention.sqlite'}")
    replace_source(sqlite, portfolio())
    duck = make_engine(url)
    for basis in BASES:
        a = api_retention.cohorts(duck, T, basis, "quarter", rule=FLOORS, tier="Tech touch")
        b = api_retention.cohorts(sqlite, T, basis, "quarter", rule=FLOORS, tier="Tech touch")
        pd.testing.assert_frame_equal(a.ratios, b.ratios)
    pd.testing.assert_frame_equal(api_retention.movement_bridge(duck, T, tenure="tenured"),
                                  api_retention.movement_bridge(sqlite, T, tenure="tenured"))
    pd.testing.assert_frame_equal(api_retention.trends(duck, T, rule=FLOORS, by_tier=True),
                                  api_retention.trends(sqlite, T, rule=FLOORS, by_tier=True))
    assert api_retention.survival(duck, T, by="region").to_json() == \
        api_retention.survival(sqlite, T, by="region").to_json()
