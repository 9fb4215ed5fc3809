"""The Assumptions tab: coverage per tier, available hours, team and cost, growth and hiring.

``render`` draws the widgets (before the scenario is read from them) and returns one container
per tier; ``show_results`` fills those with each tier's result once it is computed.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cs_dashboard.capacity import Base, Coverage
from cs_dashboard.capacity.compare import churn_tiers_note, ratio_label
from cs_dashboard.capacity.presets import BENCHMARK
from cs_dashboard.capacity.working import replacement_logos
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.ui.capacity.widgets import GROWTH, MODES


def render(base: Base) -> list[DeltaGenerator]:
    """Draw the inputs; returns the per-tier result boxes (filled by ``show_results``)."""
    state = st.session_state
    top = st.columns([2, 1])
    top[0].text_input("Working scenario name", key="cap_name")
    top[1].toggle("Model its own book", key="cap_own_book",
                  help="Off: accounts, ARR and churn per tier come from the data. On: type a hypothetical "
                       "book per tier (the Wingtip example does this).")
    if state.get("cap_source"):
        st.caption(f"Source of the figures: {state['cap_source']}")
    t_cov, t_hours, t_team, t_growth = st.tabs(["Coverage per tier", "Available hours", "Team and cost",
                                                "Growth and hiring"])
    with t_cov:
        notes = []
        for i, tab in enumerate(st.tabs(state["cap_tiers"])):
            with tab:
                notes.append(_tier(i, base))
    with t_hours:
        _hours()
    with t_team:
        _team()
    with t_growth:
        _growth(base)
    return notes


def _tier(i: int, base: Base) -> DeltaGenerator:
    state = st.session_state
    left, right = st.columns([1, 2])
    mode = left.segmented_control("Coverage", list(MODES.values()), key=f"cap_t{i}_mode",
                                  help="A ratio, or bottom-up hours from the activity table.")
    if mode == MODES["hours"]:
        with right:
            edited = st.data_editor(
                state[f"cap_t{i}_acts_base"], key=f"cap_t{i}_acts", num_rows="dynamic",
                width="stretch", hide_index=True,
                column_config={
                    "activity": st.column_config.TextColumn("Activity", required=True),
                    "times_per_year": st.column_config.NumberColumn("Times a year", min_value=0.0,
                                                                    format="%.1f"),
                    "hours_each": st.column_config.NumberColumn("Hours each", min_value=0.0,
                                                                format="%.2f")})
            state[f"cap_t{i}_acts_value"] = edited
        left.number_input("Unplanned work (% of planned hours)", 0.0, 100.0, step=5.0,
                          key=f"cap_t{i}_unplanned", format="%.0f")
    else:
        left.number_input("Accounts per CSM", min_value=0.1, step=5.0, key=f"cap_t{i}_ratio",
                          format="%.1f")
    measured = base.churn_tiers_as_of
    left.number_input("Annual logo churn (%)", 0.0, 100.0, step=1.0, key=f"cap_t{i}_churn",
                      format="%.1f", help="Default: the data's trailing-12 logo churn for this tier: "
                                          "the accounts active 12 months earlier, placed in the tier they "
                                          "held then, that are no longer active"
                                          + (f" ({churn_tiers_note(measured)})." if measured else "."))
    left.number_input("New logos per month", min_value=0.0, step=1.0, key=f"cap_t{i}_logos",
                      format="%.1f")
    note = right.container()
    if len(base.tiers) == len(state["cap_tiers"]):
        churn = base.churn[i]
        churn_text = fmt_pct(churn) if churn is not None else "not measurable (no base)"
        tiers_then = f" ({churn_tiers_note(measured)})" if measured else ""
        right.markdown(
            f"**In the data:** {fmt_count(base.accounts[i])} active accounts, "
            f"{fmt_money(base.arr[i])} ARR, trailing-12 logo churn "
            f"{churn_text}{tiers_then}."
            f" New logos that would keep the tier's size: {replacement_logos(base, i):,.1f} a month.")
    if state["cap_own_book"]:
        left.number_input("Accounts today", min_value=0.0, step=10.0, key=f"cap_t{i}_accounts",
                          format="%.0f")
        left.number_input("ARR today ($)", min_value=0.0, step=100_000.0, key=f"cap_t{i}_arr",
                          format="%.0f")
    return note


def _hours() -> None:
    c = st.columns(5)
    c[0].number_input("Weeks a year", 0.0, 52.0, step=1.0, key="cap_weeks", format="%.0f")
    c[1].number_input("Hours per week", 0.0, 80.0, step=1.0, key="cap_hpw", format="%.1f")
    c[2].number_input("Time off (%)", 0.0, 100.0, step=1.0, key="cap_timeoff", format="%.1f")
    c[3].number_input("Non-customer work (%)", 0.0, 100.0, step=1.0, key="cap_noncust", format="%.1f",
                      help=f"{BENCHMARK['non_customer_share'].name}: 30-40% "
                           f"({BENCHMARK['non_customer_share'].source}).")
    c[4].number_input("Productivity gain (%)", 0.0, 100.0, step=5.0, key="cap_gain", format="%.0f",
                      help=f"{BENCHMARK['productivity_gain'].name}: 25-30% "
                           f"({BENCHMARK['productivity_gain'].source}).")


def _team() -> None:
    c = st.columns(3)
    c[0].number_input("CSM fully loaded cost ($ a year)", 0.0, step=5_000.0, key="cap_csm_cost",
                      format="%.0f", help=f"{BENCHMARK['csm_cost'].name}: $150-220k "
                                          f"({BENCHMARK['csm_cost'].source}).")
    c[1].number_input("CSMs per manager (0 = none)", 0.0, step=1.0, key="cap_per_mgr", format="%.0f")
    c[2].number_input("Manager cost ($ a year)", 0.0, step=5_000.0, key="cap_mgr_cost", format="%.0f")
    c = st.columns(3)
    c[0].toggle("Whole heads per tier", key="cap_per_tier_ceil",
                help="Round each tier up to whole CSMs instead of rounding the total.")
    c[1].number_input("CSMs per CS-ops person (0 = none)", 0.0, step=1.0, key="cap_per_ops",
                      format="%.0f")
    c[2].number_input("CS-ops cost ($ a year)", 0.0, step=5_000.0, key="cap_ops_cost", format="%.0f")


def _growth(base: Base) -> None:
    c = st.columns(4)
    gmode = c[0].segmented_control("Growth", list(GROWTH.values()), key="cap_growth_mode")
    if gmode == GROWTH["rate"]:
        c[1].number_input("Net growth of accounts (% a year)", -100.0, 500.0, step=5.0,
                          key="cap_growth_rate", format="%.1f")
    else:
        c[1].caption("New logos and churn are set per tier under *Coverage per tier*.")
    c[2].number_input("Moving up a tier (% a year)", 0.0, 100.0, step=1.0, key="cap_upgrade",
                      format="%.1f")
    c[3].number_input("Horizon (months)", 1, 60, step=6, key="cap_horizon")
    c = st.columns(4)
    c[0].number_input("CSMs today", 0.0, step=1.0, key="cap_current", format="%.0f",
                      help=f"Default: the {base.csms} CSMs in the data's roster.")
    c[1].number_input("CSM attrition (% a year)", 0.0, 100.0, step=1.0, key="cap_attrition",
                      format="%.1f")
    c[2].number_input("Time to hire (months)", 0, 36, key="cap_tth",
                      help="From opening the requisition to the start date.")
    c[3].number_input("Ramp (months)", 0, 36, key="cap_ramp",
                      help="New CSMs ramp linearly to full capacity over these months.")


def show_results(notes: list[DeltaGenerator], cov: Coverage) -> None:
    """Each tier's accounts, coverage and required FTE under its inputs."""
    for box, (_, row) in zip(notes, cov.tiers.iterrows(), strict=True):
        box.markdown(f"**Result:** {fmt_count(row['accounts'])} accounts at "
                     f"{ratio_label(row['accounts_per_csm'])} "
                     f"({row['hours_per_account']:,.1f} hours per account a year) need "
                     f"**{row['fte']:,.2f} CSM FTE**.")
