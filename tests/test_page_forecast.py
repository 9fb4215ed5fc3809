"""The Forecast page in AppTest: the demo's report on the tiles, hand-computed numbers, the
what-if's widgets, and a history too short to forecast."""

from __future__ import annotations

import datetime as dt

import pytest

from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.db.engine import make_engine
from cs_dashboard.fmt import fmt_money, fmt_pct
from cs_dashboard.ui.forecast import TAB_KEY
from tests.conftest import DEMO_END, open_page, show_tab, write_duckdb
from tests.test_forecast import forecast_frames

TABS = ["Renewals ahead", "Retention forecast", "Track record", "Calibration",
        "What acting is worth"]


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_keys(at) -> set[str]:
    return {chart.key for chart in at.get("plotly_chart")}


@pytest.fixture(scope="module")
def forecast_url(tmp_path_factory) -> str:
    return write_duckdb(tmp_path_factory.mktemp("forecast_page"), forecast_frames(), "forecast")


def test_the_page_shows_the_reports_numbers_on_the_demo(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "forecast")
    report = api_forecast.forecast_report(make_engine(demo_url), DEMO_END)
    row = report.projection.at()
    shown = tiles(at)
    assert [t.label for t in at.tabs] == TABS
    assert shown["GRR next 12 months"] == fmt_pct(row["grr"])
    assert shown["NRR next 12 months"] == fmt_pct(row["nrr"])
    assert shown["Expected churn ARR"] == fmt_money(row["churn_arr"])
    assert shown["Red/yellow renewing in 90 days"] == fmt_money(report.renewals.watch["arr"].sum())
    assert {"Mean error, GRR", "GRR inside the interval"} <= tiles(
        show_tab(at, TAB_KEY, "Track record")).keys()
    charts = {tab: len(show_tab(at, TAB_KEY, tab).get("plotly_chart")) for tab in TABS}
    assert charts["Renewals ahead"] >= 1 and sum(charts.values()) >= 7
    assert not at.error and not at.exception


def test_only_the_open_tab_is_drawn_and_its_choices_are_kept(monkeypatch, forecast_url):
    at = open_page(monkeypatch, forecast_url, "forecast")
    assert "fc_kept_chart" not in chart_keys(at)  # the what-if's chart: not drawn while closed
    show_tab(at, TAB_KEY, "What acting is worth").number_input(key="fc_count").set_value(1).run()
    assert tiles(at)["ARR kept over 12 months"] == "$1.8k"
    assert chart_keys(at) == {"fc_kept_chart"}
    show_tab(at, TAB_KEY, "Renewals ahead")
    assert tiles(at).get("ARR kept over 12 months") is None  # the what-if's tiles are in its tab
    assert show_tab(at, TAB_KEY, "What acting is worth").number_input(key="fc_count").value == 1
    assert tiles(at)["ARR kept over 12 months"] == "$1.8k"


def test_hand_computed_tiles_and_the_what_if(monkeypatch, forecast_url):
    at = open_page(monkeypatch, forecast_url, "forecast")
    shown = tiles(at)
    assert shown["GRR next 12 months"] == "79.9%"           # 1 - 5,175 / 25,800
    assert shown["Red/yellow renewing in 90 days"] == "$15.6k"  # G1, R2, N1
    show_tab(at, TAB_KEY, "What acting is worth")
    assert any("2 red accounts ($10.8k ARR) to green keeps $2.7k more ARR" in s.value
               for s in at.success)
    at.number_input(key="fc_count").set_value(1).run()
    assert tiles(at)["ARR kept over 12 months"] == "$1.8k"    # G1: 7,200 x 25%
    at.radio(key="fc_how").set_value("Pick from the watch list").run()
    at.multiselect(key="fc_picked").set_value(["R2"]).run()
    assert tiles(at)["ARR kept over 12 months"] == "$900"     # R2: 3,600 x 25%
    assert tiles(at)["CSMs it takes"] == "0.1"
    assert not at.exception


def test_a_month_without_enough_history_is_said_and_a_shorter_horizon_forecasts_it(
        monkeypatch, forecast_url):
    at = open_page(monkeypatch, forecast_url, "forecast")
    at.sidebar.selectbox(key="f_as_of").set_value(dt.date(2025, 12, 1)).run()
    assert any("A forecast as of 2025-12 needs 12 months of history" in i.value for i in at.info)
    assert "GRR next 12 months" not in tiles(at)
    at.segmented_control(key="fc_months").set_value(6).run()
    assert "GRR next 6 months" in tiles(at)
    assert not at.exception


def test_an_empty_database_points_to_the_data_page(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "forecast")
    assert "Data" in at.info[0].value and not at.exception
