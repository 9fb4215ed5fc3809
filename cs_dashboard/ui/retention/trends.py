"""The NRR / GRR trends tab: trailing-12 retention against the medians, by tier and per CSM."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cs_dashboard.api import retention as api_retention
from cs_dashboard.api.retention import TIER_TREND_CAPTION
from cs_dashboard.charts import retention as charts
from cs_dashboard.retention import benchmarks as rb
from cs_dashboard.ui import cache
from cs_dashboard.ui.charts import show_chart
from cs_dashboard.ui.context import Context
from cs_dashboard.ui.retention import Scope

METRICS = {"NRR": "nrr", "GRR": "grr", "Logo retention": "logo"}


@st.fragment
def render(ctx: Context, scope: Scope, trend: pd.DataFrame) -> None:
    """``trend``: the trailing-12 rows the tiles read (``api.retention.trends``)."""
    if trend.dropna(subset=["nrr"]).empty:
        st.info("Trailing-12 retention needs 13 months of data.", icon=":material/info:")
        return
    medians = tuple(b for b in rb.MEDIANS if b.source == rb.SAAS_CAPITAL_2023)
    show_chart(charts.retention_trend_chart(trend, scope.note, medians), trend,
               "trailing_retention", "ret_trend")
    by_tier = cache.run(api_retention.trends, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                        scope.rule, True, 24, None, scope.tenure)
    metric = METRICS[st.segmented_control("Tier split of", list(METRICS), default="NRR",
                                          key="ret_tier_metric") or "NRR"]
    show_chart(charts.tier_trend_chart(by_tier, metric, scope.note), by_tier,
               f"trailing_{metric}_by_tier", "ret_tier_trend")
    st.caption(TIER_TREND_CAPTION)
    per_tier = cache.run(api_retention.retention_by_tier, ctx.url, ctx.version, ctx.as_of,
                         ctx.filters, scope.rule, scope.tenure)
    ratio = st.column_config.NumberColumn
    st.dataframe(per_tier[["tier", "base_accounts", "retained", "nrr", "grr", "logo"]],
                 hide_index=True, width="stretch", column_config={
                     "tier": "Tier 12 months ago", "base_accounts": "Accounts then",
                     "retained": "Still active",
                     "nrr": ratio("NRR (12m)", format="percent"),
                     "grr": ratio("GRR (12m)", format="percent"),
                     "logo": ratio("Logo retention (12m)", format="percent")})
    if scope.tier:
        st.caption("The tier split always shows every tier; the Tier filter above applies "
                   "to the other charts.")
    csm = cache.run(api_retention.nrr_by_csm, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                    *scope.args())
    if csm.empty:
        st.info("NRR per CSM needs a csm column and accounts active 12 months ago.",
                icon=":material/info:")
    else:
        show_chart(charts.csm_nrr_chart(csm, scope.note), csm, "nrr_per_csm", "ret_csm")
