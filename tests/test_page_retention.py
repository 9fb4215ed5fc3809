"""The Retention page through the router (AppTest): renders, shows the right numbers, follows
its controls and the sidebar, survives an empty database."""

from __future__ import annotations

import datetime as dt

import pytest

from cs_dashboard import api
from cs_dashboard.api import retention as api_retention
from cs_dashboard.db.engine import make_engine
from cs_dashboard.fmt import fmt_money, fmt_pct
from cs_dashboard.retention.movements import KINDS
from cs_dashboard.ui.retention import TAB_KEY, TABS
from tests.conftest import open_page, show_tab, write_duckdb
from tests.test_movements import portfolio


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at) -> list[dict]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def titles(at) -> list[str]:
    import json

    return [json.loads(spec)["layout"]["title"]["text"] for spec in charts(at)]


def test_retention_tiles_match_metrics_json(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "retention")
    assert not at.error
    expected = api.portfolio_at(make_engine(demo_url)).to_json()
    shown = tiles(at)
    assert shown["NRR (12m)"] == fmt_pct(expected["nrr_12m"])
    assert shown["GRR (12m)"] == fmt_pct(expected["grr_12m"])
    assert shown["Logo retention (12m)"] == fmt_pct(expected["logo_retention_12m"])
    bridge = api_retention.movement_bridge(make_engine(demo_url), months=1)
    assert shown["Net new MRR (month)"] == fmt_money(float(bridge[list(KINDS)].sum(axis=1).iloc[-1]))


def test_only_the_open_tab_is_computed_and_every_tab_draws_its_charts(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "retention")
    assert "Logo survival (Kaplan-Meier, 95% bands)" not in titles(at)  # Cohorts opens first
    names = []
    for tab in TABS:
        names += titles(show_tab(at, TAB_KEY, tab))
        assert not at.exception
    for expected in ("Net revenue retention by quarter cohort",
                     "Net revenue retention curves by quarter cohort",
                     "Logo survival (Kaplan-Meier, 95% bands)", "MRR movements over time",
                     "Trailing-12 NRR, GRR and logo retention", "Trailing-12 NRR by tier",
                     "Trailing-12 NRR per CSM"):
        assert expected in names
    assert any(n.startswith("MRR bridge, ") for n in names)


@pytest.fixture
def small_url(tmp_path) -> str:
    return write_duckdb(tmp_path, portfolio(), "page")


def test_cohort_controls_switch_basis_period_and_unit(monkeypatch, small_url):
    at = open_page(monkeypatch, small_url, "retention")
    at.segmented_control(key="ret_basis").set_value("Logo").run()
    at.segmented_control(key="ret_period").set_value("Month").run()
    assert "Logo retention by month cohort" in titles(at)
    at.segmented_control(key="ret_unit").set_value("Accounts").run()
    assert "Logo retention (accounts) by month cohort" in titles(at)
    assert not at.exception


def test_the_monthly_waterfall_defaults_to_the_as_of_month(monkeypatch, small_url):
    at = show_tab(open_page(monkeypatch, small_url, "retention"), TAB_KEY, "Revenue movements")
    assert "MRR bridge, 2025-08" in titles(at)
    at.segmented_control(key="ret_move_period").set_value("Quarterly").run()
    # the data runs Jan-Aug: the first quarter's bridge starts in February, the last is to date
    assert "MRR bridge, 2025-Q3 (Jul-Aug)" in titles(at)
    frames = [df.value for df in at.dataframe]
    bridge = next(f for f in frames if "Period" in f.columns)
    assert list(bridge["Period"]) == ["2025-Q1 (Feb-Mar)", "2025-Q2", "2025-Q3 (Jul-Aug)"]
    assert list(bridge["Ending MRR"]) == [230.0, 280.0, 295.0]


def test_survival_groups_and_table(monkeypatch, small_url):
    at = show_tab(open_page(monkeypatch, small_url, "retention"), TAB_KEY, "Survival")
    at.selectbox(key="ret_surv_by").set_value("Plan").run()
    table = next(df.value for df in at.dataframe if "Group" in df.value.columns)
    assert list(table["Group"]) == ["Business", "Growth", "Starter"]
    assert "Log-rank p-value" in tiles(at)


def test_tier_and_tenure_filters_change_the_numbers(monkeypatch, small_url):
    at = open_page(monkeypatch, small_url, "retention")
    before = tiles(at)["Net new MRR (month)"]
    at.segmented_control(key="ret_tenure").set_value("Tenured").run()
    assert tiles(at)["Net new MRR (month)"] != before
    at.selectbox(key="ret_tier").set_value(at.selectbox(key="ret_tier").options[1]).run()
    assert not at.exception and not at.error


def test_sidebar_filters_reach_the_page(monkeypatch, small_url):
    at = open_page(monkeypatch, small_url, "retention")
    at.sidebar.multiselect(key="f_region").select("APAC").run()
    # APAC: N1 (40) and N3 (30 -> 45 in the as-of month): net new MRR +15.
    assert tiles(at)["Net new MRR (month)"] == "$15"


def test_an_earlier_as_of_month_recomputes(monkeypatch, small_url):
    at = open_page(monkeypatch, small_url, "retention")
    at.sidebar.selectbox(key="f_as_of").set_value(dt.date(2025, 6, 1)).run()
    # June 2025: N2 reactivates (+60) and N3 is new (+30).
    assert tiles(at)["Net new MRR (month)"] == "$90"


def test_empty_database_shows_the_empty_state(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "retention")
    assert not at.error and "Data" in at.info[0].value


def test_the_tier_table_shows_trailing_retention_by_the_tier_held_a_year_ago(monkeypatch,
                                                                            demo_url):
    at = show_tab(open_page(monkeypatch, demo_url, "retention"), TAB_KEY, "NRR / GRR trends")
    table = next(df.value for df in at.dataframe if "base_accounts" in df.value.columns)
    expected = api_retention.retention_by_tier(make_engine(demo_url))
    assert table["tier"].tolist() == ["High touch", "Low touch", "Tech touch"]
    assert table["base_accounts"].tolist() == expected["base_accounts"].tolist()
    assert table.loc[0, ["base_accounts", "retained"]].tolist() == [123, 112]
    assert table["logo"].tolist() == expected["logo"].tolist()


def test_a_choice_inside_a_tab_is_kept_while_another_tab_is_open(monkeypatch, small_url):
    at = open_page(monkeypatch, small_url, "retention")
    at.segmented_control(key="ret_basis").set_value("Logo").run()
    show_tab(at, TAB_KEY, "Survival")
    show_tab(at, TAB_KEY, "Cohorts")
    assert at.segmented_control(key="ret_basis").value == "Logo"
    assert any(t.startswith("Logo retention by") for t in titles(at))
