"""The Need, supply and hiring plan tab: coverage per tier, need against supply by month, the
hiring waves and the cost by quarter."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cs_dashboard.capacity import CapacityResult
from cs_dashboard.capacity.compare import ratio_label, team_cost_per_csm_sum
from cs_dashboard.capacity.projection import hiring_waves
from cs_dashboard.charts.capacity import cost_share_chart, hiring_timeline_chart, need_supply_chart
from cs_dashboard.fmt import fmt_count, fmt_money
from cs_dashboard.months import label
from cs_dashboard.ui.charts import show_chart


def render(result: CapacityResult, note: str) -> None:
    """``note``: the chart footnote."""
    scenario, cov, proj = result.scenario, result.coverage, result.projection
    per_tier = cov.tiers
    st.dataframe(pd.DataFrame({
        "Tier": per_tier["tier"], "Accounts": per_tier["accounts"].round(0),
        "ARR": per_tier["arr"], "Hours per account a year": per_tier["hours_per_account"].round(1),
        "Coverage": per_tier["accounts_per_csm"].map(ratio_label), "CSM FTE": per_tier["fte"].round(2),
        "Whole heads (per tier)": per_tier["heads"]}),
        hide_index=True, width="stretch",
        column_config={"ARR": st.column_config.NumberColumn(format="$%,.0f"),
                       "Accounts": st.column_config.NumberColumn(format="%,d")})
    rounding = "per-tier" if scenario.team.per_tier_ceil else "ceiling of the total"
    st.caption(f"Each CSM has {cov.available_hours:,.0f} customer hours a year. "
               f"Total {cov.csm_fte:,.2f} FTE → {cov.csm_heads} CSMs ({rounding}), "
               f"{cov.manager_heads} managers, {cov.ops_heads} CS operations. "
               f"CSM cost: {cov.csm_fte:,.2f} FTE × {fmt_money(scenario.team.csm_cost)} = "
               f"{fmt_money(cov.csm_cost)} a year; team cost (whole heads with managers and CS "
               f"operations): {fmt_money(cov.team_cost)} a year.")
    show_chart(need_supply_chart(proj.months, note), proj.months, "capacity_need_vs_supply", "cap_need")
    short = proj.unclosable_shortfall
    if not short.empty:
        st.warning(f"Supply falls short of need in {len(short)} month(s) before the first requisition "
                   f"opened today can be fully productive ({proj.lead_time} months: "
                   f"{scenario.growth.time_to_hire} to hire + {scenario.growth.ramp_months} to ramp). "
                   "Largest gap: "
                   f"{short['gap_fte'].max():,.1f} FTE.", icon=":material/schedule:")
    st.subheader("Hiring plan")
    if proj.hires.empty:
        st.success("No hires needed within the horizon: supply covers the need.", icon=":material/check:")
    else:
        _hiring(proj.hires, note)
    c = st.columns([2, 3])
    with c[0]:
        st.markdown("**Team cost by quarter (pro rata)**")
        q = proj.quarters
        st.dataframe(pd.DataFrame({"Quarter": q["quarter"] + q["months"].map(lambda m: "" if m == 3 else
                                                                              f" ({m} of 3 months)"),
                                   "Team cost": q["team_cost_pro_rata"]}),
                     hide_index=True, width="stretch",
                     column_config={"Team cost": st.column_config.NumberColumn(format="$%,.0f")})
    with c[1]:
        show_chart(cost_share_chart(proj.months, note), proj.months, "capacity_cost_share", "cap_cost")
    st.caption("Team cost by month, pro rata: CSMs on the payroll (hires from their start date, ramping "
               "or not, and attrition as an expected value) × the team cost of one CSM FTE, "
               f"{team_cost_per_csm_sum(scenario.team)}. Heads are fractional here, so it can differ "
               "from the Team cost tile, which counts whole heads of the required team. The shaded band is "
               "what established companies spend on CS as a share of revenue (Assumptions tab).")


def _hiring(plan: pd.DataFrame, note: str) -> None:
    waves = hiring_waves(plan)
    st.dataframe(pd.DataFrame({
        "Requisitions open": waves["opens_date"].map(label), "Hires": waves["hires"],
        "Start": waves["starts_date"].map(label),
        "Fully productive": waves["productive_date"].map(label)}),
        hide_index=True, width="stretch", height=min(400, 35 * (len(waves) + 1) + 3))
    st.caption(f"{fmt_count(len(plan))} requisitions in {len(waves)} waves; the CSV below lists each "
               "requisition.")
    show_chart(hiring_timeline_chart(waves, note), plan, "capacity_hiring_plan", "cap_hiring")
