"""Health score engine, bands, dragging component, ARR at risk and the back-test (pure)."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_dashboard import health
from cs_dashboard.charts import health as charts
from cs_dashboard.charts.theme import BAND_COLORS
from cs_dashboard.health import (
    DEFAULT_BANDS,
    HealthInputError,
    arr_at_risk,
    band_of,
    check_bands,
    resolve_weights,
    roc_auc,
    score_accounts,
    views,
)
from cs_dashboard.ingest import load_tables

NAN = float("nan")
COMPONENTS = ("usage", "adoption", "nps")


def one(**values) -> pd.Series:
    """The scored row of one account with the given component values (NaN = missing)."""
    row = {c: values.get(c, NAN) for c in COMPONENTS}
    if "score" in values:
        row["score"] = values["score"]
    weights = resolve_weights(COMPONENTS, values.get("weights", ()))
    return score_accounts(pd.DataFrame([row]), weights).iloc[0]


@pytest.mark.parametrize("values, weights, expected", [
    ({"usage": 60, "adoption": 80, "nps": 100}, (), 80.0),
    ({"usage": 60, "adoption": 80, "nps": 100}, (("usage", 2), ("adoption", 1), ("nps", 1)), 75.0),
    # nps missing: its weight is redistributed over usage and adoption in proportion (2:1)
    ({"usage": 60, "adoption": 90}, (("usage", 2), ("adoption", 1), ("nps", 5)), 70.0),
    ({"usage": 40}, (("usage", 3), ("adoption", 1), ("nps", 1)), 40.0),
    # a zero weight leaves the component out entirely
    ({"usage": 50, "adoption": 100, "nps": 0}, (("nps", 0),), 75.0),
])
def test_the_score_is_the_weighted_mean_of_the_components_present(values, weights, expected):
    assert one(**values, weights=weights)["score"] == pytest.approx(expected)
    assert one(**values, weights=weights)["source"] == "components"


def test_a_provided_score_is_used_only_where_there_are_no_components():
    assert one(score=42.0)["score"] == 42.0
    assert one(score=42.0)["source"] == "provided"
    assert one(usage=90, score=42.0)["score"] == 90.0


def test_an_account_with_neither_components_nor_a_score_is_unscored_not_zero():
    row = one()
    assert np.isnan(row["score"])
    assert row["band"] == "unscored"
    assert row["source"] == "none"
    assert row["dragging"] is None


@pytest.mark.parametrize("score, band", [
    (0.0, "red"), (69.99, "red"), (70.0, "yellow"), (84.99, "yellow"), (85.0, "green"),
    (100.0, "green"), (None, "unscored"), (NAN, "unscored"),
])
def test_band_edges_follow_the_cut_offs_exactly_70_is_yellow_and_85_green(score, band):
    assert band_of(score) == band
    assert health.bands_of(pd.Series([score], dtype=float))[0] == band


def test_a_weighted_mean_of_exactly_70_is_yellow_despite_floating_point():
    # 0.1 * 63 + 0.2 * 73.5 = 21 over 0.3 floats to 69.99999999999999
    row = one(usage=63, adoption=73.5, weights=(("usage", 0.1), ("adoption", 0.2), ("nps", 0.3)))
    assert row["score"] == pytest.approx(70.0)
    assert row["band"] == "yellow"


def test_band_thresholds_are_editable():
    assert band_of(72.0, (75.0, 90.0)) == "red"
    assert band_of(90.0, (75.0, 90.0)) == "green"


@pytest.mark.parametrize("bands", [(85, 70), (70, 70), (0, 50), (70, 101), (70,), (-5, 85)])
def test_bad_band_thresholds_are_rejected(bands):
    with pytest.raises(HealthInputError):
        check_bands(bands)


def test_unknown_components_and_bad_weights_are_rejected_with_the_known_names():
    with pytest.raises(HealthInputError, match="usge.*usage, adoption, nps"):
        resolve_weights(COMPONENTS, (("usge", 1.0),))
    with pytest.raises(HealthInputError, match="zero or positive"):
        resolve_weights(COMPONENTS, (("usage", -1.0),))
    with pytest.raises(HealthInputError, match="positive weight"):
        resolve_weights(COMPONENTS, tuple((c, 0.0) for c in COMPONENTS))


def test_unlisted_components_keep_the_default_weight():
    assert resolve_weights(COMPONENTS, (("usage", 3.0),)) == (("usage", 3.0), ("adoption", 1.0),
                                                             ("nps", 1.0))


@pytest.mark.parametrize("values, weights, dragging", [
    # drags: usage 1 x 40 = 40, adoption 1 x 10 = 10
    ({"usage": 60, "adoption": 90}, (), "usage"),
    # drags: usage 1 x 40 = 40, adoption 5 x 10 = 50
    ({"usage": 60, "adoption": 90}, (("adoption", 5),), "adoption"),
    # a missing component never drags
    ({"usage": 95}, (("nps", 10),), "usage"),
    # ties go to the first component in the data's order
    ({"usage": 80, "adoption": 80}, (), "usage"),
    ({"usage": 100, "adoption": 100}, (), None),
])
def test_the_dragging_component_has_the_largest_weight_times_shortfall(values, weights, dragging):
    assert one(**values, weights=weights)["dragging"] == dragging


def test_arr_at_risk_is_red_arr_and_the_second_figure_adds_half_of_yellow():
    accounts = pd.DataFrame({"band": ["red", "red", "yellow", "green", "unscored"],
                             "arr": [1000.0, 500.0, 2000.0, 9000.0, 300.0],
                             "tier": ["T1", "T2", "T1", "T1", "T2"]})
    book = arr_at_risk(accounts).iloc[0]
    assert (book["at_risk"], book["at_risk_with_yellow"]) == (1500.0, 2500.0)
    by_tier = arr_at_risk(accounts, "tier").set_index("tier")
    assert by_tier.loc["T1", "at_risk_with_yellow"] == 2000.0
    assert by_tier.loc["T2", "at_risk"] == 500.0


def test_summary_counts_bands_and_keeps_unscored_apart():
    totals = pd.DataFrame({"band": ["red", "green", "unscored"], "accounts": [2, 3, 1],
                           "arr": [100.0, 900.0, 50.0]})
    summary = health.summarize(totals, dt.date(2026, 1, 1))
    assert summary.band("yellow").accounts == 0
    assert summary.scored_accounts == 5
    assert summary.unscored.accounts == 1
    assert summary.arr_at_risk == 100.0
    assert summary.share("red") == pytest.approx(0.4)
    assert summary.total_arr == 1050.0


def test_renewal_quarters_are_labelled_and_missing_dates_named():
    dates = pd.Series(pd.to_datetime(["2026-02-10", "2026-12-31", None]))
    assert list(health.renewal_quarter(dates)) == ["2026-Q1", "2026-Q4", "No renewal date"]


def reference_auc(scores: list[float], churned: list[bool]) -> float:
    """Pairwise definition: P(churned scored lower than retained) + half the ties."""
    pos = [s for s, c in zip(scores, churned, strict=True) if c]
    neg = [s for s, c in zip(scores, churned, strict=True) if not c]
    wins = sum(1.0 if p < n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_auc_by_hand_two_churned_three_retained():
    # churned C (45) and F (85); retained A (70), B (90), E (80): C is below all three, F only
    # below B -> 4 of 6 pairs
    scores = np.array([70.0, 90.0, 45.0, 80.0, 85.0])
    churned = np.array([False, False, True, False, True])
    assert roc_auc(100 - scores, churned) == pytest.approx(4 / 6)


def test_auc_counts_ties_as_half_and_is_undefined_without_both_outcomes():
    assert roc_auc(np.array([1.0, 1.0]), np.array([True, False])) == 0.5
    assert roc_auc(np.array([1.0, 2.0]), np.array([False, False])) is None


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 100), st.booleans()), min_size=2, max_size=30))
def test_rank_auc_equals_the_pairwise_definition(pairs):
    scores = [float(s) for s, _ in pairs]
    churned = [c for _, c in pairs]
    auc = roc_auc(100 - np.array(scores), np.array(churned))
    if all(churned) or not any(churned):
        assert auc is None
    else:
        assert auc == pytest.approx(reference_auc(scores, churned))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.none(), st.integers(0, 100)), min_size=3, max_size=3),
       st.lists(st.floats(0.1, 10), min_size=3, max_size=3))
def test_score_lies_between_the_smallest_and_largest_component_present(values, weights):
    present = [v for v in values if v is not None]
    row = {c: (NAN if v is None else float(v)) for c, v in zip(COMPONENTS, values, strict=True)}
    scored = score_accounts(pd.DataFrame([row]), tuple(zip(COMPONENTS, weights, strict=True))).iloc[0]
    if not present:
        assert np.isnan(scored["score"])
    else:
        assert min(present) - 1e-9 <= scored["score"] <= max(present) + 1e-9


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.none(), st.integers(0, 100)), min_size=3, max_size=3),
       st.floats(0.1, 10))
def test_equal_weights_give_the_plain_mean_of_the_components_present(values, w):
    present = [v for v in values if v is not None]
    row = {c: (NAN if v is None else float(v)) for c, v in zip(COMPONENTS, values, strict=True)}
    scored = score_accounts(pd.DataFrame([row]), tuple((c, w) for c in COMPONENTS)).iloc[0]
    if present:
        assert scored["score"] == pytest.approx(sum(present) / len(present))


def test_backtest_churn_rate_per_band_and_reading():
    scored = pd.DataFrame({"score": [70.0, 90.0, 45.0, NAN, 80.0, 85.0, 50.0],
                           "churned": [False, False, True, False, False, True, False],
                           "arr": [1200.0, 2400.0, 600.0, 3600.0, 1800.0, 960.0, 100.0]})
    scored["band"] = health.bands_of(scored["score"], DEFAULT_BANDS)
    result = health.backtest(scored, dt.date(2025, 1, 1), dt.date(2025, 7, 1))
    assert result.churn_rate("red") == 0.5
    assert result.churn_rate("yellow") == 0.0
    assert result.churn_rate("green") == 0.5
    assert (result.accounts, result.churned, result.unscored) == (6, 2, 1)
    assert result.reading.startswith("Red accounts churned 1.0x as often as green ones.")


@pytest.mark.parametrize("red, green, expected", [
    (0.2, 0.05, "Red accounts churned 4.0x as often as green ones."),
    (0.1, 0.0, "10.0% of red accounts churned and no green account did."),
    (0.01, 0.1, "Red accounts churned less often than green ones"),
])
def test_the_reading_puts_the_band_comparison_in_plain_words(red, green, expected):
    by_band = pd.DataFrame({"band": ["red", "yellow", "green"], "accounts": [100, 100, 100],
                            "churned": [int(red * 100), 0, int(green * 100)],
                            "churn_rate": [red, 0.0, green], "arr": [0.0, 0.0, 0.0]})
    result = health.Backtest(dt.date(2025, 1, 1), dt.date(2025, 7, 1), by_band, 0.75, 300,
                             int((red + green) * 100), 0)
    assert result.reading.startswith(expected)
    assert "AUC 0.75" in result.reading


def test_defaults_are_declared_records_with_a_source():
    assert health.DEFAULT_BANDS == (70.0, 85.0)
    assert all(d.source for d in health.DEFAULTS)


@pytest.mark.parametrize("health_csv, reason", [
    (b"account_id,as_of,usage,nps\nA1,2026-01-01,101,50\n", "above 100"),
    (b"account_id,as_of,usage,score\nA1,2026-01-01,50,-1\n", "negative"),
    (b"account_id,as_of,usage,nps\nA1,2026-01-01,80,100.5\n", "above 100"),
])
def test_out_of_range_components_and_scores_are_rejected_at_import(health_csv, reason):
    result = load_tables({
        "accounts": ("accounts.csv", b"account_id,account_name\nA1,Alpha\n"),
        "mrr": ("mrr.csv", b"account_id,month,mrr\nA1,2026-01-01,100\n"),
        "health": ("health.csv", health_csv)})
    assert not result.ok
    assert any(reason in p.reason for p in result.problems)


# --- Charts, checked as data --------------------------------------------------------------

def scored_book() -> pd.DataFrame:
    frame = pd.DataFrame({
        "account_id": list("ABCDEF"), "usage": [50.0, 90.0, 72.0, NAN, 60.0, NAN],
        "adoption": [60.0, 80.0, 88.0, NAN, NAN, NAN], "nps": [NAN] * 6,
        "score": [NAN, NAN, NAN, 95.0, NAN, NAN],
        "arr": [1200.0, 2400.0, 600.0, 1800.0, 300.0, 900.0],
        "tier": pd.Categorical(["T1", "T1", "T2", "T2", "T2", "T1"], categories=["T1", "T2"],
                               ordered=True),
        "renewal_date": pd.to_datetime(["2026-02-01", "2026-05-01", None, "2026-02-20",
                                        "2026-03-31", None]),
    })
    return score_accounts(frame, resolve_weights(COMPONENTS))


def test_histogram_bars_use_the_band_colours_and_stack_by_band():
    book = scored_book()
    fig = charts.score_histogram(views.score_bins(book), DEFAULT_BANDS, "arr")
    assert [t.name for t in fig.data] == ["Red", "Yellow", "Green"]
    assert [t.marker.color for t in fig.data] == [BAND_COLORS[b] for b in ("red", "yellow", "green")]
    red = fig.data[0]
    # A scores 55 (bin 55-60, ARR 1,200) and E 60 (bin 60-65, ARR 300)
    assert list(red.x) == [57.5, 62.5] and list(red.y) == [1200.0, 300.0]
    assert fig.layout.yaxis.tickprefix == "$"
    assert fig.layout.xaxis.title.text.startswith("Health score")
    assert fig.layout.barmode == "stack"
    # the axis starts one bin below the lowest score (55), 0..100 scale otherwise
    assert list(fig.layout.xaxis.range) == [50, 100]


def test_value_at_risk_by_tier_and_renewal_quarter():
    risk = views.risk_by(scored_book(), "tier").set_index("tier")
    # red: A (T1, 1,200), E (T2, 300); yellow: C (T2 80 -> 600)
    assert risk.loc["T1", "at_risk"] == 1200.0
    assert risk.loc["T2", "at_risk_with_yellow"] == 300.0 + 300.0
    quarters = views.risk_by(scored_book(), "renewal_quarter")
    assert list(quarters["renewal_quarter"]) == ["2026-Q1", "2026-Q2", "No renewal date"]
    assert list(quarters["at_risk"]) == [1500.0, 0.0, 0.0]
    fig = charts.value_at_risk(quarters, "renewal_quarter", "Renewal quarter")
    assert list(fig.data[0].y) == [1500.0, 0.0, 0.0]
    assert fig.layout.yaxis.title.text == "ARR at risk (USD)"


def test_watch_list_is_red_accounts_by_arr_with_trend_and_dragging_component():
    book = scored_book()
    earlier = pd.DataFrame({"account_id": ["A", "E"], "score": [65.0, 58.0]})
    watch = views.watch_list(book, earlier)
    assert list(watch["account_id"]) == ["A", "E"]
    assert list(watch["change"]) == [-10.0, 2.0]
    assert list(watch["dragging"]) == ["usage", "usage"]
    assert list(views.unscored(book)["account_id"]) == ["F"]


def test_migration_sankey_keeps_band_colours_and_counts_churned():
    flows = pd.DataFrame({"from_band": ["red", "red", "green"], "to_band": ["churned", "yellow", "green"],
                          "accounts": [2, 1, 5], "arr_start": [100.0, 50.0, 900.0],
                          "arr_end": [0.0, 60.0, 950.0]})
    fig = charts.migration_sankey(flows, "2026-01", "2026-04", "arr")
    sankey = fig.data[0]
    assert list(sankey.node.label) == ["Red · 2026-01", "Green · 2026-01", "Yellow · 2026-04",
                                       "Green · 2026-04", "Churned · 2026-04"]
    assert list(sankey.link.value) == [100.0, 50.0, 900.0]
    assert list(sankey.link.target) == [4, 2, 3]
    matrix = views.migration_matrix(flows)
    assert matrix.loc["red", "churned"] == 2


def test_backtest_chart_shows_churn_rates_as_percent_and_the_roc_curve():
    scored = pd.DataFrame({"score": [60.0, 65.0, 80.0, 90.0], "churned": [True, False, False, False],
                           "arr": [1.0, 1.0, 1.0, 1.0]})
    scored["band"] = health.bands_of(scored["score"])
    result = health.backtest(scored, dt.date(2025, 1, 1), dt.date(2025, 7, 1))
    curve = health.roc_curve(100 - scored["score"], scored["churned"])
    fig = charts.backtest_chart(result, curve)
    assert list(fig.data[0].y[:1]) == [0.5]
    assert fig.layout.yaxis.tickformat == ".0%"
    assert fig.data[2].name == "Health score (AUC 1.00)"


def test_band_split_keeps_the_largest_groups_ordered_by_red_share():
    book = scored_book()
    shares = views.band_shares(book, "tier", "accounts")
    assert list(shares["tier"].cat.categories) == ["T1", "T2"]
    t1 = shares[shares["tier"] == "T1"].set_index("band")["share"]
    # T1 scored: A red, B green (F unscored is left out)
    assert t1.to_dict() == {"red": 0.5, "green": 0.5}
    by_id = views.band_shares(book.assign(group=book["account_id"]), "group", "arr", limit=2)
    # the two largest scored accounts by ARR: B (2,400, green) and D (1,800, green)
    assert set(by_id["group"]) == {"B", "D"}


@pytest.mark.parametrize("values", [
    ["Ann", None, "Bob", "Ann", "Bob", "Ann"],
    pd.Categorical(["T1", None, "T2", "T1", "T2", "T1"], categories=["T1", "T2"]),
])
def test_band_counts_group_scored_accounts_and_name_missing_groups(values):
    """Scored: A 55 red, B 85 green (no group), C 80 yellow, D provided 95 green, E 60 red;
    F is unscored and left out. Text and categorical groups count the same."""
    counts = views.band_counts(scored_book().assign(group=values), "group")
    got = {(g, b): (n, arr) for g, b, n, arr in counts.itertuples(index=False)}
    first, second = ("Ann", "Bob") if isinstance(values, list) else ("T1", "T2")
    assert got == {(first, "red"): (1, 1200.0), (first, "green"): (1, 1800.0),
                   ("(none)", "green"): (1, 2400.0), (second, "yellow"): (1, 600.0),
                   (second, "red"): (1, 300.0)}


@pytest.mark.parametrize("measure", ["accounts", "arr"])
def test_band_shares_from_precomputed_counts_are_the_same(measure):
    book = scored_book()
    counts = views.band_counts(book, "tier")
    assert counts["accounts"].sum() == book["score"].notna().sum()
    pd.testing.assert_frame_equal(views.band_shares(book, "tier", measure, counts=counts),
                                  views.band_shares(book, "tier", measure))


def test_settings_need_valid_bands_and_a_positive_weight_when_there_are_components():
    assert health.check_settings((("usage", 1.0),), (70, 85), ("usage",)) == (70.0, 85.0)
    assert health.check_settings((), (60, 90), ()) == (60.0, 90.0)  # a provided score only
    with pytest.raises(HealthInputError, match="positive weight"):
        health.check_settings((("usage", 0.0),), (70, 85), ("usage",))
    with pytest.raises(HealthInputError, match="0 < red < green"):
        health.check_settings((("usage", 1.0),), (85, 70), ("usage",))
    assert HealthInputError("x").message == "The score settings cannot be used: x."


SNAPSHOTS = [dt.date(2025, m, 1) for m in (1, 3, 4, 6, 7)]


def test_the_migration_starts_at_the_latest_snapshot_three_months_back_and_ends_later():
    starts, index = views.migration_starts(SNAPSHOTS, dt.date(2025, 5, 1))
    assert starts == SNAPSHOTS[:-1] and starts[index] == dt.date(2025, 4, 1)
    assert views.migration_starts(SNAPSHOTS, dt.date(2024, 12, 1))[1] == 0  # none before
    assert views.migration_starts(SNAPSHOTS[:1], dt.date(2025, 5, 1)) == (SNAPSHOTS[:1], 0)
    assert views.migration_ends(SNAPSHOTS, dt.date(2025, 4, 1)) == SNAPSHOTS[3:]
    assert views.migration_ends(SNAPSHOTS, dt.date(2025, 7, 1)) == [dt.date(2025, 7, 1)]


def test_the_backtest_defaults_to_the_latest_snapshot_six_months_back():
    earlier, index = views.backtest_snapshots(SNAPSHOTS, dt.date(2025, 9, 1), 6)
    assert earlier == SNAPSHOTS and earlier[index] == dt.date(2025, 3, 1)
    earlier, index = views.backtest_snapshots(SNAPSHOTS, dt.date(2025, 6, 1), 6)
    assert earlier == SNAPSHOTS[:3] and index == 0  # nothing 6 months back: the first
    assert views.backtest_snapshots(SNAPSHOTS, dt.date(2025, 1, 1), 6) == ([], 0)


def test_the_migration_summary_counts_moves_down_up_and_churn_with_starting_arr():
    flows = pd.DataFrame({"from_band": ["green", "red", "yellow", "green"],
                          "to_band": ["red", "green", "churned", "green"],
                          "accounts": [2, 1, 3, 5], "arr_start": [20_000.0, 5_000.0, 9_000.0, 1.0]})
    text = views.migration_summary(flows, dt.date(2025, 1, 1), dt.date(2025, 4, 1))
    assert text == ("Of the accounts active in 2025-01: 2 moved down a band ($20.0k ARR), "
                    "1 moved up ($5.0k), 3 churned ($9.0k) by 2025-04. ARR at 2025-01.")
