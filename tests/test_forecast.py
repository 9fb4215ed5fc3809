"""The forecast on a hand-built portfolio: rates, projection, renewals and the what-if, exactly;
the SQL's sums equal the in-memory ones; the intervals hold the truth about 90% of the time."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cs_dashboard import forecast
from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.db import forecast as db
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import Filters
from cs_dashboard.forecast import paths
from cs_dashboard.forecast.model import SUMS
from cs_dashboard.months import add_months
from tests.conftest import ROOT, monthly, write_duckdb

S, T = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
BANDS = (70.0, 85.0)


def forecast_frames() -> dict[str, pd.DataFrame]:
    """Eight accounts over 2025-01..2026-01; health ``usage`` snapshots at S and T (score =
    usage), bands 70 / 85. MRR by month, k = months after S = 2025-01.

    At S: R1 50 red 100 (no revenue from k = 6: churned); R2 60 red 300; Y1 75 yellow 200 (150
    from k = 6: contraction 50); Y2 80 yellow 200 (none at k = 3..8, back at 100 from k = 9:
    churned, and by k = 12 it has lost 200 - 100 = 100); G1 90 green 500 (600 from k = 3:
    expansion 100); G2 95 green 500; U1 unscored 100. Rates by k = 12 (shares of the band's MRR
    at S): red churn 100/400 = 0.25; yellow churn 100/400 = 0.25, contraction 50/400 = 0.125;
    green expansion 100/1000 = 0.1; unscored 0.

    At T: R2 55 red 300, G1 65 red 600, Y1 72 yellow 150, N1 80 yellow 400 (new from 2025-08),
    Y2 88 green 100, G2 90 green 500, U1 unscored 100: ARR red 10,800, yellow 6,600, green
    7,200, unscored 1,200; 25,800 in all.
    """
    mrr = (monthly("R1", "2025-01", [100] * 6) + monthly("R2", "2025-01", [300] * 13)
           + monthly("Y1", "2025-01", [200] * 6 + [150] * 7)
           + monthly("Y2", "2025-01", [200] * 3 + [0] * 6 + [100] * 4)
           + monthly("G1", "2025-01", [500] * 3 + [600] * 10)
           + monthly("G2", "2025-01", [500] * 13) + monthly("U1", "2025-01", [100] * 13)
           + monthly("N1", "2025-08", [400] * 6))
    scores = [("R1", S, 50), ("R2", S, 60), ("Y1", S, 75), ("Y2", S, 80), ("G1", S, 90),
              ("G2", S, 95), ("R2", T, 55), ("G1", T, 65), ("Y1", T, 72), ("N1", T, 80),
              ("Y2", T, 88), ("G2", T, 90)]
    health = pd.DataFrame(scores, columns=["account_id", "as_of", "usage"])
    health["as_of"] = pd.to_datetime(health["as_of"])
    health["usage"] = health["usage"].astype(float)
    accounts = pd.DataFrame({
        "account_id": ["R1", "R2", "Y1", "Y2", "G1", "G2", "U1", "N1"],
        "account_name": ["Red one", "Red two", "Yellow one", "Yellow two", "Green one",
                         "Green two", "Unscored", "New"],
        "csm": ["Ann", "Ann", "Ann", "Bob", "Bob", "Bob", "Bob", None],
        "region": ["EMEA", "EMEA", "APAC", "APAC", "EMEA", "APAC", "EMEA", "EMEA"],
        "renewal_date": pd.to_datetime(["2026-05-01", "2026-02-15", "2026-06-01", None,
                                        "2026-03-20", "2027-03-01", "2025-12-01",
                                        "2026-04-10"]),
    })
    return {"accounts": accounts, "mrr": pd.DataFrame(mrr), "health": health}


@pytest.fixture(scope="module")
def forecast_url(tmp_path_factory) -> str:
    return write_duckdb(tmp_path_factory.mktemp("forecast"), forecast_frames(), "forecast")


def hand_paths() -> pd.DataFrame:
    """The accounts at S as in-memory paths (the same sums the SQL must give)."""
    frames = forecast_frames()["mrr"]
    wide = frames.pivot(index="account_id", columns="month", values="mrr").fillna(0.0)
    at_s = wide[wide[pd.Timestamp(S)] > 0]
    band = {"R1": "red", "R2": "red", "Y1": "yellow", "Y2": "yellow", "G1": "green",
            "G2": "green", "U1": "unscored"}
    later = at_s[[pd.Timestamp(add_months(S, k)) for k in range(1, 13)]].to_numpy()
    return paths.outcome_sums(S, [band[a] for a in at_s.index], at_s[pd.Timestamp(S)], later)


def band_totals(sums: pd.DataFrame) -> pd.DataFrame:
    return sums.groupby(["start", "band", "k"])[list(SUMS)].sum().sort_index()


# --- Rates, exactly ---------------------------------------------------------------------------

@pytest.mark.parametrize("band, k, churn, contraction, expansion, logo", [
    ("red", 12, 0.25, 0.0, 0.0, 0.5),
    ("red", 5, 0.0, 0.0, 0.0, 0.0),
    ("yellow", 3, 0.5, 0.0, 0.0, 0.5),
    ("yellow", 9, 0.25, 0.125, 0.0, 0.5),
    ("yellow", 12, 0.25, 0.125, 0.0, 0.5),
    ("green", 3, 0.0, 0.0, 0.1, 0.0),
    ("unscored", 12, 0.0, 0.0, 0.0, 0.0),
])
def test_rates_by_band_are_the_shares_of_the_bands_arr_by_hand(band, k, churn, contraction,
                                                                 expansion, logo):
    rates = forecast.fit_rates(hand_paths(), S, 12, draws=50)
    assert rates.rate(band, "churn_rate", k) == pytest.approx(churn, abs=1e-12)
    assert rates.rate(band, "contraction_rate", k) == pytest.approx(contraction, abs=1e-12)
    assert rates.rate(band, "expansion_rate", k) == pytest.approx(expansion, abs=1e-12)
    assert rates.rate(band, "logo_churn_rate", k) == pytest.approx(logo, abs=1e-12)


def test_the_database_gives_the_same_sums_as_the_paths(forecast_url):
    sums = db.outcome_sums(make_engine(forecast_url), {S: 12}, Filters(), (("usage", 1.0),),
                           BANDS, blocks=3)
    expected = band_totals(hand_paths())
    assert set(sums["block"]) <= {0, 1, 2}
    pd.testing.assert_frame_equal(band_totals(sums), expected, check_dtype=False, atol=1e-9)


def test_postgresql_gives_the_same_sums_and_calibration_as_duckdb(pg_url, forecast_url):
    """PostgreSQL numbers accounts into blocks (DuckDB hashes them): the band totals agree."""
    pg = make_engine(pg_url)
    replace_source(pg, forecast_frames())
    weights = (("usage", 1.0),)
    for engine in (pg, make_engine(forecast_url)):
        sums = db.outcome_sums(engine, {S: 12, T: 0}, Filters(), weights, BANDS, blocks=3)
        pd.testing.assert_frame_equal(band_totals(sums[sums["start"] == S]),
                                      band_totals(hand_paths()), check_dtype=False, atol=1e-9)
        deciles = db.calibration_deciles(engine, S, 12, Filters(), weights, BANDS,
                                         {"red": 0.25, "yellow": 0.25, "green": 0.0}, 0.1, 3)
        # ranked: red and yellow (0.25; red's lower scores first), unscored (0.1), green
        assert deciles[["accounts", "churned"]].values.tolist() == [[3, 1], [2, 1], [2, 0]]


def test_the_projection_applies_the_rates_to_todays_book_by_hand(forecast_url):
    rates, projection, note = api_forecast.retention_forecast(
        make_engine(forecast_url), T, weights=(("usage", 1.0),), draws=100)
    assert note is None and rates.start == S
    by_band = projection.by_band.set_index("band")
    assert by_band["arr"].to_dict() == {"red": 10800.0, "yellow": 6600.0, "green": 7200.0,
                                        "unscored": 1200.0}
    row = projection.at(12)
    assert row["churn_arr"] == pytest.approx(10800 * 0.25 + 6600 * 0.25)
    assert row["contraction_arr"] == pytest.approx(6600 * 0.125)
    assert row["expansion_arr"] == pytest.approx(7200 * 0.1)
    assert row["grr"] == pytest.approx(1 - (4350 + 825) / 25800)
    assert row["nrr"] == pytest.approx(1 - (4350 + 825 - 720) / 25800)
    assert row["grr_low"] <= row["grr"] <= row["grr_high"] <= 1
    # by k = 3 only yellow had churned (Y2) and green expanded (G1)
    three = projection.at(3)
    assert (three["churn_arr"], three["expansion_arr"]) == pytest.approx((6600 * 0.5, 720))
    assert list(projection.monthly["month"]) == [add_months(T, k) for k in range(1, 13)]


def test_the_same_data_gives_the_same_interval(forecast_url):
    engine = make_engine(forecast_url)
    first = api_forecast.retention_forecast(engine, T, weights=(("usage", 1.0),), draws=100)[1]
    again = api_forecast.retention_forecast(engine, T, weights=(("usage", 1.0),), draws=100)[1]
    pd.testing.assert_frame_equal(first.monthly, again.monthly)


def test_a_band_without_accounts_then_uses_the_rates_of_every_account():
    sums = hand_paths()
    rates = forecast.fit_rates(sums[sums["band"] != "unscored"], S, 12, draws=50)
    book = forecast.Book(T, pd.DataFrame({"band": ["unscored"], "accounts": [1],
                                          "arr": [1200.0], "arr_sq": [1200.0 ** 2]}))
    projection = forecast.project(rates, book)
    assert projection.pooled_bands == ("unscored",)
    # every account at S but U1: churn (R1 100 + Y2 100) / 1,800 of MRR
    assert projection.at()["churn_arr"] == pytest.approx(1200 * 200 / 1800)


def test_history_shorter_than_the_horizon_is_said_instead_of_forecast(forecast_url):
    rates, projection, note = api_forecast.retention_forecast(
        make_engine(forecast_url), add_months(T, -1), weights=(("usage", 1.0),))
    assert rates is None and projection is None
    assert note == ("A forecast as of 2025-12 needs 12 months of history before it, from "
                    "2024-12; the data starts in 2025-01.")


@pytest.mark.parametrize("months, draws, level, message", [
    (0, 100, 0.9, "months ahead must be a whole number from 1 to 24"),
    (25, 100, 0.9, "months ahead must be a whole number from 1 to 24"),
    (12, 5, 0.9, "at least 10 draws"),
    (12, 100, 1.0, "between 0 and 1"),
])
def test_bad_options_are_refused_with_a_message(forecast_url, months, draws, level, message):
    with pytest.raises(forecast.ForecastInputError, match=message):
        api_forecast.retention_forecast(make_engine(forecast_url), T, months=months, draws=draws,
                                        level=level)


# --- Renewals and the what-if -------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(forecast_url) -> forecast.ForecastReport:
    return api_forecast.forecast_report(make_engine(forecast_url), T, weights=(("usage", 1.0),),
                                        draws=100)


def test_renewals_ahead_by_month_and_band_by_hand(report):
    rows = report.renewals.split("month", "band")
    nonzero = rows[rows["arr"] > 0][["label", "group", "accounts", "arr"]]
    assert nonzero.values.tolist() == [["2026-02", "red", 1, 3600.0],
                                       ["2026-03", "red", 1, 7200.0],
                                       ["2026-04", "yellow", 1, 4800.0],
                                       ["2026-06", "yellow", 1, 1800.0]]
    assert list(dict.fromkeys(rows["label"])) == [f"2026-{m:02d}" for m in range(2, 13)] + ["2027-01"]
    assert report.renewals.apart_of("no_date") == (1, 1200.0)    # Y2
    assert report.renewals.apart_of("later") == (1, 6000.0)      # G2, March 2027
    assert report.renewals.apart_of("past") == (1, 1200.0)       # U1, December 2025
    quarters = report.renewals.totals("quarter")
    assert quarters[["label", "arr"]].values.tolist() == [
        ["2026-Q1 (Feb-Mar)", 10800.0], ["2026-Q2", 6600.0], ["2026-Q3", 0.0], ["2026-Q4", 0.0],
        ["2027-Q1 (Jan only)", 0.0]]


def test_renewals_split_by_tier_and_csm(report):
    tiers = report.renewals.split("quarter", "tier")
    assert tiers.groupby("group", sort=False)["arr"].sum().to_dict() == {
        "High touch": 7200.0, "Low touch": 0.0, "Tech touch": 3600.0 + 4800.0 + 1800.0}
    csms = report.renewals.split("month", "csm")
    assert csms.groupby("group")["arr"].sum().to_dict() == {"Ann": 3600.0 + 1800.0, "Bob": 7200.0,
                                                            "(no CSM)": 4800.0}
    table = report.renewals.by_csm("quarter")
    assert list(table.columns[:4]) == ["CSM", "Total", "2026-Q1 (Feb-Mar)", "2026-Q2"]
    assert table[["CSM", "Total"]].values.tolist() == [["Bob", 7200.0], ["Ann", 5400.0],
                                                       ["(no CSM)", 4800.0]]
    assert table["Total"].tolist() == table.drop(columns=["CSM", "Total"]).sum(axis=1).tolist()


def test_the_watch_list_holds_red_then_yellow_renewals_of_the_next_90_days(report):
    watch = report.renewals.watch
    assert watch[["account_id", "band", "arr", "days", "dragging", "csm"]].values.tolist() == [
        ["G1", "red", 7200.0, 48, "usage", "Bob"], ["R2", "red", 3600.0, 15, "usage", "Ann"],
        ["N1", "yellow", 4800.0, 69, "usage", None]]
    assert list(watch["score"]) == [65.0, 55.0, 80.0]


def test_moving_the_largest_red_account_to_green_keeps_its_red_loss_rate(report):
    red = report.renewals.red
    assert list(red["account_id"]) == ["G1", "R2"]
    result = forecast.what_if(report.rates, report.projection, forecast.choose(red, 1), "green",
                              hours_each=131.04, csm_hours=1310.4)
    assert result.kept == pytest.approx(7200 * 0.25)   # red loses 25%, green 0% by k = 12
    assert result.grr_after == pytest.approx(result.grr_before + 1800 / 25800)
    assert (result.hours, result.csms) == pytest.approx((131.04, 0.1))
    assert result.kept_low <= result.kept <= result.kept_high
    assert "keeps $1.8k more ARR over 12 months" in result.sentence
    to_yellow = forecast.what_if(report.rates, report.projection,
                                 forecast.choose(red, picked=["R2"]), "yellow")
    assert to_yellow.kept == pytest.approx(3600 * (0.25 - 0.375))


def test_the_rescue_hours_come_from_the_capacity_model():
    from cs_dashboard.capacity import available_hours
    from cs_dashboard.capacity.model import Availability

    assert forecast.CSM_HOURS.value == pytest.approx(available_hours(Availability()))
    assert forecast.RESCUE_HOURS.value == pytest.approx(forecast.CSM_HOURS.value / 10)


def test_the_kept_curve_grows_with_each_account_by_its_arr(report):
    curve = forecast.kept_curve(report.rates, report.renewals.red, "green", 12, 100.0, 1000.0)
    assert curve[["accounts", "arr", "kept", "hours", "csms"]].values.tolist() == [
        [1, 7200.0, 1800.0, 100.0, 0.1], [2, 10800.0, 2700.0, 200.0, 0.2]]


def test_a_short_history_has_no_track_record_or_calibration_and_says_why(report):
    assert [o.note for o in report.record.origins] == [
        "The forecast as of 2025-01 needs 12 months of history before it, from 2024-01; the "
        "data starts in 2025-01.",
        "The forecast as of 2025-07 needs 12 months of history before it, from 2024-07; the "
        "data starts in 2025-01."]
    assert report.calibration is None and "2024-01" in report.calibration_note
    assert report.headline() == "GRR next 12 months: 80% expected, " \
        f"{report.projection.at()['grr_low'] * 100:.0f}-" \
        f"{report.projection.at()['grr_high'] * 100:.0f}%"


# --- Intervals hold the truth -----------------------------------------------------------------

PROBABILITIES = {"red": 0.30, "yellow": 0.10, "green": 0.03}
SHARES = (0.2, 0.4, 0.4)


def simulated(rng: np.random.Generator, n: int, start: dt.date) -> tuple[pd.DataFrame, float]:
    """``n`` accounts with bands in ``SHARES`` and lognormal MRR, followed one period (k = 1,
    a year): each churns with its band's probability and otherwise keeps its MRR. Returns
    their sums and their realised GRR."""
    band = rng.choice(list(PROBABILITIES), size=n, p=SHARES)
    mrr = np.round(rng.lognormal(6.5, 1.0, size=n), 0) + 1
    churns = rng.random(n) < np.vectorize(PROBABILITIES.get)(band)
    later = np.where(churns, 0.0, mrr)[:, None]
    return paths.outcome_sums(start, band, mrr, later), later.sum() / mrr.sum()


def test_about_90_percent_of_90_percent_intervals_hold_the_actual_grr():
    """200 portfolios: rates measured on 300 accounts, applied to 300 others with the same
    churn probabilities; the realised GRR of the second book falls inside the interval."""
    inside = []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        history, _ = simulated(rng, 300, S)
        book_sums, actual = simulated(rng, 300, T)
        rates = forecast.fit_rates(history, S, 1, draws=200, seed=seed)
        row = forecast.project(rates, forecast.book_of(book_sums, T), seed=seed).at()
        inside.append(row["grr_low"] <= actual <= row["grr_high"])
    assert 0.85 <= np.mean(inside) <= 0.95


def test_about_90_percent_of_bootstrap_intervals_hold_the_true_churn_rate():
    """With every account of one MRR, the band's churn rate estimates its churn probability;
    the bootstrap's 90% interval of the red rate holds the true 30% about 90% of the time."""
    inside = []
    for seed in range(200):
        rng = np.random.default_rng(1000 + seed)
        later = np.where(rng.random(200) < PROBABILITIES["red"], 0.0, 100.0)[:, None]
        sums = paths.outcome_sums(S, ["red"] * 200, np.full(200, 100.0), later)
        draws = forecast.fit_rates(sums, S, 1, draws=400, seed=seed).draws_of("red")
        low, high = np.quantile(draws.draw_mean["churn"][:, -1], [0.05, 0.95])
        inside.append(low <= PROBABILITIES["red"] <= high)
    assert 0.85 <= np.mean(inside) <= 0.95


@pytest.mark.parametrize("default, documented", [
    (forecast.HORIZON, "{:.0f} months before the as-of month"),
    (forecast.LEVEL, "**The interval** ({:.0%})"),
    (forecast.DRAWS, "measured again {:,.0f} times"),
    (forecast.model.BLOCKS, "up to {:.0f} random groups per band"),
    (forecast.WATCH_DAYS, "in the {:.0f} days after the"),
    (forecast.RESCUE_HOURS, "({:.0f} hours:"),
    (forecast.CSM_HOURS, "the {:,.0f} customer hours"),
])
def test_every_declared_default_is_documented_with_its_value(default, documented):
    text = " ".join((ROOT / "docs" / "forecast.md").read_text(encoding="utf-8").split())
    assert documented.format(default.value) in text


def test_the_headline_names_the_earliest_forecast_it_can_quote():
    record = forecast.TrackRecord(T, 12, 0.9, (
        forecast.Origin(add_months(T, -12), 12, pd.DataFrame(), "too short"),
        forecast.Origin(add_months(T, -6), 6, pd.DataFrame({
            "month": [T], "grr_error": [-0.0123], "grr": [0.9], "grr_low": [0.88],
            "grr_high": [0.92], "grr_inside": [True]}))))
    projection = forecast.Projection(T, 1, 0.9, S, 100.0, 1, pd.DataFrame({
        "k": [1], "grr": [0.884], "grr_low": [0.851], "grr_high": [0.912]}), pd.DataFrame())
    report = forecast.ForecastReport(T, 1, 0.9, S, None, projection, record, None, None)
    assert report.headline() == ("GRR next month: 88% expected, 85-91%; the forecast of 6 "
                                 "months ago was off by 1.2 points")


def test_the_kept_chart_draws_a_long_curve_through_a_sample_and_says_so():
    from cs_dashboard.charts.forecast import kept_chart
    from cs_dashboard.sampling import MAX_LINE_POINTS

    n = 20_000
    curve = pd.DataFrame({"accounts": np.arange(1, n + 1), "kept": np.sqrt(np.arange(1, n + 1)),
                          "csms": np.arange(1, n + 1) / 100})
    fig = kept_chart(curve, 12_345, "Data as of Nov 2026")
    assert len(fig.data[0].x) <= MAX_LINE_POINTS
    assert (fig.data[0].x[0], fig.data[0].x[-1]) == (1, n)
    note = next(a.text for a in fig.layout.annotations if a.name == "footnote")
    assert "2,000 evenly spaced points of 20,000" in note
    marked = " ".join(a.text for a in fig.layout.annotations)
    assert "12345 accounts: $111 kept, 123.5 CSMs" in marked  # the exact row, not a sample's
    small = kept_chart(curve.head(50), 10)
    assert len(small.data[0].x) == 50
