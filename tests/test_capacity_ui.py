"""Pure helpers behind the Capacity page: the default working scenario, the small rules the page
applies to it, the productivity table and the budget sentence."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cs_dashboard.capacity import Activity, Base, Funded, Scenario, Team, TierPlan, coverage, resolve
from cs_dashboard.capacity.books import (
    book_holders,
    most_and_least_loaded,
    productivity_vs_benchmarks,
    tier_fte,
)
from cs_dashboard.capacity.compare import (
    budget_verdict,
    churn_tiers_note,
    team_cost_per_csm_sum,
    team_cost_sum,
)
from cs_dashboard.capacity.working import (
    activities_from_rows,
    copy_name,
    default_scenario,
    export_filename,
    misfit,
    on_data_book,
    replacement_logos,
    spread_ratios,
    staffing_delta,
)

BASE = Base(tiers=("High", "Mid", "Low"), accounts=(120, 400, 2000), arr=(6e6, 4e6, 1e6),
            churn=(0.12, None, 0.3), csms=10)


# --- the default working scenario ---------------------------------------------------------------

@pytest.mark.parametrize(("position", "expected"), [
    (0, 1.3),   # 120 x (1 - 0.88 ** (1/12)) = 1.27 a month
    (1, 0.0),   # churn not measurable: no replacement needed
    (2, 58.6),  # 2000 x (1 - 0.7 ** (1/12)) = 58.57 a month
])
def test_replacement_logos_offset_each_tiers_churn_month_by_month(position, expected):
    assert replacement_logos(BASE, position) == expected


@pytest.mark.parametrize(("count", "expected"), [
    (3, [10.0, 35.0, 1000.0]),
    (2, [10.0, 1000.0]),
    (5, [10.0, 10.0, 35.0, 1000.0, 1000.0]),
    (1, [50.0]),
])
def test_preset_ratios_spread_evenly_over_any_tier_count(count, expected):
    assert spread_ratios((10.0, 35.0, 1000.0), count) == expected


def test_the_default_scenario_uses_the_datas_tiers_and_replacement_logos():
    sc = default_scenario(BASE)
    assert [t.name for t in sc.tiers] == ["High", "Mid", "Low"]
    assert [(t.mode, t.accounts_per_csm) for t in sc.tiers] == [("ratio", 10.0), ("ratio", 35.0),
                                                                 ("ratio", 1000.0)]
    assert [t.new_logos_per_month for t in sc.tiers] == [1.3, 0.0, 58.6]
    assert sc.growth.attrition == 0.12 and not sc.has_portfolio
    assert coverage(resolve(sc, BASE)).csm_fte == pytest.approx(12 + 400 / 35 + 2)


def test_a_scenario_that_fits_the_data_has_no_misfit_and_one_that_does_not_says_why():
    assert misfit(default_scenario(BASE), BASE) is None
    two = Scenario("Two", (TierPlan("A"), TierPlan("B")))
    assert misfit(two, BASE) == "the scenario has 2 tiers but the data's tier rule has 3 (High, Mid, Low); " \
                                "adjust one of them"


# --- the activity table and the scenario on the data's book -----------------------------------------

def test_the_activity_table_skips_blank_and_unnamed_rows_and_reads_blank_numbers_as_zero():
    rows = pd.DataFrame([("Check-ins", 12, 1.0), (None, None, None), ("  ", 4, 2.0), ("QBR", 4, None)],
                        columns=["activity", "times_per_year", "hours_each"], dtype=object)
    assert activities_from_rows(rows) == (Activity("Check-ins", 12, 1.0), Activity("QBR", 4, 0.0))


def test_on_the_datas_book_a_scenario_keeps_its_coverage_and_drops_its_own_accounts():
    own = Scenario("Own", (TierPlan("A", accounts_per_csm=15, accounts=30, arr=1e6),
                           TierPlan("B", accounts_per_csm=60, accounts=600, arr=2e6)))
    data = on_data_book(own)
    assert own.has_portfolio and not data.has_portfolio
    assert [(t.accounts_per_csm, t.accounts, t.arr) for t in data.tiers] == [(15, None, None),
                                                                             (60, None, None)]


# --- names and words ------------------------------------------------------------------------------

@pytest.mark.parametrize(("taken", "expected"), [
    (set(), "Plan (copy)"),
    ({"Plan (copy)"}, "Plan (copy 2)"),
    ({"Plan (copy)", "Plan (copy 2)"}, "Plan (copy 3)"),
])
def test_a_copy_takes_the_first_free_copy_name(taken, expected):
    assert copy_name("Plan", taken | {"Plan"}) == expected


def test_the_export_file_is_named_after_the_scenario():
    assert export_filename(Scenario("Option B keep", (TierPlan("A"),))) == "option_b_keep.json"


@pytest.mark.parametrize(("gap", "text"), [(3, "3 short"), (-2, "2 spare"), (0, "on target"),
                                           (1234, "1,234 short")])
def test_the_staffing_gap_reads_as_short_spare_or_on_target(gap, text):
    assert staffing_delta(gap) == text


# --- loads and productivity ----------------------------------------------------------------------

@pytest.mark.parametrize(("rows", "expected"), [
    (40, list(range(40))),
    (50, list(range(25)) + list(range(35, 50))),
])
def test_the_load_chart_keeps_the_most_and_least_loaded_csms_of_a_large_team(rows, expected):
    loads = pd.DataFrame({"load": range(rows)})
    assert list(most_and_least_loaded(loads)["load"]) == expected


BOOKS = pd.DataFrame({"csm": ["a", "a", "b", None], "tier": ["High", "Mid", "Mid", "High"],
                      "accounts": [3, 1, 2, 5], "arr": [3e6, 5e5, 5e5, 0.0]})


def test_each_csm_counts_towards_tiers_in_proportion_to_their_accounts():
    assert tier_fte(BOOKS) == {"High": 0.75, "Mid": 1.25}


def test_productivity_is_set_beside_each_benchmark_with_its_source():
    base = Base(tiers=("High", "Mid"), accounts=(9, 3), arr=(3e6, 1e6), churn=(None, None), csms=2)
    table = productivity_vs_benchmarks(BOOKS, base)
    assert list(table.columns) == ["Measure", "Yours", "Benchmark", "Benchmark figure", "Source"]
    assert table[["Measure", "Yours", "Benchmark"]].values.tolist() == [
        ["Accounts per CSM", "6", "104"], ["Accounts per CSM", "6", "50"],
        ["ARR per CSM", "$2.0M", "$2.0M"], ["ARR per CSM", "$2.0M", "$1.7M"],
        ["High: accounts per CSM", "12", "5-15"],   # 9 accounts / 0.75 CSM-equivalents
        ["Mid: accounts per CSM", "2", "20-50"],    # 3 accounts / 1.25
    ]
    assert table["Source"].iloc[-1].endswith("(A)")


def test_books_of_more_than_three_tiers_get_no_per_tier_benchmark():
    base = Base(tiers=("A", "B", "C", "D"), accounts=(1, 1, 1, 1), arr=(1.0,) * 4, churn=(None,) * 4, csms=1)
    assert len(productivity_vs_benchmarks(BOOKS, base)) == 4


# --- what a budget buys -----------------------------------------------------------------------------

FUNDS = ("A team budget of $2.0M a year (10.0% of ARR) funds 10.0 CSM FTE with their share of managers "
         "and CS operations, 80% of the modelled 12.5")


@pytest.mark.parametrize(("protected", "kept", "text"), [
    (None, True, f"{FUNDS}."),
    ("High", True, f"{FUNDS}."),
    ("High", False, f"{FUNDS}; it cannot fully fund High, so every tier is scaled alike."),
])
def test_the_budget_verdict_says_it_is_a_team_budget_and_what_it_funds(protected, kept, text):
    funded = Funded(pd.DataFrame(), 2_000_000.0, 10.0, 12.5, kept)
    assert budget_verdict(funded, 20_000_000.0, protected) == text


def test_without_arr_the_budget_share_is_unknown():
    funded = Funded(pd.DataFrame(), 1_000.0, 0.0, 0.0, True)
    assert budget_verdict(funded, 0.0) == ("A team budget of $1.0k a year (– of ARR) funds 0.0 CSM FTE with "
                                           "their share of managers and CS operations, 100% of the "
                                           "modelled 0.0.")


@pytest.mark.parametrize(("team", "text"), [
    (Team(160_000, 8, 220_000, 20, 130_000),
     "$160.0k CSM cost + $27.5k manager share ($220.0k ÷ 8) + $6.5k CS-ops share ($130.0k ÷ 20) "
     "= $194.0k a year"),
    (Team(100_000, 0, 0, 0, 0), "$100.0k CSM cost = $100.0k a year"),
])
def test_the_pro_rata_team_cost_of_one_csm_reads_as_its_sum(team, text):
    assert team_cost_per_csm_sum(team) == text


def test_the_team_cost_reads_as_whole_heads_at_their_own_cost():
    """30 accounts at 1:10 = 3 CSMs; one manager per 8, one CS ops per 20: 1 of each."""
    team = Team(160_000, 8, 220_000, 20, 130_000)
    sc = Scenario("s", (TierPlan("A", accounts=30, accounts_per_csm=10),), team=team)
    cov = coverage(resolve(sc, None))
    assert team_cost_sum(cov, team) == ("3 CSMs × $160.0k + 1 manager × $220.0k + 1 CS ops × $130.0k "
                                        "= $830.0k a year")
    assert cov.team_cost == 3 * 160_000 + 220_000 + 130_000


def test_measured_churn_names_the_month_whose_tiers_it_uses():
    base = Base(("A",), (1,), (1.0,), (0.1,), 1, as_of=dt.date(2026, 11, 1))
    assert base.churn_tiers_as_of == dt.date(2025, 11, 1)
    assert churn_tiers_note(base.churn_tiers_as_of) == \
        "tiers as at 2025-11, the start of the trailing-12 period"


def test_the_productivity_table_divides_by_the_csms_who_hold_a_book_not_the_roster():
    """The roster has 10 CSMs but only a and b hold a book: 11 accounts / 2, $4.0M / 2."""
    base = Base(tiers=("High", "Mid"), accounts=(8, 3), arr=(3e6, 1e6), churn=(None, None), csms=10)
    table = productivity_vs_benchmarks(BOOKS, base)
    assert table["Yours"].tolist()[:4] == ["6", "6", "$2.0M", "$2.0M"]
    assert book_holders(BOOKS) == 2
