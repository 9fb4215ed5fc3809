"""The Health page in AppTest: renders on the demo and on hand-made data, reacts to settings."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.queries import filter_options
from cs_dashboard.db.writer import replace_source
from cs_dashboard.ui.health import TAB_KEY, TABS
from tests.conftest import open_page, show_tab, write_duckdb
from tests.test_db_health import health_frames


def demo_csms(url: str) -> list[str]:
    return filter_options(make_engine(url))["csm"]


def metric(at, name: str):
    return next(m for m in at.metric if m.label == name)


@pytest.fixture
def health_url(tmp_path) -> str:
    return write_duckdb(tmp_path, health_frames(), "health_page")


def test_the_page_renders_every_view_on_the_demo(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "health")
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Distribution", "Value at risk", "Drivers", "Trend",
                                         "Back-test", "Watch list"]
    assert metric(at, "Red accounts").value != "0"
    charts = 0
    for tab in TABS:  # only the open tab is drawn
        show_tab(at, TAB_KEY, tab)
        assert not at.exception, tab
        charts += len(at.get("plotly_chart"))
        if tab == "Back-test":
            assert any("Red accounts churned" in i.value for i in at.info)
    assert charts >= 9
    assert at.dataframe[0].value.shape[0] == int(metric(at, "Red accounts").value
                                                               .replace(",", ""))


def test_the_tiles_show_the_hand_computed_numbers(monkeypatch, health_url):
    at = open_page(monkeypatch, health_url, "health")
    assert metric(at, "ARR at risk (red)").value == "$1.2k"
    assert metric(at, "Red accounts").value == "1"
    assert metric(at, "Green accounts").value == "2"
    assert metric(at, "Unscored accounts").value == "2"
    watch = show_tab(at, TAB_KEY, "Watch list").dataframe[0].value
    assert list(watch["account_id"]) == ["A"]
    assert watch.loc[0, "dragging"] == "usage"
    assert sorted(at.dataframe[1].value["account_id"]) == ["D", "G"]


def test_weights_and_band_thresholds_change_the_numbers(monkeypatch, health_url):
    at = open_page(monkeypatch, health_url, "health")
    at.slider(key="hl_bands").set_value((50, 90)).run()
    assert not at.exception
    assert metric(at, "Red accounts").value == "0"
    assert metric(at, "At risk incl. ½ yellow").value == "$1.8k"
    at.slider(key="hl_w_usage").set_value(0.0).run()
    # usage out: A = adoption 60 (yellow), B 85 (yellow), E provided 90 (green)
    assert metric(at, "Green accounts").value == "1"


def test_saving_the_score_makes_the_overview_use_it(monkeypatch, health_url, saved_score):
    from cs_dashboard.api import health as api_health
    from cs_dashboard.db.state import AppState

    at = open_page(monkeypatch, health_url, "health")
    assert at.button(key="hl_save").disabled
    at.slider(key="hl_bands").set_value((50, 90)).run()
    assert any("Unsaved changes" in c.value for c in at.caption)
    at.button(key="hl_save").click().run()
    assert not at.exception
    assert api_health.saved_settings(AppState()).bands == (50.0, 90.0)
    assert any("This is the saved score" in c.value for c in at.caption)
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    # bands 50 / 90: no account is red; A (55) and B (85) are yellow
    assert metric(at, "ARR at risk").value == "$0"
    assert "$1.8k" in metric(at, "ARR at risk").help


def test_a_saved_score_is_where_the_sliders_start_and_reset_brings_the_defaults_back(
        monkeypatch, health_url, saved_score):
    from cs_dashboard.api import health as api_health
    from cs_dashboard.db.state import AppState
    from cs_dashboard.health import ScoreSettings

    saved_score(ScoreSettings((("usage", 2.0),), (60.0, 80.0)))
    at = open_page(monkeypatch, health_url, "health")
    assert at.slider(key="hl_bands").value == (60, 80)
    assert at.slider(key="hl_w_usage").value == 2.0
    at.button(key="hl_reset").click().run()
    assert not at.exception
    assert at.slider(key="hl_bands").value == (70, 85)
    assert at.slider(key="hl_w_usage").value == 1.0
    assert api_health.saved_settings(AppState()).is_default
    assert metric(at, "ARR at risk (red)").value == "$1.2k"


def test_all_weights_zero_is_explained_not_crashed(monkeypatch, health_url):
    at = open_page(monkeypatch, health_url, "health")
    at.slider(key="hl_w_usage").set_value(0.0)
    at.slider(key="hl_w_adoption").set_value(0.0).run()
    assert not at.exception
    assert any("positive weight" in e.value for e in at.error)
    assert at.button(key="hl_save").disabled
    assert any("cannot be saved" in c.value for c in at.caption)


def test_the_sidebar_filter_narrows_the_book(monkeypatch, health_url):
    at = open_page(monkeypatch, health_url, "health")
    at.sidebar.multiselect[1].set_value(["APAC"]).run()
    assert not at.exception
    assert metric(at, "Red accounts").value == "0"
    assert metric(at, "Unscored accounts").value == "1"


def test_without_health_data_the_page_points_to_the_data_page(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "health")
    assert not at.exception
    assert any("no health snapshots" in i.value for i in at.info)


def test_an_empty_database_shows_the_empty_state(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "health")
    assert not at.exception
    assert any("no revenue data" in i.value for i in at.info)


def test_a_provided_score_without_components_still_renders(monkeypatch, tmp_path):
    frames = health_frames()
    frames["health"] = frames["health"][["account_id", "as_of", "score"]]
    url = f"duckdb:///{tmp_path / 'scores.duckdb'}"
    replace_source(make_engine(url), frames)
    at = open_page(monkeypatch, url, "health")
    assert not at.exception
    assert metric(at, "Green accounts").value == "1"
    assert any("no components" in i.value for i in show_tab(at, TAB_KEY, "Drivers").info)


def test_splitting_by_csm_and_switching_to_arr_renders(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "health")
    at.selectbox(key="hl_split").set_value("CSM").run()
    at.segmented_control(key="hl_measure").set_value("ARR").run()
    assert not at.exception
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    split = next(s for s in specs if "Health bands by csm" in s)
    assert "Share of ARR" in split
    assert all(name in split for name in demo_csms(demo_url))


def trace_values(values) -> list:
    """Plotly JSON values: a list, or a typed array (``{"dtype", "bdata"}``, base64)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_the_trend_charts_last_month_is_the_tiles_figures(monkeypatch, health_url):
    """July 2025: B's latest snapshot (June) keeps it green and D, without a snapshot, is
    unscored, as in the tiles; a mix of only the snapshots dated in July left both out."""
    at = open_page(monkeypatch, health_url, "health")
    assert (metric(at, "Red accounts").value, metric(at, "Green accounts").value,
            metric(at, "Unscored accounts").value) == ("1", "2", "2")
    spec = next(json.loads(c.proto.spec) for c in show_tab(at, TAB_KEY, "Trend").get("plotly_chart")
                if "Accounts by health band, last" in c.proto.spec)
    last = {t["name"]: trace_values(t["y"])[-1] for t in spec["data"]}
    assert last == {"Red": 1, "Yellow": 0, "Green": 2, "Unscored": 2}
    assert spec["layout"]["title"]["text"].startswith("Accounts by health band, last 7 months")
    assert any("scored from its latest snapshot at or before that month" in c.value
               for c in at.caption)
