"""The capacity model: hand-computed cases, the Wingtip team, and invariants as properties."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_dashboard.capacity import (
    Activity,
    Availability,
    Base,
    Growth,
    Scenario,
    ScenarioError,
    Team,
    TierPlan,
    available_hours,
    coverage,
    coverage_for_budget,
    csm_loads,
    evaluate,
    need_path,
    project,
    resolve,
    scenario_at_funding,
    sensitivity,
)
from cs_dashboard.capacity.compare import comparison_table, ratio_label, standalone, summary
from cs_dashboard.capacity.projection import hiring_waves, monthly_rate
from cs_dashboard.capacity.scenario_json import load_file
from tests.conftest import ROOT

START = dt.date(2026, 1, 1)
ENTERPRISE = (Activity("Onboarding", 1, 20), Activity("Check-ins", 12, 2),
              Activity("Business reviews", 4, 5), Activity("Renewal", 1, 11))


def one_tier(accounts: float, ratio: float = 10.0, **growth) -> Scenario:
    return Scenario("One tier", (TierPlan("Only", "ratio", ratio, accounts=accounts, arr=accounts * 1000.0,
                                          churn=0.0),),
                    team=Team(100_000, 0, 0, 0, 0), growth=Growth(**growth))


# --- available hours -------------------------------------------------------------------------

@pytest.mark.parametrize(("availability", "expected"), [
    (Availability(), 52 * 40 * 0.9 * 0.7),
    (Availability(hours_per_week=35, time_off=0.15, non_customer_share=0.35), 52 * 35 * 0.85 * 0.65),
    (Availability(productivity_gain=0.25), 1310.4 * 1.25),
    (Availability(weeks=48, time_off=0.0, non_customer_share=0.0), 1920.0),
])
def test_available_hours_follow_the_definition(availability, expected):
    assert available_hours(availability) == pytest.approx(expected, rel=1e-12)


def test_the_default_csm_has_1310_customer_hours_a_year():
    assert available_hours(Availability()) == pytest.approx(1310.4)


# --- required FTE ------------------------------------------------------------------------------

def test_hours_mode_adds_the_unplanned_share_to_the_activity_table():
    tier = TierPlan("Enterprise", "hours", activities=ENTERPRISE, unplanned_share=0.2, accounts=100)
    assert tier.planned_hours == 75
    assert tier.hours_per_account == pytest.approx(90)
    cov = coverage(resolve(Scenario("Hours", (tier,)), None))
    assert cov.csm_fte == pytest.approx(100 * 90 / 1310.4)
    assert cov.csm_heads == 7
    assert cov.tiers.loc[0, "accounts_per_csm"] == pytest.approx(1310.4 / 90)


@pytest.mark.parametrize(("ratio", "accounts", "fte", "heads"), [
    (10, 100, 10.0, 10), (15, 100, 100 / 15, 7), (50, 0, 0.0, 0), (1000, 1, 0.001, 1),
])
def test_ratio_mode_divides_accounts_by_the_ratio(ratio, accounts, fte, heads):
    cov = coverage(resolve(one_tier(accounts, ratio), None))
    assert cov.csm_fte == pytest.approx(fte)
    assert cov.csm_heads == heads


def test_a_productivity_gain_lets_each_csm_carry_more_accounts():
    sc = replace(one_tier(125, 25), availability=Availability(productivity_gain=0.25))
    cov = coverage(resolve(sc, None))
    assert cov.tiers.loc[0, "accounts_per_csm"] == pytest.approx(31.25)
    assert cov.csm_fte == pytest.approx(4.0)


def test_whole_heads_are_the_ceiling_of_the_total_or_of_each_tier():
    tiers = (TierPlan("A", "ratio", 10, accounts=15), TierPlan("B", "ratio", 10, accounts=15))
    total = coverage(resolve(Scenario("x", tiers, team=Team(csms_per_manager=0, csms_per_ops=0)), None))
    per_tier = coverage(resolve(Scenario("x", tiers, team=Team(0, 0, 0, 0, 0, per_tier_ceil=True)), None))
    assert (total.csm_fte, total.csm_heads) == (pytest.approx(3.0), 3)
    assert (per_tier.csm_fte, per_tier.csm_heads) == (pytest.approx(3.0), 4)
    assert list(per_tier.tiers["heads"]) == [2, 2]


def test_the_wingtip_team_needs_18_csms_and_21_cs_staff():
    """The Wingtip example (data/scenarios/wingtip.json): $40M ARR, 1,600 customers; 2 CSMs on
    the top 25, 11 mid-market CSMs with ~50 each, 4 SMB CSMs sharing 600, 1 tech-touch CSM,
    2 directors, 1 CS-operations analyst."""
    sc = load_file(ROOT / "data" / "scenarios" / "wingtip.json")
    cov = coverage(resolve(sc, None))
    assert list(cov.tiers["fte"]) == pytest.approx([2.0, 11.0, 4.0, 1.0])
    assert cov.accounts == 1600 and cov.arr == 40_000_000
    assert (cov.csm_heads, cov.manager_heads, cov.ops_heads, cov.total_heads) == (18, 2, 1, 21)
    assert cov.team_cost == 18 * 150_000 + 2 * 220_000 + 130_000
    assert cov.team_cost_share == pytest.approx(3_270_000 / 40_000_000)
    assert cov.arr_per_required_csm == pytest.approx(40_000_000 / 18)
    assert cov.accounts_per_required_csm == pytest.approx(1600 / 18)
    assert cov.csm_cost == pytest.approx(18.0 * 150_000)


def test_a_scenario_without_accounts_takes_the_book_from_the_data():
    base = Base(("High", "Low"), (10, 100), (1e6, 2e6), (0.1, None), csms=3)
    sc = Scenario("Data", (TierPlan("High", "ratio", 10), TierPlan("Low", "ratio", 50, churn=0.2)))
    r = resolve(sc, base)
    assert list(r.accounts) == [10, 100] and list(r.arr) == [1e6, 2e6]
    assert list(r.churn) == pytest.approx([0.1, 0.2])
    assert r.current_csms == 3
    assert coverage(r).csm_fte == pytest.approx(3.0)


@pytest.mark.parametrize(("base", "message"), [
    (None, "needs a database"),
    (Base(("A", "B", "C"), (1, 1, 1), (1, 1, 1), (None,) * 3, 1),
     "the scenario has 2 tiers but the data's tier rule has 3"),
])
def test_a_scenario_that_does_not_fit_the_data_says_why(base, message):
    sc = Scenario("Data", (TierPlan("High"), TierPlan("Low")))
    with pytest.raises(ScenarioError) as err:
        resolve(sc, base)
    assert message in str(err.value)


# --- projection and hiring plan -----------------------------------------------------------------

def test_monthly_churn_compounds_to_the_annual_rate():
    assert (1 - monthly_rate(0.2)) ** 12 == pytest.approx(0.8)


def test_accounts_grow_with_new_logos_and_shrink_with_churn():
    sc = Scenario("g", (TierPlan("Only", "ratio", 10, churn=0.2, new_logos_per_month=5, accounts=120),),
                  growth=Growth(horizon=2))
    months = project(resolve(sc, None), START).months
    keep = 0.8 ** (1 / 12)
    expected = [120, 120 * keep + 5, (120 * keep + 5) * keep + 5]
    assert months["Only"].tolist() == pytest.approx(expected)
    assert months["fte: Only"].tolist() == pytest.approx([a / 10 for a in expected])


def test_net_growth_rate_compounds_to_the_annual_rate():
    sc = replace(one_tier(100), growth=Growth(mode="rate", annual_growth_rate=0.2, horizon=12))
    assert need_path(resolve(sc, None))[-1] == pytest.approx(12.0)


def test_upgrades_move_accounts_up_one_tier_and_keep_the_total():
    sc = Scenario("u", (TierPlan("A", "ratio", 10, accounts=0, churn=0),
                        TierPlan("B", "ratio", 100, accounts=1200, churn=0)),
                  growth=Growth(upgrade_share=0.12, horizon=1))
    month1 = project(resolve(sc, None), START).months.iloc[1]
    assert (month1["A"], month1["B"]) == pytest.approx((12.0, 1188.0))


def test_the_hiring_plan_opens_requisitions_a_lead_time_ahead():
    """Need = 10 + t CSMs; 10 on staff; 2 months to hire, no ramp: month 1 is short (too soon
    to fix); month 2 needs 2 hires opened now; each later month one more, opened 2 months ahead."""
    sc = Scenario("h", (TierPlan("Only", "ratio", 10, accounts=100, churn=0, new_logos_per_month=10),),
                  growth=Growth(time_to_hire=2, ramp_months=0, horizon=5), current_csms=10)
    proj = project(resolve(sc, None), START)
    assert proj.hires["opens"].tolist() == [0, 0, 1, 2, 3]
    assert proj.hires["starts"].tolist() == [2, 2, 3, 4, 5]
    assert proj.hires["productive"].tolist() == [2, 2, 3, 4, 5]
    assert proj.hires["opens_date"].tolist()[2] == dt.date(2026, 2, 1)
    assert proj.months["supply_fte"].tolist() == pytest.approx([10, 10, 12, 13, 14, 15])
    assert proj.unclosable_shortfall["month"].tolist() == [1]
    assert proj.lead_time == 2
    waves = hiring_waves(proj.hires)
    assert waves["hires"].tolist() == [2, 1, 1, 1]
    assert waves["opens_date"].tolist() == [dt.date(2026, m, 1) for m in (1, 2, 3, 4)]


def test_new_hires_ramp_linearly_to_full_capacity():
    sc = Scenario("r", (TierPlan("Only", "ratio", 10, accounts=130, churn=0),),
                  growth=Growth(time_to_hire=1, ramp_months=2, horizon=4), current_csms=10)
    proj = project(resolve(sc, None), START)
    assert len(proj.hires) == 3
    assert proj.hires.iloc[0][["opens", "starts", "productive"]].tolist() == [0, 1, 3]
    assert proj.months["supply_fte"].tolist() == pytest.approx([10, 10, 11.5, 13, 13])
    assert proj.months["payroll_fte"].tolist() == pytest.approx([10, 13, 13, 13, 13])


def test_attrition_erodes_todays_team_at_the_monthly_rate():
    sc = Scenario("a", (TierPlan("Only", "ratio", 10, accounts=0),),
                  growth=Growth(attrition=0.2, horizon=12), current_csms=10)
    proj = project(resolve(sc, None), START)
    assert proj.months["baseline_fte"].iloc[-1] == pytest.approx(8.0)
    assert proj.hires.empty


def test_team_cost_by_month_and_quarter_follow_the_payroll_pro_rata():
    sc = replace(one_tier(100), current_csms=10, growth=Growth(horizon=6))
    proj = project(resolve(sc, None), dt.date(2026, 2, 1))
    assert proj.months["team_cost_pro_rata"].tolist() == pytest.approx([10 * 100_000 / 12] * 7)
    assert proj.quarters["quarter"].tolist() == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert proj.quarters["months"].tolist() == [1, 3, 2]
    assert proj.quarters["team_cost_pro_rata"].tolist() == \
        pytest.approx([1_000_000 / 12, 250_000, 500_000 / 3])
    assert proj.months["team_cost_pro_rata_share"].iloc[0] == pytest.approx(1_000_000 / 100_000)


def test_the_pro_rata_team_cost_carries_each_csms_share_of_managers_and_ops():
    """10 CSMs on payroll at $100k, a $240k manager per 8 CSMs ($30k each) and a $100k ops person
    per 20 ($5k each): 10 x $135k = $1.35M a year, $112.5k a month."""
    sc = replace(one_tier(100), current_csms=10, growth=Growth(horizon=1),
                 team=Team(100_000, 8, 240_000, 20, 100_000))
    assert sc.team.team_cost_per_csm == 135_000
    proj = project(resolve(sc, None), START)
    assert proj.months["team_cost_pro_rata"].tolist() == pytest.approx([112_500, 112_500])


# --- inverse question and sensitivity -----------------------------------------------------------

def test_a_budget_buys_proportional_coverage_in_every_tier():
    sc = Scenario("b", (TierPlan("A", "ratio", 10, accounts=100), TierPlan("B", "ratio", 100, accounts=1000)),
                  team=Team(100_000, 0, 0, 0, 0))
    funded = coverage_for_budget(resolve(sc, None), 1_000_000)
    assert funded.funded_fte == pytest.approx(10)
    assert funded.tiers["accounts_per_csm"].tolist() == pytest.approx([20, 200])
    assert funded.funded_share == pytest.approx(0.5)


def test_a_protected_tier_keeps_its_coverage_and_the_rest_share_what_is_left():
    sc = Scenario("b", (TierPlan("A", "ratio", 10, accounts=100), TierPlan("B", "ratio", 100, accounts=1000)),
                  team=Team(100_000, 0, 0, 0, 0))
    funded = coverage_for_budget(resolve(sc, None), 1_500_000, protected=(0,))
    assert funded.tiers["funded_fte"].tolist() == pytest.approx([10, 5])
    assert funded.protected_kept
    assert not coverage_for_budget(resolve(sc, None), 500_000, protected=(0,)).protected_kept


def test_the_tornado_ranks_drivers_by_how_far_they_move_the_need():
    sc = Scenario("t", (TierPlan("A", "hours", activities=ENTERPRISE, accounts=131.04, churn=0.0),),
                  growth=Growth(horizon=3))
    frame = sensitivity(sc, None)
    rows = frame.set_index("driver")
    base = 131.04 * 75 / 1310.4
    assert frame["base_fte"].iloc[0] == pytest.approx(base)
    assert rows.loc["Accounts today", ["low_fte", "high_fte"]].tolist() == \
        pytest.approx([-0.2 * base, 0.2 * base])
    assert rows.loc["Hours per week", "high_fte"] == pytest.approx(base / 1.2 - base)
    assert list(frame["swing"]) == sorted(frame["swing"], reverse=True)
    assert "Productivity gain" not in rows.index


# --- today's books ------------------------------------------------------------------------------

def test_each_csm_load_is_hours_demanded_over_hours_available():
    sc = Scenario("b", (TierPlan("High", "ratio", 10), TierPlan("Low", "ratio", 50)))
    base = Base(("High", "Low"), (12, 60), (0, 0), (None, None), 2)
    books = pd.DataFrame({"csm": ["Ann", "Ann", "Bob"], "tier": ["High", "Low", "Low"],
                          "accounts": [10, 10, 20], "arr": [1e6, 1e5, 2e5]})
    roster = pd.DataFrame({"csm": ["Ann", "Bob", "Cy"], "role": ["high", "low", "low"],
                           "hours_per_week": [40.0, 20.0, 40.0]})
    loads = csm_loads(books, roster, ("High", "Low"), resolve(sc, base)).set_index("csm")
    assert loads.loc["Ann", "load"] == pytest.approx(1.2)
    assert loads.loc["Ann", "flag"] == "overloaded"
    assert loads.loc["Ann", "hours_demanded"] == pytest.approx(1310.4 * 1.2)
    assert loads.loc["Bob", "load"] == pytest.approx(0.8)
    assert loads.loc["Bob", "flag"] == "balanced"
    assert (loads.loc["Cy", "load"], loads.loc["Cy", "flag"]) == (0.0, "underloaded")
    assert loads.loc["Ann", ["High", "Low", "accounts", "arr"]].tolist() == [10, 10, 20, 1.1e6]


# --- comparison ---------------------------------------------------------------------------------

def test_the_summary_says_what_an_option_buys_in_plain_words():
    a = one_tier(150, 15)
    b = replace(one_tier(150, 15), name="Option B", team=Team(150_000, 0, 0, 0, 0))
    res_a, res_b = evaluate(a, None, START), evaluate(b, None, START)
    text = summary(res_b, res_a)
    assert text == ("Option B keeps Only coverage at 1:15 with 10 CSMs (10 in CS) for $500.0k more a "
                    "year than One tier: team cost $1.5M a year, 1000.0% of ARR.")
    # 10 CSMs x $100k against 150 accounts x $1,000 ARR; Option B's CSMs cost $150k
    assert standalone(res_a) == ("One tier: Only at 1:15, 10 CSMs (10 in CS), team cost $1.0M a year, "
                                 "666.7% of ARR.")
    table = comparison_table([res_a, res_b]).set_index("")
    assert list(table.columns) == ["One tier", "Option B"]
    assert table.loc["Team cost (whole heads, managers and ops)"].tolist() == ["$1.0M", "$1.5M"]
    assert table.loc["CSM cost (FTE × cost per CSM)"].tolist() == ["$1.0M", "$1.5M"]
    assert table.loc["Team cost ÷ ARR"].tolist() == ["666.7%", "1000.0%"]
    assert table.loc["ARR per required CSM"].tolist() == ["$15.0k", "$15.0k"]
    assert table.loc["Accounts per required CSM"].tolist() == ["15", "15"]


@pytest.mark.parametrize(("value", "text"), [(15, "1:15"), (7.5, "1:7.5"), (12.5, "1:12.5"),
                                             (1250, "1:1,250"), (794.2, "1:794"), (float("inf"), "–")])
def test_ratios_read_as_one_csm_per_n_accounts(value, text):
    assert ratio_label(value) == text


# --- invariants ---------------------------------------------------------------------------------

tiers_st = st.lists(st.tuples(st.integers(0, 3000), st.floats(0, 40), st.floats(0, 0.5)),
                    min_size=1, max_size=4)


def hours_scenario(spec, gain=0.0) -> Scenario:
    tiers = tuple(TierPlan(f"T{i}", "hours", activities=(Activity("Work", 4, h),), unplanned_share=u,
                           accounts=a, churn=0.1) for i, (a, h, u) in enumerate(spec))
    return Scenario("p", tiers, availability=Availability(productivity_gain=gain))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(tiers_st, st.integers(0, 3), st.floats(0.01, 20))
def test_more_hours_per_account_never_means_fewer_heads(spec, which, extra):
    which = which % len(spec)
    more = list(spec)
    a, h, u = more[which]
    more[which] = (a, h + extra, u)
    before = coverage(resolve(hours_scenario(spec), None))
    after = coverage(resolve(hours_scenario(more), None))
    assert after.csm_heads >= before.csm_heads
    assert after.csm_fte >= before.csm_fte - 1e-9


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.floats(0, 60), min_size=1, max_size=4), st.sampled_from(["ratio", "hours"]))
def test_zero_accounts_need_zero_heads(hours, mode):
    tiers = tuple(TierPlan(f"T{i}", mode, accounts_per_csm=max(h, 1), accounts=0,
                           activities=(Activity("Work", 1, h),)) for i, h in enumerate(hours))
    cov = coverage(resolve(Scenario("zero", tiers), None))
    assert (cov.csm_fte, cov.csm_heads, cov.total_heads, cov.csm_cost, cov.team_cost) == (0, 0, 0, 0, 0)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(0, 2000), st.floats(0, 60), st.floats(0, 0.5), st.floats(0, 0.4), st.integers(0, 40),
       st.integers(0, 6), st.integers(0, 6), st.integers(1, 36), st.floats(0, 0.3))
def test_with_the_hiring_plan_supply_meets_need_once_the_lead_time_allows(
        accounts, logos, churn, attrition, current, hire, ramp, horizon, upgrade):
    sc = Scenario("p", (TierPlan("A", "ratio", 12, accounts=accounts // 10, churn=churn,
                                 new_logos_per_month=logos / 5),
                        TierPlan("B", "ratio", 150, accounts=accounts, churn=churn,
                                 new_logos_per_month=logos)),
                  growth=Growth(attrition=attrition, time_to_hire=hire, ramp_months=ramp, horizon=horizon,
                                upgrade_share=upgrade),
                  current_csms=current)
    months = project(resolve(sc, None), START).months
    later = months[months["month"] >= hire + ramp]
    assert (later["supply_fte"] >= later["need_fte"] - 1e-9).all()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(tiers_st, st.floats(10_000, 20_000_000), st.booleans())
def test_inverse_and_forward_agree(spec, budget, protect):
    sc = hours_scenario([(a + 1, h + 1, u) for a, h, u in spec])
    r = resolve(sc, None)
    funded = coverage_for_budget(r, budget, (0,) if protect else ())
    forward = coverage(resolve(scenario_at_funding(sc, funded), None))
    assert forward.csm_fte * sc.team.team_cost_per_csm == pytest.approx(budget, rel=1e-9)
    assert np.allclose(forward.tiers["fte"], funded.tiers["funded_fte"], rtol=1e-9)
