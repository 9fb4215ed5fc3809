"""The Retention forecast tab: expected GRR and NRR with intervals, the flows, the rates."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.charts import forecast as charts
from cs_dashboard.forecast import (
    POOLED,
    ForecastReport,
)
from cs_dashboard.months import label
from cs_dashboard.ui.charts import show_chart


def render(report: ForecastReport, months: int, note: str) -> None:
    """The forecast over ``months`` with its intervals, the flows, and the rates by band."""
    projection = report.projection
    if projection is None:
        st.info(report.note or "Not enough history to forecast.", icon=":material/history:")
    else:
        st.info(report.summary(), icon=":material/insights:")
        show_chart(charts.forecast_chart(projection, note), projection.monthly,
                   "forecast_grr_nrr", "fc_forecast")
        show_chart(charts.flows_chart(projection, note), projection.monthly,
                   "forecast_churn_contraction_expansion", "fc_flows")
        rates = report.rates.table
        at_horizon = rates[rates["k"] == months].drop(columns="k")
        st.subheader(f"The rates: what each band did over {months} months from "
                     f"{label(report.rates.start)}")
        st.dataframe(at_horizon, hide_index=True, width="stretch", key="fc_rates", column_config={
            "band": "Band then", "accounts": "Accounts then",
            "arr": st.column_config.NumberColumn("ARR then", format="$%,.0f"),
            "churned": "Churned (accounts)",
            **{c: st.column_config.NumberColumn(name, format="percent")
               for c, name in (("logo_churn_rate", "Logo churn"), ("churn_rate", "Churn"),
                               ("contraction_rate", "Contraction"),
                               ("expansion_rate", "Expansion"), ("grr", "GRR"),
                               ("nrr", "NRR"))}})
        pooled = projection.pooled_bands
        st.caption(f"Rates are shares of the band's ARR in {label(report.rates.start)}; churn is "
                   "the back-test's (a month without revenue by then), so the logo churn rate is "
                   "the Health page's back-test churn rate for that snapshot."
                   + (f" No account was {', '.join(pooled)} then: those accounts use the rates of "
                      f"{POOLED}." if pooled else ""))
        with st.expander("Month by month (table)"):
            st.dataframe(projection.monthly, hide_index=True, width="stretch", key="fc_monthly",
                         column_config={
                             "month": st.column_config.DateColumn("Month", format="YYYY-MM"),
                             **{c: st.column_config.NumberColumn(c, format="$%,.0f")
                                for c in projection.monthly.columns
                                if c.endswith(("_arr", "_low", "_high", "_in_month"))
                                and not c.startswith(("grr", "nrr"))},
                             **{c: st.column_config.NumberColumn(c, format="percent")
                                for c in projection.monthly.columns if c.startswith(("grr", "nrr"))}})
    with st.expander("How the forecast works"):
        st.markdown(report.method)
