"""Kaplan-Meier logo survival (docs/definitions.md, Survival): lifetimes by hand, equality with
lifelines on the durations the definitions give (including late entry), PostgreSQL parity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from cs_dashboard.api import retention as api_retention
from cs_dashboard.db import retention as db_retention
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.months import month_index
from cs_dashboard.retention.survival import kaplan_meier
from tests.conftest import monthly, write_duckdb
from tests.test_movements import FLOORS, W0, T, portfolio


@pytest.fixture
def url(tmp_path) -> str:
    return write_duckdb(tmp_path, portfolio(), "survival")


# Censored accounts are known active at age T - start (T = 2025-08), not one month later.
# P: since 2023-01, censored at 2025-08 - 2023-01 = 31, enters at W0 - 2023-01 = 24.
# Q: pre-window without customer_since: left out. N1: censored at 6 (Feb -> Aug).
# N2: first month without MRR is April: duration 2, churned (the reactivation does not count).
# N3: censored at 2 (Jun -> Aug).
LIFETIMES = pd.DataFrame({"account_id": ["N1", "N2", "N3", "P"], "duration": [6, 2, 2, 31],
                          "event": [0, 1, 0, 0], "entry": [0, 0, 0, 24]})


def late_go_live_portfolio() -> dict[str, pd.DataFrame]:
    """The movements portfolio plus three customers signed before they first paid.

    L: signed 2024-06 (before the window), first pays 2025-03, active to T.
    K: signed 2024-10 (before the window), pays Feb-Apr 2025, churns in May.
    M: signed 2025-03 (inside the window), first pays 2025-05, active to T.
    """
    frames = portfolio()
    mrr = pd.concat([frames["mrr"], pd.DataFrame(
        monthly("L", "2025-03", [70] * 6) + monthly("K", "2025-02", [20, 20, 20])
        + monthly("M", "2025-05", [10] * 4))], ignore_index=True)
    extra = pd.DataFrame({"account_id": ["L", "K", "M"], "csm": ["Ann", "Bob", "Bob"],
                          "region": ["EMEA", "APAC", "APAC"], "segment": ["SMB"] * 3,
                          "plan": ["Growth"] * 3,
                          "customer_since": pd.to_datetime(["2024-06-20", "2024-10-01",
                                                            "2025-03-15"])})
    return {"accounts": pd.concat([frames["accounts"], extra], ignore_index=True), "mrr": mrr}


# L: age from 2024-06, enters at 2025-03 - 2024-06 = 9, censored at 2025-08 - 2024-06 = 14.
# K: age from 2024-10, enters at 4, churns in May: 2025-05 - 2024-10 = 7.
# M: age from 2025-03, enters at 2, censored at 5.
LATE = pd.DataFrame({"account_id": ["K", "L", "M"], "duration": [7, 14, 5], "event": [1, 0, 0],
                     "entry": [4, 9, 2]})


def test_a_customer_signed_before_it_first_pays_is_live_and_enters_late(tmp_path):
    url = write_duckdb(tmp_path, late_go_live_portfolio(), "late")
    lives = db_retention.lifetimes(make_engine(url), T, W0).drop(columns="group")
    late = lives[lives["account_id"].isin(["K", "L", "M"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(late, LATE)
    pd.testing.assert_frame_equal(lives[~lives["account_id"].isin(["K", "L", "M"])]
                                  .reset_index(drop=True), LIFETIMES)


def test_survival_reports_accounts_events_late_entrants_and_the_estimator(tmp_path):
    url = write_duckdb(tmp_path, late_go_live_portfolio(), "late")
    data = api_retention.survival(make_engine(url), T).to_json()
    (group,) = data["groups"]
    assert {k: group[k] for k in ("group", "accounts", "events", "late_entrants", "estimator",
                                  "estimator_reason")} == {
        "group": "All", "accounts": 7, "events": 2, "late_entrants": 4,
        "estimator": "Kaplan-Meier", "estimator_reason": None}


def test_lifetimes_follow_the_definitions(url):
    lives = db_retention.lifetimes(make_engine(url), T, W0)
    pd.testing.assert_frame_equal(lives.drop(columns="group"), LIFETIMES)
    assert set(lives["group"]) == {"All"}


def test_the_curve_equals_lifelines_with_late_entry(url):
    result = api_retention.survival(make_engine(url), T)
    (group,) = result.groups
    kmf = KaplanMeierFitter().fit(LIFETIMES["duration"], LIFETIMES["event"],
                                  entry=LIFETIMES["entry"], timeline=np.arange(0, 32))
    assert group.group == "All" and group.accounts == 4 and group.churned == 1
    assert np.allclose(group.curve["survival"], kmf.survival_function_.iloc[:, 0], atol=1e-12)
    band = kmf.confidence_interval_survival_function_
    assert np.allclose(group.curve["lower"], band.iloc[:, 0], atol=1e-12, equal_nan=True)
    # By hand: at t = 2, 3 at risk (N1, N2, N3; P enters at 24), one churn: S = 2/3.
    assert group.at(1) == 1.0 and group.at(2) == pytest.approx(2 / 3)
    assert group.median is None and result.logrank_p is None


def test_groups_get_their_own_curves_and_a_log_rank_p_value(url):
    result = api_retention.survival(make_engine(url), T, by="plan")
    assert [g.group for g in result.groups] == ["Business", "Growth", "Starter"]
    growth = next(g for g in result.groups if g.group == "Growth")
    assert growth.median == 2.0 and growth.at(2) == 0.0
    lives = LIFETIMES.assign(group=["Starter", "Growth", "Starter", "Business"])
    expected = multivariate_logrank_test(lives["duration"], lives["group"], lives["event"])
    assert result.logrank_p == pytest.approx(expected.p_value, rel=1e-12)


def test_tiers_group_survival_by_the_tier_held_in_the_first_active_month(url):
    # Floors 100 / 50 in each account's first active month: P 100 (High), N1 50 and N2 80 (Low),
    # N3 30 (Tech). By T, N1 has fallen to 40: the tier at T would have put it in Tech touch.
    result = api_retention.survival(make_engine(url), T, by="tier", rule=FLOORS)
    assert [g.group for g in result.groups] == ["High touch", "Low touch", "Tech touch"]
    assert [g.accounts for g in result.groups] == [1, 2, 1]


def test_the_table_reports_median_and_milestones(url):
    table = api_retention.survival(make_engine(url), T).table()
    assert list(table.columns) == ["group", "accounts", "churned", "late_entrants",
                                   "median_months", "s12", "s24", "s36"]
    assert table.loc[0, "s12"] == pytest.approx(2 / 3) and pd.isna(table.loc[0, "s36"])


def test_the_readable_table_shows_percents_and_the_median_in_words(url):
    result = api_retention.survival(make_engine(url), T, by="plan")
    shown = result.readable_table()
    assert list(shown.columns) == ["Group", "Accounts", "Churned", "Entered late",
                                   "Median lifetime", "S(12)", "S(24)", "S(36)"]
    growth = shown[shown["Group"] == "Growth"].iloc[0]
    assert growth["Median lifetime"] == "2 months"
    fractions = pd.to_numeric(result.table()["s12"])
    assert list(shown["S(12)"].fillna(-1)) == pytest.approx(list((fractions * 100).fillna(-1)))
    assert "not reached" in set(shown["Median lifetime"])


def test_every_grouping_the_api_accepts_is_offered_when_the_data_has_it():
    groups = api_retention.survival_groups(["account_id", "plan", "csm", "seats"])
    assert groups == {"All accounts": None, "Tier": "tier", "Plan": "plan", "CSM": "csm"}
    every = api_retention.survival_groups(api_retention.GROUP_COLUMNS)
    assert set(every.values()) == {None, "tier", *api_retention.GROUP_COLUMNS}


def test_an_unknown_grouping_is_refused(url):
    with pytest.raises(ValueError, match="cannot group"):
        api_retention.survival(make_engine(url), T, by="seats")


def reference_lifetimes(frames: dict[str, pd.DataFrame], t, w0) -> pd.DataFrame:
    """The definitions applied in pandas to the account-month history (small data only)."""
    h = frames["mrr"][frames["mrr"]["mrr"] > 0].copy()
    h["mi"] = [month_index(m.date()) for m in pd.to_datetime(h["month"])]
    h = h[h["mi"] <= month_index(t)]
    active = h.groupby("account_id")["mi"].apply(set)
    since = frames["accounts"].set_index("account_id")["customer_since"]
    tw, ww = month_index(t), month_index(w0)
    rows = []
    for account, months in active.items():
        first = min(months)
        s = since.get(account)
        signed = month_index(pd.Timestamp(s).date()) if pd.notna(s) else None
        if signed is None and first == ww:
            continue  # pre-window with no customer_since: its start is unknown
        start = signed if signed is not None and signed < first else first
        entry = first - start
        gap = next((m for m in range(first + 1, tw + 1) if m not in months), None)
        duration = tw - start if gap is None else gap - start
        rows.append((account, duration, int(gap is not None), entry))
    return pd.DataFrame(rows, columns=["account_id", "duration", "event", "entry"])


def test_sql_lifetimes_equal_the_definitions_on_the_demo(demo_url, demo_frames):
    engine = make_engine(demo_url)
    w0, t = api_retention.window(engine)
    sql = db_retention.lifetimes(engine, t, w0).drop(columns="group")
    ref = reference_lifetimes(demo_frames, t, w0).sort_values("account_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(sql, ref)
    late = sql[sql["entry"] > 0]
    assert len(late) > 0.25 * len(sql)
    result = kaplan_meier(sql.assign(group="All"))
    kmf = KaplanMeierFitter().fit(sql["duration"], sql["event"], entry=sql["entry"])
    curve = result.groups[0].curve.set_index("timeline")["survival"]
    expected = kmf.survival_function_at_times(curve.index).to_numpy()
    assert np.allclose(curve.to_numpy(), expected, atol=1e-12)


def test_counted_lifetimes_are_the_per_account_ones_grouped(demo_url):
    engine = make_engine(demo_url)
    w0, t = api_retention.window(engine)
    lives = db_retention.lifetimes(engine, t, w0, by="region")
    counts = db_retention.lifetime_counts(engine, t, w0, by="region")
    keys = ["group", "duration", "event", "entry"]
    expected = lives.groupby(keys).size().rename("accounts").reset_index()
    pd.testing.assert_frame_equal(counts, expected)
    assert len(counts) < len(lives) / 2


def test_kaplan_meier_on_counts_equals_kaplan_meier_per_account(demo_url):
    """The API fits counted lifetimes (weights); the per-account fit must agree exactly."""
    engine = make_engine(demo_url)
    w0, t = api_retention.window(engine)
    per_account = kaplan_meier(db_retention.lifetimes(engine, t, w0, by="region"))
    counted = kaplan_meier(db_retention.lifetime_counts(engine, t, w0, by="region"))
    assert counted.logrank_p == pytest.approx(per_account.logrank_p, rel=1e-9)
    for a, b in zip(per_account.groups, counted.groups, strict=True):
        assert (a.group, a.accounts, a.churned, a.median) == (b.group, b.accounts, b.churned, b.median)
        pd.testing.assert_frame_equal(a.curve, b.curve, atol=1e-12)


def test_survival_json_has_one_entry_per_month(url):
    data = api_retention.survival(make_engine(url), T).to_json()
    (group,) = data["groups"]
    assert group["timeline"] == list(range(32)) and len(group["survival"]) == 32
    assert set(data) == {"groups", "logrank_p"}


@pytest.mark.postgres
def test_postgresql_gives_the_same_lifetimes_as_duckdb(pg_url, demo_url, demo_frames):
    pg = make_engine(pg_url)
    replace_source(pg, demo_frames)
    duck = make_engine(demo_url)
    w0, t = api_retention.window(duck)
    for by in (None, "region"):
        pd.testing.assert_frame_equal(db_retention.lifetimes(duck, t, w0, by=by),
                                      db_retention.lifetimes(pg, t, w0, by=by))
    a = api_retention.survival(duck, t, by="tier").to_json()
    assert a == api_retention.survival(pg, t, by="tier").to_json()


def test_a_group_whose_early_risk_set_empties_falls_back_to_breslow_fleming_harrington(url):
    from lifelines import BreslowFlemingHarringtonFitter

    # EMEA: N2 churns at 2 while P only enters at 24; lifelines refuses Kaplan-Meier here.
    result = api_retention.survival(make_engine(url), T, by="region")
    emea = next(g for g in result.groups if g.group == "EMEA")
    assert emea.estimator == "Breslow-Fleming-Harrington"
    lives = LIFETIMES[LIFETIMES["account_id"].isin(["N2", "P"])]
    bfh = BreslowFlemingHarringtonFitter().fit(lives["duration"], lives["event"],
                                               entry=lives["entry"], timeline=np.arange(0, 32))
    assert np.allclose(emea.curve["survival"], bfh.survival_function_.iloc[:, 0], atol=1e-12)
    apac = next(g for g in result.groups if g.group == "APAC")
    assert apac.estimator == "Kaplan-Meier"


def test_survival_is_unknown_at_ages_before_any_account_is_at_risk(url):
    # Business holds P alone, entering the risk set at 24: nobody is at risk at 12, so S(12) is
    # unknown (None), not a number a headline could print.
    business = next(g for g in api_retention.survival(make_engine(url), T, by="plan").groups
                    if g.group == "Business")
    assert business.at(12) is None and business.at(30) == 1.0
