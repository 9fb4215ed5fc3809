"""The Capacity page under AppTest: numbers, inputs, examples, saved scenarios, filters."""

from __future__ import annotations

from cs_dashboard import api
from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import evaluate
from cs_dashboard.capacity.presets import PRESETS
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.ui.capacity import TAB_KEY, TABS
from tests.conftest import open_page, show_tab

PLAN, SCENARIOS = TABS[2], TABS[4]


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_default(url: str):
    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    base = api_capacity.base_book(engine, as_of)
    return evaluate(PRESETS[0].scenario(base.tiers), base, as_of).coverage, base


def test_the_headline_shows_what_the_default_scenario_needs(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "capacity")
    assert not at.error
    cov, base = expected_default(demo_url)
    shown = tiles(at)
    assert shown["CSMs needed"] == fmt_count(cov.csm_heads)
    assert shown["CSMs today"] == fmt_count(base.csms)
    assert shown["Total CS team"] == fmt_count(cov.total_heads)
    assert shown["Team cost"] == fmt_money(cov.team_cost)
    assert shown["Team cost ÷ ARR"] == fmt_pct(cov.team_cost_share)
    assert shown["ARR per required CSM"] == fmt_money(cov.arr_per_required_csm)


def test_the_tiles_name_each_cost_and_divide_by_required_csms_on_a_hand_computed_book(monkeypatch, tiny_url):
    """Tiny book at 2026-01 under the default Gainsight ratios (1:10, 1:35, 1:1,000): 0 + 1 + 2
    accounts need 1/35 + 2/1000 = 0.03 CSM FTE -> 1 CSM, 1 manager, 1 CS ops. Team cost =
    $160k + $220k + $130k = $510k = 8,500% of the $6,000 ARR; CSM cost = 0.03 x $160k = $4.9k;
    $6,000 and 3 accounts per required CSM."""
    at = open_page(monkeypatch, tiny_url, "capacity")
    top = {m.label: m for m in at.metric[:6]}
    assert {label: m.value for label, m in top.items()} == {
        "CSMs needed": "1", "CSMs today": "2", "Total CS team": "3", "Team cost": "$510.0k",
        "Team cost ÷ ARR": "8500.0%", "ARR per required CSM": "$6.0k"}
    assert top["Team cost"].help == (
        "The budget: whole heads, each at their own fully loaded cost: 1 CSM × $160.0k + 1 manager × "
        "$220.0k + 1 CS ops × $130.0k = $510.0k a year. The model's CSM cost alone is 0.03 CSM FTE × "
        "$160.0k = $4.9k.")
    assert top["Team cost ÷ ARR"].help.startswith(
        "Team cost (CSMs, managers and CS operations, whole heads) ÷ ARR ($6.0k).")
    assert top["ARR per required CSM"].help.startswith(
        "ARR ÷ the 1 required CSM (whole heads); 3 accounts per required CSM.")
    sentence = next(m.value for m in at.markdown if m.value.startswith("**Working scenario:**"))
    assert sentence.endswith("Team cost (3 whole heads with managers and CS operations): $510.0k a year, "
                             "**8500.0% of ARR** (band: 5-15%). CSM cost alone: 0.03 FTE × $160.0k = $4.9k.")


def test_measured_churn_per_tier_says_it_uses_the_tiers_of_twelve_months_earlier(monkeypatch, tiny_url):
    """At 2026-01 the Tech touch tier of 2025-01 (A and C) lost C: 50% churn."""
    at = open_page(monkeypatch, tiny_url, "capacity")
    notes = [m.value for m in at.markdown if m.value.startswith("**In the data:**")]
    assert len(notes) == 3
    assert ("trailing-12 logo churn 50.0% (tiers as at 2025-01, the start of the trailing-12 period)."
            in notes[2])
    churn = at.number_input(key="cap_t2_churn")
    assert churn.value == 50.0
    assert churn.help.endswith("(tiers as at 2025-01, the start of the trailing-12 period).")


def test_the_plan_tab_labels_its_cost_by_quarter_as_the_pro_rata_team_cost(monkeypatch, tiny_url):
    at = show_tab(open_page(monkeypatch, tiny_url, "capacity"), TAB_KEY, PLAN)
    quarters = next(d.value for d in at.dataframe if "Quarter" in d.value.columns)
    assert list(quarters.columns) == ["Quarter", "Team cost"]
    assert any(c.value.startswith("Team cost by month, pro rata: CSMs on the payroll") and
               "$160.0k CSM cost + $27.5k manager share ($220.0k ÷ 8) + $6.5k CS-ops share ($130.0k ÷ 20) "
               "= $194.0k a year" in c.value for c in at.caption)


def test_today_lists_every_csm_and_the_accounts_without_one(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "capacity")
    engine = make_engine(demo_url)
    books = api_capacity.current_books(engine, api.default_as_of(engine))
    shown = tiles(at)
    assert shown["Accounts without a CSM"] == fmt_count(books[books["csm"].isna()]["accounts"].sum())
    table = at.dataframe[0].value
    assert len(table) == 20 and {"Load", "Flag", "Health red", "Hours demanded"} <= set(table.columns)
    overloaded = (table["Flag"] == "🔴 overloaded").sum()
    assert shown["Overloaded (> 110%)"] == fmt_count(overloaded)


def test_a_looser_ratio_needs_fewer_csms(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "capacity")
    before = int(tiles(at)["CSMs needed"])
    at.number_input(key="cap_t0_ratio").set_value(20.0).run()
    assert not at.exception
    assert int(tiles(at)["CSMs needed"]) < before


def test_switching_a_tier_to_hours_uses_the_activity_table(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "capacity")
    at.session_state["cap_t0_mode"] = "Hours per account"
    at.run()
    assert not at.exception and not at.error
    cov, base = expected_default(demo_url)
    # the default activity (12 check-ins of 1 hour) is far lighter than 1:10
    assert int(tiles(at)["CSMs needed"]) < cov.csm_heads


def test_loading_the_wingtip_example_shows_its_21_person_team(monkeypatch, demo_url):
    at = show_tab(open_page(monkeypatch, demo_url, "capacity"), TAB_KEY, SCENARIOS)
    at.selectbox(key="cap_example_pick").set_value("wingtip")
    at.button(key="cap_load_example").click().run()
    assert not at.exception
    shown = tiles(at)
    assert (shown["CSMs needed"], shown["Total CS team"], shown["Team cost"]) == ("18", "21", "$3.3M")
    assert shown["Team cost ÷ ARR"] == "8.2%"
    assert shown["ARR per required CSM"] == "$2.2M"
    assert at.session_state["cap_own_book"] is True
    assert any("Loaded the example" in s.value for s in at.success)


def test_a_saved_scenario_is_there_in_a_new_session(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "capacity")
    at.number_input(key="cap_t1_ratio").set_value(50.0).run()
    needed = tiles(at)["CSMs needed"]
    show_tab(at, TAB_KEY, SCENARIOS)
    at.text_input(key="cap_save_name").input("Option B: pooled low touch").run()
    at.button(key="cap_save").click().run()
    assert any("Saved “Option B: pooled low touch”" in s.value for s in at.success)

    again = show_tab(open_page(monkeypatch, demo_url, "capacity"), TAB_KEY, SCENARIOS)
    pick = again.selectbox(key="cap_saved_pick")
    assert "Option B: pooled low touch" in pick.options
    pick.set_value("Option B: pooled low touch")
    again.button(key="cap_load_saved").click().run()
    assert tiles(again)["CSMs needed"] == needed
    assert again.session_state["cap_t1_ratio"] == 50.0

    again.button(key="cap_dup_saved").click().run()
    assert "Option B: pooled low touch (copy)" in again.selectbox(key="cap_saved_pick").options
    again.selectbox(key="cap_saved_pick").set_value("Option B: pooled low touch (copy)")
    again.button(key="cap_del_saved").click().run()
    assert "Option B: pooled low touch (copy)" not in again.selectbox(key="cap_saved_pick").options


def test_comparing_options_says_what_each_costs_in_plain_words(monkeypatch, demo_url):
    at = show_tab(open_page(monkeypatch, demo_url, "capacity"), TAB_KEY, SCENARIOS)
    at.multiselect(key="cap_compare").select("Example: 50 customers per CSM").run()
    assert not at.exception
    lines = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert lines[0].startswith("- Working scenario: High touch at 1:10")
    assert "50 customers per CSM sets High touch coverage at 1:50" in lines[1]
    assert "more a year than Working scenario" in lines[1] and "of ARR" in lines[1]
    table = at.dataframe[-1].value
    assert list(table.columns) == ["", "Working scenario", "50 customers per CSM"]


def test_a_saved_scenario_that_does_not_fit_the_tiers_is_refused_with_the_reason(monkeypatch, tiny_url):
    AppState().save_scenario("Two tiers", {"name": "Two tiers", "tiers": [{"name": "A"}, {"name": "B"}]})
    at = show_tab(open_page(monkeypatch, tiny_url, "capacity"), TAB_KEY, SCENARIOS)
    before = tiles(at)
    at.selectbox(key="cap_saved_pick").set_value("Two tiers")
    at.button(key="cap_load_saved").click().run()
    assert any("the scenario has 2 tiers but the data's tier rule has 3" in e.value for e in at.error)
    assert tiles(at) == before


def test_the_page_follows_the_sidebar_filters(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "capacity")
    assert tiles(at)["Accounts without a CSM"] == "1"
    at.sidebar.multiselect(key="f_region").select("EMEA").run()
    assert not at.exception
    shown = tiles(at)
    assert shown["Accounts without a CSM"] == "0" and shown["CSMs today"] == "1"


def test_an_empty_database_shows_the_empty_state(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "capacity")
    assert not at.error and not at.metric
    assert "no revenue data" in at.info[0].value


def test_coming_back_from_another_page_keeps_the_working_scenario(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "capacity")
    at.number_input(key="cap_t1_ratio").set_value(60.0).run()
    needed = tiles(at)["CSMs needed"]
    at.switch_page("pages/overview.py").run()
    at.sidebar.multiselect(key="f_region").select("EMEA").run()
    at.sidebar.multiselect(key="f_region").set_value([]).run()
    at.switch_page("pages/capacity.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="cap_t1_ratio").value == 60.0
    assert tiles(at)["CSMs needed"] == needed


def test_only_the_open_tab_is_drawn_and_the_assumptions_always_are(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "capacity")
    assert at.number_input(key="cap_t1_ratio").value > 0  # Assumptions: drawn while closed
    assert not [s for s in at.selectbox if s.key == "cap_saved_pick"]  # Scenarios: not drawn
    show_tab(at, TAB_KEY, SCENARIOS).text_input(key="cap_save_name").input("Plan C").run()
    show_tab(at, TAB_KEY, TABS[0])
    assert at.dataframe  # Today's table of CSMs
    assert show_tab(at, TAB_KEY, SCENARIOS).text_input(key="cap_save_name").value == "Plan C"
