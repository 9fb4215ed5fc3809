"""The What acting is worth tab: moving red accounts to yellow or green, in ARR kept and CSM
hours."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.charts import forecast as charts
from cs_dashboard.fmt import fmt_money, fmt_pct, fmt_points
from cs_dashboard.forecast import (
    CSM_HOURS,
    RESCUE_HOURS,
    WATCH_DAYS,
    ForecastReport,
    choose,
    kept_curve,
    what_if,
)
from cs_dashboard.forecast.whatif import LARGEST_FIRST, MOST_HOURS, PICKED_FIRST
from cs_dashboard.ui.charts import show_chart


def render(report: ForecastReport, months: int, note: str) -> None:
    """What moving the chosen red accounts to yellow or green keeps over ``months``."""
    level = f"{report.level:.0%}"
    ahead = report.renewals
    watch = ahead.watch
    projection = report.projection
    red = ahead.red
    if projection is None:
        st.info(report.note or "Not enough history to value the what-if.",
                icon=":material/history:")
    elif red.empty:
        st.success("No red account at the as-of month.", icon=":material/check_circle:")
    else:
        left, middle, right = st.columns(3)
        how = left.radio("Which red accounts", ["Largest ARR first", "Pick from the watch list"],
                         key="fc_how")
        target = middle.segmented_control("Move them to", ["yellow", "green"], default="green",
                                          format_func=str.capitalize, key="fc_target") or "green"
        hours = right.number_input("Hours a year per account moved", 0.0, MOST_HOURS.value,
                                   float(round(RESCUE_HOURS.value, 1)), 10.0, key="fc_hours",
                                   help=f"Default: {RESCUE_HOURS.source}. A CSM has "
                                        f"{CSM_HOURS.value:,.0f} customer hours a year "
                                        f"({CSM_HOURS.source}).")
        if how == "Largest ARR first":
            count = left.number_input("Number of red accounts", 1, len(red),
                                      min(int(LARGEST_FIRST.value), len(red)), key="fc_count")
            moved = choose(red, int(count))
        else:
            candidates = watch[watch["band"] == "red"]
            if candidates.empty:
                st.info(f"No red account renews in the next {WATCH_DAYS.value:.0f} days; pick by ARR "
                        "instead.")
            picked = left.multiselect(
                "Red accounts on the watch list", list(candidates["account_id"]),
                default=list(candidates["account_id"].head(int(PICKED_FIRST.value))), key="fc_picked",
                format_func=lambda a: f"{a} · "
                f"{fmt_money(float(red.loc[red['account_id'] == a, 'arr'].iloc[0]))}")
            moved = choose(red, picked=picked)
        result = what_if(report.rates, projection, moved, target, hours, CSM_HOURS.value)
        st.success(result.sentence, icon=":material/savings:")
        cols = st.columns(4)
        cols[0].metric(f"ARR kept over {months} months", fmt_money(result.kept),
                       f"{level}: {fmt_money(result.kept_low)} – {fmt_money(result.kept_high)}",
                       delta_color="off", delta_arrow="off")
        cols[1].metric("Expected GRR", fmt_pct(result.grr_after),
                       fmt_points(result.grr_after - result.grr_before))
        cols[2].metric("Hours a year", f"{result.hours:,.0f}")
        cols[3].metric("CSMs it takes", f"{result.csms:.1f}",
                       help=f"Hours / {CSM_HOURS.value:,.0f} customer hours a CSM has a year.")
        curve = kept_curve(report.rates, red, target, months, hours, CSM_HOURS.value)
        chosen = result.accounts if how == "Largest ARR first" else 0
        show_chart(charts.kept_chart(curve, chosen, note), curve, "forecast_what_if",
                   "fc_kept")
        st.caption(f"A moved account keeps its ARR and takes {target}'s rates instead of red's "
                   f"over the next {months} months (ARR kept = its ARR × the difference of their "
                   "churn + contraction rates). The interval comes from the rates' bootstrap.")
        st.dataframe(result.moved, hide_index=True, width="stretch", key="fc_moved",
                     column_config={
                         "account_id": "Account", "account_name": "Name", "tier": "Tier",
                         "csm": "CSM", "dragging": "Dragging component",
                         "arr": st.column_config.NumberColumn("ARR", format="$%,.0f"),
                         "score": st.column_config.NumberColumn("Score", format="%.1f"),
                         "renewal_date": st.column_config.DateColumn("Renewal",
                                                                     format="YYYY-MM-DD")})
