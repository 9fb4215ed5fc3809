"""The Segmentation page through the router (AppTest): numbers, the rule editor and saving."""

from __future__ import annotations

import pytest

from cs_dashboard import api
from cs_dashboard.api import segmentation as seg_api
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.filters import Filters
from cs_dashboard.fmt import fmt_count, fmt_pct
from cs_dashboard.tiers import STATE_KEY, TierRule
from cs_dashboard.ui.segmentation import TAB_KEY, TABS
from tests.conftest import open_page, show_tab


@pytest.fixture(autouse=True)
def fresh_saved_rule():
    """Each test starts from the default rule (the state database is shared by the session)."""
    AppState().set(STATE_KEY, TierRule().to_json())
    yield
    AppState().set(STATE_KEY, TierRule().to_json())


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_page_renders_the_pareto_the_tier_table_and_the_concentration_figures(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "segmentation")
    assert not at.error
    engine = make_engine(demo_url)
    expected = seg_api.segmentation(engine, api.default_as_of(engine), Filters(), TierRule())
    shown = at.dataframe[0].value
    assert shown["tier"].tolist() == ["High touch", "Low touch", "Tech touch"]
    assert shown["accounts"].tolist() == expected.table["accounts"].tolist()
    assert shown["share_mrr"].tolist() == pytest.approx(expected.table["share_mrr"].tolist())
    assert shown["mrr"].tolist() == expected.table["mrr"].round().tolist()
    assert shown["floor_mrr"].tolist() == expected.table["floor_mrr"].round().tolist()
    figures = expected.concentration
    tiles = metrics(at)
    assert tiles["Top 10 accounts' share"] == fmt_pct(figures.top10_share)
    assert tiles["Top 20% of accounts hold"] == fmt_pct(figures.top20pct_share)
    assert tiles["Accounts for 50% of MRR"] == fmt_count(figures.accounts_for_50pct)
    assert tiles["Accounts for 80% of MRR"] == fmt_count(figures.accounts_for_80pct)
    assert tiles["Herfindahl index"] == f"{figures.hhi * 10_000:.1f}"  # between 1 and 100
    show_tab(at, TAB_KEY, TABS[2])
    assert metrics(at)["Moved to a higher tier"] == fmt_count(expected.migration.count("up"))
    show_tab(at, TAB_KEY, TABS[1])
    assert at.selectbox(key="seg_dim").options == ["Segment", "Region", "Industry", "Csm", "Plan"]


def test_only_the_open_tab_is_drawn_and_the_split_is_kept(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "segmentation")
    assert len(at.get("plotly_chart")) == 2  # the Pareto and the tiers' shares
    assert not [s for s in at.selectbox if s.key == "seg_dim"]
    show_tab(at, TAB_KEY, TABS[1]).selectbox(key="seg_dim").set_value("region").run()
    assert set(at.dataframe[0].value["group"]) == {"EMEA", "North America", "APAC", "LATAM"}
    show_tab(at, TAB_KEY, TABS[3])
    assert len(at.get("plotly_chart")) == 2  # the Pareto and the grid
    assert show_tab(at, TAB_KEY, TABS[1]).selectbox(key="seg_dim").value == "region"


def test_the_tier_table_on_the_tiny_portfolio_is_hand_computed(monkeypatch, tiny_url):
    # At 2026-01: D 300, B 50... no: A 150, D 300, B 50 -> ranked D, A, B (total 500).
    at = open_page(monkeypatch, tiny_url, "segmentation")
    at.segmented_control(key="seg_rule").set_value("floor").run()
    at.number_input(key="seg_cut_floor_3_0").set_value(200.0).run()
    at.number_input(key="seg_cut_floor_3_1").set_value(100.0).run()
    shown = at.dataframe[0].value
    assert shown["accounts"].tolist() == [1, 1, 1]
    assert shown["mrr"].tolist() == [300.0, 150.0, 50.0]
    assert shown["share_mrr"].tolist() == pytest.approx([0.6, 0.3, 0.1])
    assert metrics(at)["Accounts for 80% of MRR"] == "2"


def test_an_invalid_rule_shows_its_message_in_an_error_box(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "segmentation")
    at.number_input(key="seg_cut_accounts_3_1").set_value(5.0).run()
    assert not at.exception
    assert "strictly increasing" in at.error[0].value


def test_saving_the_rule_persists_it_and_the_overview_still_renders(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "segmentation")
    at.segmented_control(key="seg_rule").set_value("revenue").run()
    at.selectbox(key="seg_tiers").set_value(2).run()
    at.text_input(key="seg_name_2_0").set_value("Named CSM").run()
    at.button(key="seg_save").click().run()
    saved = api.saved_tier_rule(AppState())
    assert saved == TierRule("revenue", (45.0,), ("Named CSM", "Tech touch"))
    assert "Saved rule: by cumulative share of revenue: 45%" in " ".join(c.value for c in at.caption)
    at.switch_page("pages/overview.py").run()
    assert not at.exception and not at.error
    # a new session (a restart) starts the editor from the saved rule
    again = open_page(monkeypatch, tiny_url, "segmentation")
    assert again.segmented_control(key="seg_rule").value == "revenue"
    assert again.text_input(key="seg_name_2_0").value == "Named CSM"


def test_filters_that_leave_no_account_show_a_clear_empty_state(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "segmentation")
    # C (the only other EMEA account) churned; A is EMEA and active -> choose a segment of C only
    at.sidebar.multiselect(key="f_region").select("EMEA").run()
    at.sidebar.multiselect(key="f_segment").select("SMB").run()
    assert not at.exception and not at.error
    assert "No account matching" in at.info[0].value
    assert not at.get("plotly_chart")


def test_the_page_follows_the_sidebar_filters(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "segmentation")
    at.sidebar.multiselect(key="f_region").select("EMEA").run()
    shown = at.dataframe[0].value
    assert shown["accounts"].sum() == 1 and shown["mrr"].sum() == 150.0


def test_the_empty_database_points_to_the_data_page(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "segmentation")
    assert not at.error and "Data" in at.info[0].value
