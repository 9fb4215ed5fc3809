"""The Track record tab: past forecasts against what happened."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.charts import forecast as charts
from cs_dashboard.fmt import fmt_pct
from cs_dashboard.forecast import (
    ForecastReport,
)
from cs_dashboard.months import label
from cs_dashboard.ui.charts import show_chart


def render(report: ForecastReport, months: int, note: str) -> None:
    """Each past forecast in the track record against the actuals since."""
    level = f"{report.level:.0%}"
    origins = report.record.origins if report.record else ()
    if not any(o.available for o in origins):
        st.info(" ".join(o.note for o in origins if o.note) or "No track record yet.",
                icon=":material/history:")
    for origin in origins:
        if not origin.available:
            if any(o.available for o in origins):
                st.caption(origin.note)
            continue
        st.subheader(f"The forecast made {origin.months_back} months ago ({label(origin.origin)})")
        cols = st.columns(4)
        cols[0].metric("Mean error, GRR", f"{origin.mae('grr') * 100:.1f} pts",
                       help="Mean of |forecast - actual| over the months since, in points.")
        cols[1].metric("Mean error, NRR", f"{origin.mae('nrr') * 100:.1f} pts")
        cols[2].metric("GRR inside the interval", fmt_pct(origin.inside_share("grr"), 0),
                       help=f"Share of months whose actual GRR fell inside the {level} interval.")
        cols[3].metric("NRR inside the interval", fmt_pct(origin.inside_share("nrr"), 0))
        show_chart(charts.track_chart(origin, report.level, note), origin.rows,
                   f"forecast_track_record_{label(origin.origin)}", f"fc_track_{origin.months_back}")
    if any(o.available for o in origins):
        st.caption("Each forecast used only the data available then: rates measured over the "
                   f"{months} months before it, applied to the book of that month. Actual = the GRR "
                   "and NRR of that book since (the metric definitions with that month as base).")
