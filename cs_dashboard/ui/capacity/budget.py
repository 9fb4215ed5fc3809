"""The Budget and sensitivity tab: what a budget buys per tier, and which drivers move the need."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cs_dashboard.capacity import Base, CapacityResult, coverage_for_budget, sensitivity
from cs_dashboard.capacity.compare import budget_verdict, ratio_label, team_cost_per_csm_sum
from cs_dashboard.charts.capacity import tornado_chart
from cs_dashboard.ui.charts import show_chart

BASES = ("Dollars a year", "Share of ARR")


def render(result: CapacityResult, base: Base, note: str) -> None:
    """``note``: the chart footnote."""
    resolved, cov = result.resolved, result.coverage
    scenario = result.scenario
    state = st.session_state
    st.subheader("What does a team budget buy?")
    c = st.columns([1, 1, 1])
    state.setdefault("cap_budget_basis", BASES[0])
    state.setdefault("cap_budget_usd", float(round(cov.team_cost * 0.8, -5)))
    state.setdefault("cap_budget_pct", 8.0)
    state.setdefault("cap_protect", True)
    basis = c[0].segmented_control("Budget as", list(BASES), key="cap_budget_basis") or BASES[0]
    if basis == BASES[0]:
        budget = c[1].number_input("Team budget ($ a year)", 0.0, step=100_000.0, format="%.0f",
                                   key="cap_budget_usd")
        c[1].caption(f"${budget:,.0f} a year")
    else:
        share = c[1].number_input("Team budget (% of ARR)", 0.0, 100.0, step=0.5, format="%.1f",
                                  key="cap_budget_pct")
        budget = share / 100 * cov.arr
    protect = c[2].toggle(f"Protect {scenario.tiers[0].name} coverage", key="cap_protect")
    funded = coverage_for_budget(resolved, budget, (0,) if protect else ())
    ft = funded.tiers
    st.dataframe(pd.DataFrame({
        "Tier": ft["tier"], "Modelled coverage": cov.tiers["accounts_per_csm"].map(ratio_label),
        "Funded coverage": ft["accounts_per_csm"].map(ratio_label),
        "Required FTE": ft["required_fte"].round(1),
        "Funded FTE": ft["funded_fte"].round(1), "Share of modelled coverage": ft["funded_share"] * 100,
        "Hours per account a year": ft["hours_per_account"].round(1)}),
        hide_index=True, width="stretch", column_config={
            "Share of modelled coverage": st.column_config.ProgressColumn(format="%.0f%%", min_value=0,
                                                                          max_value=100)})
    st.markdown(budget_verdict(funded, cov.arr, scenario.tiers[0].name if protect else None))
    st.caption("The budget is a team budget spent at exact FTE, pro rata: each CSM FTE costs "
               f"{team_cost_per_csm_sum(scenario.team)}. The Team cost tile counts whole heads, so "
               "funding the modelled coverage at this rate can cost less than it.")
    st.subheader("Sensitivity")
    sens = sensitivity(scenario, base)
    horizon = scenario.growth.horizon
    if sens.empty:
        st.info("No driver moves the need in this scenario.", icon=":material/info:")
    else:
        show_chart(tornado_chart(sens, horizon, footnote=note), sens, "capacity_tornado", "cap_tornado")
        st.caption(f"Change in CSMs needed in month {horizon} (base {sens['base_fte'].iloc[0]:,.1f} FTE) "
                   "when each driver moves 20% down or up, the others held. Drivers that do not move "
                   "the need (e.g. hours per week in ratio mode) are left out.")
