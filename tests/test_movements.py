"""Revenue movements (docs/definitions.md, Revenue movements): the bridge on a hand-computed portfolio,
SQL against an in-memory reference, PostgreSQL parity and property tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cs_dashboard.api import retention as api_retention
from cs_dashboard.db import movements as db_movements
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.retention.movements import (
    AMOUNTS,
    KINDS,
    PARTIAL_QUARTER_NOTE,
    bridge,
    check_identity,
    history_sums,
    period_note,
)
from cs_dashboard.tiers import TierRule
from tests.conftest import monthly, write_duckdb

W0 = dt.date(2025, 1, 1)
T = dt.date(2025, 8, 1)
FLOORS = TierRule("floor", (100.0, 50.0), ("High touch", "Low touch", "Tech touch"))


def portfolio() -> dict[str, pd.DataFrame]:
    """Five accounts over 2025-01..2025-08 (monthly totals 300, 430, 230, 200, 190, 280, 280, 295).

    P: pre-window (customer_since 2023-01), 100, expands to 150 in April.
    Q: pre-window without customer_since (starts at W0), 200, churns in March.
    N1: new in February at 50, contracts to 40 in May.
    N2: new in February at 80, churns in April, reactivates in June at 60.
    N3: new in June at 30, expands to 45 in August.
    """
    mrr = (monthly("P", "2025-01", [100, 100, 100, 150, 150, 150, 150, 150])
           + monthly("Q", "2025-01", [200, 200])
           + monthly("N1", "2025-02", [50, 50, 50, 40, 40, 40, 40])
           + monthly("N2", "2025-02", [80, 80, 0, 0, 60, 60, 60])
           + monthly("N3", "2025-06", [30, 30, 45]))
    accounts = pd.DataFrame({
        "account_id": ["P", "Q", "N1", "N2", "N3"],
        "csm": ["Ann", "Ann", "Bob", "Bob", None],
        "region": ["EMEA", "EMEA", "APAC", "EMEA", "APAC"],
        "segment": ["Enterprise", "Enterprise", "SMB", "SMB", "SMB"],
        "plan": ["Business", "Business", "Starter", "Growth", "Starter"],
        "customer_since": pd.to_datetime(["2023-01-15", None, "2025-02-03", "2025-02-10",
                                          "2025-06-01"]),
    })
    return {"accounts": accounts, "mrr": pd.DataFrame(mrr)}


@pytest.fixture
def url(tmp_path) -> str:
    return write_duckdb(tmp_path, portfolio(), "movements")


#: month -> (start, new, reactivation, expansion, contraction, churn, end), by hand.
EXPECTED = {
    "2025-02": (300, 130, 0, 0, 0, 0, 430),
    "2025-03": (430, 0, 0, 0, 0, -200, 230),
    "2025-04": (230, 0, 0, 50, 0, -80, 200),
    "2025-05": (200, 0, 0, 0, -10, 0, 190),
    "2025-06": (190, 30, 60, 0, 0, 0, 280),
    "2025-07": (280, 0, 0, 0, 0, 0, 280),
    "2025-08": (280, 0, 0, 15, 0, 0, 295),
}
COUNTS = {"2025-02": {"n_new": 2}, "2025-03": {"n_churn": 1},
          "2025-04": {"n_expansion": 1, "n_churn": 1}, "2025-05": {"n_contraction": 1},
          "2025-06": {"n_new": 1, "n_reactivation": 1}, "2025-08": {"n_expansion": 1}}


def test_monthly_bridge_matches_the_hand_computation(url):
    result = api_retention.movement_bridge(make_engine(url), T, months=12)
    assert list(result["period"]) == list(EXPECTED)  # clamped to start after W0
    for _, row in result.iterrows():
        assert tuple(row[list(AMOUNTS)]) == EXPECTED[row["period"]]
        counts = {f"n_{k}": 0 for k in KINDS} | COUNTS.get(row["period"], {})
        assert {k: row[k] for k in counts} == counts


def test_movement_counts_and_account_totals_are_reported(url):
    result = api_retention.movement_bridge(make_engine(url), T).set_index("period")
    assert result.loc["2025-02", "start_accounts"] == 2
    assert result.loc["2025-02", "end_accounts"] == 4
    assert result.loc["2025-06", "end_accounts"] == 4


def test_quarterly_bridge_starts_and_ends_with_its_months_and_sums_its_movements(url):
    result = api_retention.movement_bridge(make_engine(url), T, period="quarter", months=8)
    rows = {r["period"]: tuple(r[list(AMOUNTS)]) for _, r in result.iterrows()}
    # The bridge starts in February (January has nothing to compare to) and T is August.
    assert rows == {"2025-Q1 (Feb-Mar)": (300, 130, 0, 0, 0, -200, 230),
                    "2025-Q2": (230, 30, 60, 50, -10, -80, 280),
                    "2025-Q3 (Jul-Aug)": (280, 0, 0, 15, 0, 0, 295)}
    assert result.set_index("period").loc["2025-Q2", "n_churn"] == 1
    assert period_note(result) == PARTIAL_QUARTER_NOTE


@pytest.mark.parametrize(("first", "last", "labels"), [
    ("2024-12", "2025-03", ["2024-Q4 (Dec only)", "2025-Q1"]),
    ("2025-10", "2026-11", ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4 (Oct-Nov)"]),
    ("2025-01", "2025-06", ["2025-Q1", "2025-Q2"]),
    ("2025-05", "2025-05", ["2025-Q2 (May only)"]),
])
def test_a_quarter_the_bridge_only_partly_covers_names_the_months_it_sums(first, last, labels):
    start, end = (dt.date.fromisoformat(f"{m}-01") for m in (first, last))
    frame = bridge(pd.DataFrame(), start, end, "quarter")
    assert list(frame["period"]) == labels
    assert period_note(frame) == (PARTIAL_QUARTER_NOTE if any("(" in x for x in labels) else "")


def test_monthly_bridges_and_whole_quarters_have_plain_labels_and_no_note():
    monthly = bridge(pd.DataFrame(), dt.date(2025, 2, 1), dt.date(2025, 3, 1))
    assert list(monthly["period"]) == ["2025-02", "2025-03"] and period_note(monthly) == ""


def test_contraction_and_churn_are_negative_and_the_bridge_adds_up(url):
    result = api_retention.movement_bridge(make_engine(url), T)
    assert (result["contraction"] <= 0).all() and (result["churn"] <= 0).all()
    assert check_identity(result)


def test_a_tier_filter_keeps_the_accounts_of_the_tier_held_at_the_start_of_the_bridge(url):
    # The bridge runs Feb-Aug; at its start (January) P (100) and Q (200) are High touch.
    result = api_retention.movement_bridge(make_engine(url), T, rule=FLOORS, tier="High touch")
    rows = {r["period"]: tuple(r[list(AMOUNTS)]) for _, r in result.iterrows()}
    assert rows["2025-02"] == (300, 0, 0, 0, 0, 0, 300)
    assert rows["2025-03"] == (300, 0, 0, 0, 0, -200, 100)
    assert rows["2025-04"] == (100, 0, 0, 50, 0, 0, 150)


def test_accounts_new_in_the_bridge_take_the_tier_of_their_first_month(url):
    # N1 (50) and N2 (80) start in February in Low touch; by T N1 (40) would be Tech touch.
    result = api_retention.movement_bridge(make_engine(url), T, rule=FLOORS, tier="Low touch")
    rows = {r["period"]: tuple(r[list(AMOUNTS)]) for _, r in result.iterrows()}
    assert rows["2025-02"] == (0, 130, 0, 0, 0, 0, 130)
    assert rows["2025-04"] == (130, 0, 0, 0, 0, -80, 50)
    assert rows["2025-05"] == (50, 0, 0, 0, -10, 0, 40)
    assert rows["2025-06"] == (40, 0, 60, 0, 0, 0, 100)
    assert check_identity(result)


def test_sidebar_filters_restrict_the_bridge(url):
    from cs_dashboard.filters import Filters

    result = api_retention.movement_bridge(make_engine(url), T, Filters.of(region=["APAC"]))
    rows = {r["period"]: tuple(r[list(AMOUNTS)]) for _, r in result.iterrows()}
    assert rows["2025-02"] == (0, 50, 0, 0, 0, 0, 50)
    assert rows["2025-08"] == (70, 0, 0, 15, 0, 0, 85)


def test_first_year_accounts_exclude_the_tenured_pre_window_ones(url):
    result = api_retention.movement_bridge(make_engine(url), T, tenure="first-year")
    assert result.set_index("period").loc["2025-02", "start"] == 0
    tenured = api_retention.movement_bridge(make_engine(url), T, tenure="tenured")
    assert tenured.set_index("period").loc["2025-03", "churn"] == -200


def test_empty_months_have_a_zero_bridge():
    frame = bridge(pd.DataFrame(), dt.date(2025, 2, 1), dt.date(2025, 3, 1))
    assert list(frame["period"]) == ["2025-02", "2025-03"]
    assert (frame[list(AMOUNTS)] == 0).all().all()


def test_sql_equals_the_in_memory_reference_on_the_demo(demo_url, demo_frames):
    engine = make_engine(demo_url)
    w0, t = api_retention.window(engine)
    first = dt.date(w0.year, w0.month + 1, 1) if w0.month < 12 else dt.date(w0.year + 1, 1, 1)
    sql = db_movements.movement_sums(engine, first, t, w0)
    ref = history_sums(demo_frames["mrr"], first, t)
    pd.testing.assert_frame_equal(sql, ref[sql.columns])
    assert check_identity(bridge(sql, first, t))


@pytest.mark.postgres
def test_postgresql_gives_the_same_bridge_as_duckdb(pg_url, url):
    pg = make_engine(pg_url)
    replace_source(pg, portfolio())
    duck = make_engine(url)
    for period in ("month", "quarter"):
        a = api_retention.movement_bridge(duck, T, period=period, months=8)
        b = api_retention.movement_bridge(pg, T, period=period, months=8)
        pd.testing.assert_frame_equal(a, b)
    a = api_retention.movement_bridge(duck, T, rule=FLOORS, tier="Low touch")
    b = api_retention.movement_bridge(pg, T, rule=FLOORS, tier="Low touch")
    pd.testing.assert_frame_equal(a, b)


# --- properties ----------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=5_000_00).map(lambda c: c / 100)
account = st.lists(st.one_of(st.just(0.0), cents), min_size=6, max_size=6)


def history(values: list[list[float]]) -> pd.DataFrame:
    rows = []
    for i, series in enumerate(values):
        rows += monthly(f"A{i}", "2025-01", series)
    return pd.DataFrame(rows, columns=["account_id", "month", "mrr"])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(account, min_size=1, max_size=8), st.sampled_from(["month", "quarter"]))
def test_the_bridge_adds_up_to_the_cent_on_random_portfolios(values, period):
    h = history(values)
    first, last = dt.date(2025, 2, 1), dt.date(2025, 6, 1)
    result = bridge(history_sums(h, first, last), first, last, period)
    assert check_identity(result)
    assert (result["contraction"] <= 0).all() and (result["churn"] <= 0).all()
    assert (result[["new", "reactivation", "expansion"]] >= 0).all().all()
    monthly_totals = h.groupby("month")["mrr"].sum()
    end = result.iloc[-1]["end"]
    assert end == pytest.approx(monthly_totals.get(pd.Timestamp(last), 0.0), abs=0.005)


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(account, min_size=1, max_size=6))
def test_sql_bridge_equals_the_reference_on_random_portfolios(tmp_path, values):
    h = history(values)
    assume(not h.empty)
    accounts = pd.DataFrame({"account_id": sorted(h["account_id"].unique())})
    url = write_duckdb(tmp_path, {"accounts": accounts, "mrr": h}, "random")
    engine = make_engine(url)
    w0 = h["month"].min().date()
    first, last = dt.date(2025, 2, 1), dt.date(2025, 6, 1)
    sql = db_movements.movement_sums(engine, first, last, w0)
    engine.dispose()
    ref = history_sums(h, first, last)
    pd.testing.assert_frame_equal(bridge(sql, first, last), bridge(ref[sql.columns], first, last))


# --- charts --------------------------------------------------------------------------------


def test_the_waterfall_runs_from_start_to_end_with_counts_in_the_labels(url):
    from cs_dashboard.charts.movements import movements_trend_chart, waterfall_chart

    rows = api_retention.movement_bridge(make_engine(url), T, period="quarter", months=8)
    fig = waterfall_chart(rows.iloc[[1]], "note")
    (trace,) = fig.data
    assert list(trace.measure) == ["absolute"] + ["relative"] * 5 + ["total"]
    assert list(trace.y) == [230, 30, 60, 50, -10, -80, 280]
    assert trace.text[5] == "-$80<br>1 acct" and trace.text[0] == "$230<br>3 accts"
    assert fig.layout.title.text == "MRR bridge, 2025-Q2"
    assert fig.layout.yaxis.title.text == "MRR (USD per month)"
    trend = movements_trend_chart(rows)
    assert [t.name for t in trend.data] == ["New", "Reactivation", "Expansion", "Contraction",
                                            "Churn", "Net change"]
    assert list(trend.data[-1].y) == [-70, 50, 15]
