"""Health queries: SQL results equal the pure computation, on DuckDB and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cs_dashboard import health
from cs_dashboard.api import health as api_health
from cs_dashboard.db import health as db
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import Filters
from cs_dashboard.months import add_months
from tests.conftest import monthly, write_duckdb

NAN = float("nan")
S, T = dt.date(2025, 1, 1), dt.date(2025, 7, 1)


def health_frames() -> dict[str, pd.DataFrame]:
    """Seven accounts over 2025-01..2025-07 (MRR monthly; ARR = 12 x MRR).

    At T = 2025-07 (active: A, B, D, E, G), equal weights, bands 70 / 85:
    A 2025-07 usage 50, adoption 60 -> 55 red (ARR 1,200); B latest snapshot 2025-06 usage 85,
    adoption 85 -> 85 green (2,400); D no snapshot -> unscored (3,600); E provided score 90 ->
    green (1,800); G a snapshot with nothing in it -> unscored (1,440). C and F churned.
    At S = 2025-01: A 60/80 -> 70 yellow, B 90 (adoption missing) green, C 40/50 -> 45 red,
    D unscored, E provided 80 yellow, F 100/70 -> 85 green, G no snapshot yet (unscored).
    """
    mrr = (monthly("A", "2025-01", [100] * 7) + monthly("B", "2025-01", [200] * 7)
           + monthly("C", "2025-01", [50] * 3) + monthly("D", "2025-01", [300] * 7)
           + monthly("E", "2025-01", [150] * 7) + monthly("F", "2025-01", [80] * 5)
           + monthly("G", "2025-01", [120] * 7))
    rows = [("A", "2025-01-01", 60, 80, NAN), ("A", "2025-07-01", 50, 60, NAN),
            ("B", "2025-01-01", 90, NAN, NAN), ("B", "2025-06-01", 85, 85, NAN),
            ("C", "2025-01-01", 40, 50, NAN), ("E", "2025-01-01", NAN, NAN, 80.0),
            ("E", "2025-07-01", NAN, NAN, 90.0), ("F", "2025-01-01", 100, 70, NAN),
            ("G", "2025-07-01", NAN, NAN, NAN)]
    frame = pd.DataFrame(rows, columns=["account_id", "as_of", "usage", "adoption", "score"])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame[["usage", "adoption"]] = frame[["usage", "adoption"]].astype(float)
    frame = frame[["account_id", "as_of", "score", "usage", "adoption"]]
    accounts = pd.DataFrame({
        "account_id": list("ABCDEFG"),
        "account_name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta"],
        "csm": ["Ann", "Ann", "Bob", "Bob", "Ann", "Bob", None],
        "region": ["EMEA", "EMEA", "APAC", "APAC", "EMEA", "APAC", "EMEA"],
        "segment": ["SMB"] * 7,
        "renewal_date": pd.to_datetime(["2025-08-15", "2025-11-01", None, "2026-01-31",
                                        "2025-09-30", None, "2025-08-01"]),
    })
    return {"accounts": accounts, "mrr": pd.DataFrame(mrr), "health": frame}


@pytest.fixture
def health_url(tmp_path) -> str:
    return write_duckdb(tmp_path, health_frames(), "health")


def test_summary_at_t_by_hand(health_url):
    summary = api_health.health_summary(make_engine(health_url), T)
    assert [(b.band, b.accounts, b.arr) for b in summary.bands] == [
        ("red", 1, 1200.0), ("yellow", 0, 0.0), ("green", 2, 4200.0)]
    assert (summary.unscored.accounts, summary.unscored.arr) == (2, 5040.0)
    assert summary.arr_at_risk == 1200.0
    assert summary.arr_at_risk_with_yellow == 1200.0


def test_weights_and_bands_change_the_summary(health_url):
    engine = make_engine(health_url)
    # usage x3: A = (150 + 60) / 4 = 52.5 red; B 85 green; bands 50 / 90: A yellow, B yellow
    summary = api_health.health_summary(engine, T, Filters(), (("usage", 3.0),), (50.0, 90.0))
    assert summary.band("yellow").accounts == 2
    assert summary.band("green").accounts == 1
    assert summary.arr_at_risk_with_yellow == pytest.approx(0.5 * 3600.0)


def test_latest_snapshot_at_or_before_the_month_is_used(health_url):
    rows = api_health.account_health(make_engine(health_url), T).set_index("account_id")
    assert rows.loc["B", "snapshot"] == pd.Timestamp("2025-06-01")
    assert rows.loc["B", "score"] == 85.0 and rows.loc["B", "band"] == "green"
    assert rows.loc["A", "dragging"] == "usage"
    assert rows.loc["E", "source"] == "provided"
    assert rows["band"].astype(str).to_dict() == {"A": "red", "B": "green", "D": "unscored",
                                                  "E": "green", "G": "unscored"}
    assert rows.loc["A", "csm"] == "Ann" and rows.loc["A", "renewal_date"] == pd.Timestamp("2025-08-15")


def test_filters_restrict_the_book(health_url):
    summary = api_health.health_summary(make_engine(health_url), T, Filters.of(region=["APAC"]))
    assert summary.scored_accounts == 0
    assert summary.unscored.accounts == 1 and summary.unscored.arr == 3600.0


def test_backtest_from_s_to_t_by_hand(health_url):
    result, curve = api_health.backtest(make_engine(health_url), T, S)
    rates = result.by_band.set_index("band")
    assert rates["accounts"].to_dict() == {"red": 1, "yellow": 2, "green": 2}
    assert rates["churned"].to_dict() == {"red": 1, "yellow": 0, "green": 1}
    assert result.auc == pytest.approx(4 / 6)
    assert result.unscored == 2
    assert (curve["fpr"].iloc[-1], curve["tpr"].iloc[-1]) == (1.0, 1.0)


def test_migration_from_s_to_t_includes_churned(health_url):
    flows = api_health.migration(make_engine(health_url), S, T)
    got = {(r.from_band, r.to_band): (r.accounts, r.arr_start) for r in flows.itertuples()}
    assert got == {("yellow", "red"): (1, 1200.0), ("green", "green"): (1, 2400.0),
                   ("red", "churned"): (1, 600.0), ("unscored", "unscored"): (2, 3600.0 + 1440.0),
                   ("yellow", "green"): (1, 1800.0), ("green", "churned"): (1, 960.0)}


#: health_frames' band mix by hand, (accounts, ARR) per band, each active account scored from
#: its latest snapshot at or before the month. Jan-Mar: A 70 yellow (1,200), B 90 green (2,400),
#: C 45 red (600), D no snapshot (3,600), E 80 yellow (1,800), F 85 green (960), G no snapshot
#: yet (1,440). April: C has churned. June: F has churned; B's June snapshot is still green.
#: July: A 55 red, E 90 green, G's empty snapshot leaves it unscored, and B's latest snapshot
#: (June) keeps it green.
MIX_BY_HAND = {
    dt.date(2025, m, 1): dict(zip(("red", "yellow", "green", "unscored"), counts, strict=True))
    for m, counts in [
        (1, [(1, 600.0), (2, 3000.0), (2, 3360.0), (2, 5040.0)]),
        (2, [(1, 600.0), (2, 3000.0), (2, 3360.0), (2, 5040.0)]),
        (3, [(1, 600.0), (2, 3000.0), (2, 3360.0), (2, 5040.0)]),
        (4, [(0, 0.0), (2, 3000.0), (2, 3360.0), (2, 5040.0)]),
        (5, [(0, 0.0), (2, 3000.0), (2, 3360.0), (2, 5040.0)]),
        (6, [(0, 0.0), (2, 3000.0), (1, 2400.0), (2, 5040.0)]),
        (7, [(1, 1200.0), (0, 0.0), (2, 4200.0), (2, 5040.0)]),
    ]
}


def mix_table(mix: pd.DataFrame) -> dict:
    return {month: {r.band: (r.accounts, r.arr) for r in rows.itertuples()}
            for month, rows in mix.groupby("month")}


def test_the_band_mix_scores_every_active_account_from_its_latest_snapshot_each_month(health_url):
    mix = api_health.band_mix(make_engine(health_url), T)
    assert mix_table(mix) == MIX_BY_HAND


def test_an_account_whose_latest_snapshot_is_from_an_earlier_month_counts_in_the_band_mix(
        health_url):
    """B's latest snapshot is dated 2025-06: in 2025-07 it is green, in the mix as in the
    summary (counting only snapshots dated in July left B, and D without any, out)."""
    engine = make_engine(health_url)
    july = api_health.band_mix(engine, T).query("month == @T").set_index("band")
    assert (july.loc["green", "accounts"], july.loc["green", "arr"]) == (2, 4200.0)
    assert (july.loc["unscored", "accounts"], july.loc["unscored", "arr"]) == (2, 5040.0)
    summary = api_health.health_summary(engine, T)
    assert {b: (july.loc[b, "accounts"], july.loc[b, "arr"]) for b in july.index} == \
        {b: (summary.band(b).accounts, summary.band(b).arr) for b in july.index}


def test_the_band_mix_shows_every_month_of_the_data_not_only_snapshot_months(health_url):
    engine = make_engine(health_url)
    assert api_health.snapshot_months(engine) == (S, dt.date(2025, 6, 1), T)
    assert api_health.mix_months(engine, T) == tuple(dt.date(2025, m, 1) for m in range(1, 8))
    assert api_health.mix_months(engine, T, 3) == (dt.date(2025, 5, 1), dt.date(2025, 6, 1), T)
    assert list(api_health.band_mix(engine, T, months=3)["month"].unique()) == \
        [dt.date(2025, 5, 1), dt.date(2025, 6, 1), T]


def test_band_mix_shares_are_fractions_of_each_months_active_accounts_and_arr(health_url):
    july = api_health.band_mix(make_engine(health_url), T).query("month == @T").set_index("band")
    # July: 5 active accounts, ARR 1,200 + 4,200 + 5,040 = 10,440
    assert july["share_accounts"].to_dict() == {"red": 1 / 5, "yellow": 0.0, "green": 2 / 5,
                                                "unscored": 2 / 5}
    assert july["share_arr"].to_dict() == pytest.approx(
        {"red": 1200 / 10440, "yellow": 0.0, "green": 4200 / 10440, "unscored": 5040 / 10440})


def pandas_totals(rows: pd.DataFrame, weights, bands) -> pd.DataFrame:
    scored = health.score_accounts(rows, weights, bands)
    return health.band_totals(scored)


@pytest.mark.parametrize("weights, bands", [((), (70.0, 85.0)),
                                            ((("usage", 2.0), ("nps", 0.0)), (60.0, 80.0))])
def test_sql_band_totals_equal_the_pandas_score_on_the_demo(demo_url, weights, bands):
    engine = make_engine(demo_url)
    as_of = api_health.snapshot_months(engine)[-1]
    sql = api_health.health_summary(engine, as_of, Filters(), weights, bands)
    resolved = api_health.resolved_weights(engine, weights)
    expected = pandas_totals(db.account_rows(engine, as_of), resolved, bands).set_index("band")
    for band in (*health.BAND_ORDER, health.UNSCORED):
        assert sql.band(band).accounts == expected.loc[band, "accounts"]
        assert sql.band(band).arr == pytest.approx(expected.loc[band, "arr"])


@pytest.mark.parametrize("weights, bands", [((), (70.0, 85.0)),
                                            ((("usage", 2.0), ("nps", 0.0)), (60.0, 80.0))])
def test_summaries_of_several_months_from_one_query_equal_each_months_summary(
        demo_url, weights, bands):
    engine = make_engine(demo_url)
    months = api_health.snapshot_months(engine)[-1:-4:-1]  # newest first, as the Overview asks
    together = api_health.health_summaries(engine, months, Filters(segment=("SMB",)), weights,
                                           bands)
    assert [s.as_of for s in together] == list(months)
    assert together == [api_health.health_summary(engine, m, Filters(segment=("SMB",)), weights,
                                                  bands) for m in months]


def test_sql_band_mix_equals_the_pandas_score_of_each_months_accounts(demo_url):
    engine = make_engine(demo_url)
    as_of = api_health.snapshot_months(engine)[-1]
    mix = api_health.band_mix(engine, as_of, months=3)
    weights = api_health.resolved_weights(engine)
    for month in api_health.mix_months(engine, as_of, 3):
        rows = db.account_rows(engine, month)
        expected = pandas_totals(rows, weights, health.DEFAULT_BANDS).set_index("band")
        got = mix[mix["month"] == month].set_index("band")
        assert got["accounts"].to_dict() == expected["accounts"].to_dict()
        assert got["arr"].to_dict() == expected["arr"].to_dict()


def test_postgresql_gives_the_same_health_results_as_duckdb(pg_url, tmp_path):
    frames = health_frames()
    duck = make_engine(write_duckdb(tmp_path, frames, "parity"))
    pg = make_engine(pg_url)
    replace_source(pg, frames)
    weights, bands = (("usage", 2.0),), (65.0, 86.0)
    for month in (S, dt.date(2025, 6, 1), T):
        assert api_health.health_summary(pg, month, Filters(), weights, bands) == \
            api_health.health_summary(duck, month, Filters(), weights, bands)
        a = api_health.account_health(pg, month, Filters(), weights, bands)
        b = api_health.account_health(duck, month, Filters(), weights, bands)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    sort = ["from_band", "to_band"]
    pd.testing.assert_frame_equal(
        api_health.migration(pg, S, T).sort_values(sort, ignore_index=True),
        api_health.migration(duck, S, T).sort_values(sort, ignore_index=True))
    pd.testing.assert_frame_equal(api_health.band_mix(pg, T), api_health.band_mix(duck, T))
    bt_pg, bt_duck = api_health.backtest(pg, T, S)[0], api_health.backtest(duck, T, S)[0]
    assert bt_pg.auc == bt_duck.auc
    pd.testing.assert_frame_equal(bt_pg.by_band, bt_duck.by_band)
    assert api_health.snapshot_months(pg) == api_health.snapshot_months(duck)
    assert np.isclose(bt_pg.auc, 4 / 6)


def test_without_a_health_table_every_active_account_is_unscored(tiny_url):
    engine = make_engine(tiny_url)
    summary = api_health.health_summary(engine, dt.date(2026, 1, 1))
    assert not summary.has_health
    assert summary.scored_accounts == 0
    assert (summary.unscored.accounts, summary.unscored.arr) == (3, 6000.0)
    assert api_health.components(engine) == ()
    assert api_health.snapshot_months(engine) == ()


def test_sql_with_filters_equals_the_pandas_score_on_the_filtered_book(demo_url):
    engine = make_engine(demo_url)
    as_of = api_health.snapshot_months(engine)[-1]
    filters = Filters.of(region=["EMEA"], segment=["SMB", "Mid-Market"])
    sql = api_health.health_summary(engine, as_of, filters)
    rows = db.account_rows(engine, as_of, filters)
    expected = pandas_totals(rows, api_health.resolved_weights(engine), health.DEFAULT_BANDS)
    expected = expected.set_index("band")
    assert sql.scored_accounts + sql.unscored.accounts == len(rows) > 0
    for band in (*health.BAND_ORDER, health.UNSCORED):
        assert sql.band(band).accounts == expected.loc[band, "accounts"]
    flows = api_health.migration(engine, add_months(as_of, -3), as_of, filters)
    mix = api_health.band_mix(engine, as_of, filters, months=1)
    assert mix["accounts"].sum() == len(rows)
    assert flows["accounts"].sum() == len(db.account_rows(engine, add_months(as_of, -3), filters))


def test_page_tables_by_hand(health_url):
    tables = api_health.page_tables(make_engine(health_url), T)
    assert list(tables["watch"]["account_id"]) == ["A"]
    assert tables["watch"].loc[0, "score_before"] == 70.0
    assert sorted(tables["unscored"]["account_id"]) == ["D", "G"]
    assert tables["groups"] == {"tier": 2, "segment": 1, "region": 1, "csm": 1}
    quarters = tables["risk_quarter"].set_index("renewal_quarter")
    assert quarters.loc["2025-Q3", "at_risk"] == 1200.0
    assert set(tables["splits"]) == {(by, m) for by in ("tier", "segment", "region", "csm")
                                     for m in ("accounts", "arr")}
