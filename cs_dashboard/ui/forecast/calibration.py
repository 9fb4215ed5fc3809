"""The Calibration tab: predicted against observed churn by decile of predicted risk."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.charts import forecast as charts
from cs_dashboard.fmt import fmt_pct
from cs_dashboard.forecast import (
    ForecastReport,
)
from cs_dashboard.months import label
from cs_dashboard.ui.charts import show_chart


def render(report: ForecastReport, note: str) -> None:
    """The calibration deciles of the oldest forecast that can be checked."""
    cal = report.calibration
    if cal is None:
        st.info(report.calibration_note or "Not enough history to check the calibration.",
                icon=":material/history:")
    else:
        show_chart(charts.calibration_chart(cal, note), cal.deciles, "forecast_calibration",
                   "fc_calibration")
        riskiest, safest = cal.spread
        st.caption(f"The forecast made in {label(cal.origin)} ranked that month's accounts by "
                   "predicted churn (their band's rate; within a band, lower score first) into "
                   f"ten equal groups. The riskiest tenth lost {fmt_pct(riskiest)} of its ARR to "
                   f"churn by {label(cal.as_of)}, the safest {fmt_pct(safest)}; points on the "
                   "dotted line mean the predictions held. Deciles within one band share its "
                   f"predicted rate. ARR-weighted gap: {cal.mean_gap * 100:.1f} points.")
        st.dataframe(cal.deciles, hide_index=True, width="stretch", key="fc_deciles",
                     column_config={
                         "decile": "Decile (1 = riskiest)", "accounts": "Accounts",
                         "arr": st.column_config.NumberColumn("ARR then", format="$%,.0f"),
                         "score_low": st.column_config.NumberColumn("Lowest score", format="%.1f"),
                         "score_high": st.column_config.NumberColumn("Highest score",
                                                                     format="%.1f"),
                         **{c: st.column_config.NumberColumn(c.replace("_", " ").capitalize(),
                                                             format="percent")
                            for c in ("predicted", "observed", "observed_logo")}})
