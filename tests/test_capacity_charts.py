"""Capacity charts checked as data: titles, axes with units, the right series and reference lines."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cs_dashboard.capacity import Base, Growth, Scenario, TierPlan, project, resolve, sensitivity
from cs_dashboard.capacity.projection import hiring_waves
from cs_dashboard.charts.capacity import (
    cost_share_chart,
    hiring_timeline_chart,
    load_chart,
    need_supply_chart,
    scenario_need_chart,
    tornado_chart,
)

START = dt.date(2026, 1, 1)


@pytest.fixture
def projection():
    sc = Scenario("Grow", (TierPlan("Only", "ratio", 10, accounts=100, arr=1e6, churn=0.1,
                                    new_logos_per_month=5),),
                  growth=Growth(time_to_hire=2, ramp_months=1, horizon=12), current_csms=9)
    return sc, project(resolve(sc, None), START)


def test_the_load_chart_flags_each_csm_against_100_percent():
    loads = pd.DataFrame({"csm": ["Ann", "Bob", "Cy"], "load": [1.3, 0.9, 0.4], "flag":
                          ["overloaded", "balanced", "underloaded"], "accounts": [30, 20, 5],
                          "hours_demanded": [1700, 1180, 520], "hours_available": [1310.4] * 3})
    chart = load_chart(loads, "note")
    fig = chart.to_dict()
    assert [t.name for t in chart.data] == ["Overloaded", "Balanced", "Underloaded"]
    assert list(chart.data[0].y) == ["Ann"] and list(chart.data[0].x) == [1.3]
    layout = fig["layout"]
    assert layout["xaxis"]["tickformat"] == ".0%" and "Load" in layout["xaxis"]["title"]["text"]
    assert any(s.get("x0") == 1.0 and s.get("x1") == 1.0 for s in layout["shapes"])
    assert any(s.get("x0") == 0.7 and s.get("x1") == 1.1 for s in layout["shapes"])
    assert layout["title"]["text"] == "Load per CSM today"


def test_need_against_supply_draws_need_supply_baseline_and_hires(projection):
    _, proj = projection
    chart = need_supply_chart(proj.months)
    fig = chart.to_dict()
    names = [t.name for t in chart.data]
    assert names == ["Hires starting", "CSMs needed", "Supply with the plan", "Supply without hires"]
    assert list(chart.data[1].y) == pytest.approx(proj.months["need_fte"].tolist())
    assert sum(chart.data[0].y) == len(proj.hires) > 0
    assert fig["layout"]["yaxis"]["title"]["text"] == "CSMs (productive FTE)"
    assert fig["layout"]["xaxis"]["title"]["text"] == "Month"


def test_the_cost_share_chart_shows_the_pro_rata_team_cost_against_the_5_to_15_percent_band(projection):
    _, proj = projection
    chart = cost_share_chart(proj.months)
    fig = chart.to_dict()
    band = [s for s in fig["layout"]["shapes"] if s["type"] == "rect"][0]
    assert (band["y0"], band["y1"]) == (0.05, 0.15)
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"
    assert list(chart.data[0].y) == pytest.approx(proj.months["team_cost_pro_rata_share"].tolist())
    assert fig["layout"]["title"]["text"].startswith("Team cost (pro rata) as a share of ARR")
    assert fig["layout"]["yaxis"]["title"]["text"] == "Team cost ÷ ARR (annualised)"
    assert chart.data[0].name == "Team cost ÷ ARR"


def test_the_tornado_has_a_bar_each_way_per_driver(projection):
    sc, _ = projection
    sens = sensitivity(sc, None)
    chart = tornado_chart(sens, 12)
    fig = chart.to_dict()
    low, high = chart.data
    assert list(low.y) == sens["driver"].tolist()[::-1]
    assert list(high.x) == pytest.approx(sens["high_fte"].tolist()[::-1])
    assert fig["layout"]["xaxis"]["title"]["text"] == "Change in CSMs needed in month 12 (FTE)"


def test_scenarios_share_one_need_chart(projection):
    _, proj = projection
    fig = scenario_need_chart([("A", proj.months), ("B", proj.months)]).to_dict()
    assert [t["name"] for t in fig["data"]] == ["A", "B"]
    assert fig["data"][0]["line"]["color"] != fig["data"][1]["line"]["color"]


def test_the_hiring_timeline_has_one_row_per_wave(projection):
    _, proj = projection
    waves = hiring_waves(proj.hires)
    assert waves["hires"].sum() == len(proj.hires)
    chart = hiring_timeline_chart(waves)
    recruiting, ramping, productive = chart.data
    assert len(recruiting.y) == len(waves) > 0
    first = waves.iloc[0]
    assert list(productive.y)[-1] == f"{first['hires']} hire{'s' if first['hires'] != 1 else ''} · opens " \
        f"{pd.Timestamp(first['opens_date']):%b %Y}"
    assert [t.name for t in chart.data] == ["Recruiting", "Ramping", "Fully productive"]


def test_a_data_backed_tornado_includes_churn_when_the_data_has_it():
    base = Base(("A",), (100,), (1e6,), (0.2,), 10)
    sc = Scenario("x", (TierPlan("A", "ratio", 10, new_logos_per_month=2),), growth=Growth(horizon=12))
    assert "Logo churn" in sensitivity(sc, base)["driver"].tolist()
