"""The six tiles and the one-sentence answer above the Capacity tabs."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.capacity import CapacityResult
from cs_dashboard.capacity.compare import team_cost_sum
from cs_dashboard.capacity.presets import BENCHMARK
from cs_dashboard.capacity.working import staffing_delta
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct


def render(result: CapacityResult) -> None:
    scenario, cov, proj = result.scenario, result.coverage, result.projection
    current = result.resolved.current_csms
    team = scenario.team
    tiles = st.columns(6)
    tiles[0].metric("CSMs needed", fmt_count(cov.csm_heads), help=f"{cov.csm_fte:,.1f} exact FTE, rounded up "
                    "to whole heads.")
    tiles[1].metric("CSMs today", fmt_count(current), staffing_delta(cov.csm_heads - current),
                    delta_color="off", delta_arrow="off")
    tiles[2].metric("Total CS team", fmt_count(cov.total_heads),
                    help=f"{cov.csm_heads} CSMs, {cov.manager_heads} managers, "
                         f"{cov.ops_heads} CS operations.")
    tiles[3].metric("Team cost", fmt_money(cov.team_cost),
                    help=f"The budget: whole heads, each at their own fully loaded cost: "
                         f"{team_cost_sum(cov, team)}. The model's CSM cost alone is {cov.csm_fte:,.2f} "
                         f"CSM FTE × {fmt_money(team.csm_cost)} = {fmt_money(cov.csm_cost)}.")
    band = BENCHMARK["cost_share"]
    tiles[4].metric("Team cost ÷ ARR", fmt_pct(cov.team_cost_share),
                    help=f"Team cost (CSMs, managers and CS operations, whole heads) ÷ ARR "
                         f"({fmt_money(cov.arr)}). {band.name}: 5-15% ({band.source}).")
    tiles[5].metric("ARR per required CSM", fmt_money(cov.arr_per_required_csm),
                    help=f"ARR ÷ the {fmt_count(cov.csm_heads)} required "
                         f"CSM{'' if cov.csm_heads == 1 else 's'} (whole heads); "
                         f"{fmt_count(cov.accounts_per_required_csm)} accounts per required CSM. "
                         "The Overview's ARR per CSM divides by the CSMs who hold a book today.")
    st.markdown(
        f"**{scenario.name}:** {fmt_count(cov.accounts)} accounts need **{cov.csm_fte:,.1f} CSM FTE** "
        f"({fmt_count(cov.csm_heads)} heads) today; you have {fmt_count(current)}. "
        f"In {scenario.growth.horizon} months the book needs {result.need_at_horizon_fte:,.1f} FTE; "
        f"the plan opens **{fmt_count(len(proj.hires))} requisitions**. "
        f"Team cost ({fmt_count(cov.total_heads)} whole heads with managers and CS operations): "
        f"{fmt_money(cov.team_cost)} a year, **{fmt_pct(cov.team_cost_share)} of ARR** (band: 5-15%). "
        f"CSM cost alone: {cov.csm_fte:,.2f} FTE × {fmt_money(team.csm_cost)} = {fmt_money(cov.csm_cost)}.")
