"""The six tiles and the one-sentence answer above the Capacity tabs."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.capacity import Coverage, Projection, Resolved
from cs_dashboard.capacity.presets import BENCHMARK
from cs_dashboard.capacity.working import staffing_delta
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct


def render(resolved: Resolved, cov: Coverage, proj: Projection) -> None:
    scenario = resolved.scenario
    tiles = st.columns(6)
    tiles[0].metric("CSMs needed", fmt_count(cov.csm_heads), help=f"{cov.csm_fte:,.1f} exact FTE, rounded up "
                    "to whole heads.")
    tiles[1].metric("CSMs today", fmt_count(resolved.current_csms),
                    staffing_delta(cov.csm_heads - resolved.current_csms), delta_color="off",
                    delta_arrow="off")
    tiles[2].metric("Total CS team", fmt_count(cov.total_heads),
                    help=f"{cov.csm_heads} CSMs, {cov.manager_heads} managers, "
                         f"{cov.ops_heads} CS operations.")
    tiles[3].metric("Annual cost", fmt_money(cov.annual_cost), help="Whole heads × fully loaded cost.")
    band = BENCHMARK["cost_share"]
    tiles[4].metric("CS cost ÷ ARR", fmt_pct(cov.cost_share),
                    help=f"{band.name}: 5-15% ({band.source}).")
    tiles[5].metric("ARR per CSM", fmt_money(cov.arr_per_csm),
                    help=f"{fmt_count(cov.accounts_per_csm)} accounts per CSM.")
    end = proj.months.iloc[-1]
    st.markdown(
        f"**{scenario.name}:** {fmt_count(cov.accounts)} accounts need **{cov.csm_fte:,.1f} CSM FTE** "
        f"({fmt_count(cov.csm_heads)} heads) today; you have {fmt_count(resolved.current_csms)}. "
        f"In {scenario.growth.horizon} months the book needs {end['need_fte']:,.1f} FTE; "
        f"the plan opens **{fmt_count(len(proj.hires))} requisitions**. "
        f"The team costs {fmt_money(cov.annual_cost)} a year, **{fmt_pct(cov.cost_share)} of ARR** "
        f"(band: 5-15%).")
