"""The Survival tab: Kaplan-Meier curves per group, their table and the log-rank test."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.api import retention as api_retention
from cs_dashboard.api.retention import TIER_SURVIVAL_CAPTION
from cs_dashboard.charts import retention as charts
from cs_dashboard.charts.theme import tier_color
from cs_dashboard.retention.survival import LOGRANK_ALPHA
from cs_dashboard.ui import cache
from cs_dashboard.ui.charts import show_chart
from cs_dashboard.ui.context import Context
from cs_dashboard.ui.retention import Scope

LIFETIME_NOTE = ("Lifetime: months from an account's start (its first revenue, or its "
                 "customer_since when that is earlier) to its first month without MRR; "
                 "reactivation does not undo a churn. Accounts still active are censored at "
                 "their age at the as-of month. An account signed before it first paid enters "
                 "the curve at its first paid month and is never counted as churned before "
                 "it; accounts that predate the data without a customer_since are left out.")


@st.fragment
def render(ctx: Context, scope: Scope) -> None:
    present = cache.columns(ctx.url, ctx.version).get("accounts", [])
    groups = api_retention.survival_groups(present)
    by = groups[st.selectbox("Group by", list(groups), index=1, key="ret_surv_by")]
    result = cache.run(api_retention.survival, ctx.url, ctx.version, ctx.as_of, ctx.filters, by,
                       *scope.args())
    if not result.groups:
        st.info("No account lifetimes in this selection.", icon=":material/info:")
        return
    colors = None
    if by == "tier":
        colors = {name: tier_color(i) for i, name in enumerate(scope.tiers.names)}
        st.caption(TIER_SURVIVAL_CAPTION)
    show_chart(charts.survival_chart(result, scope.note, colors), result.table(),
               f"survival_{by or 'all'}", "ret_survival")
    pct = st.column_config.NumberColumn(format="%.1f%%")
    shown = result.readable_table()
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "Median lifetime": st.column_config.TextColumn(
            help="Months until half the accounts have churned (not reached: survival "
                 "never fell below 50%)."),
        **{c: pct for c in shown.columns if c.startswith("S(")}})
    if result.logrank_p is not None:
        verdict = "differ" if result.logrank_p < LOGRANK_ALPHA.value else "do not clearly differ"
        st.metric("Log-rank p-value", f"{result.logrank_p:.3g}",
                  help="Probability of curves this different if all groups churned alike.")
        st.caption(f"At the {LOGRANK_ALPHA.value:.0%} level the groups' survival curves "
                   f"{verdict}. The log-rank test uses durations and churn events (it ignores "
                   "late entry).")
    for g in result.groups:
        if g.estimator_reason:
            st.warning(f"{g.group}: {g.estimator_reason}; shown with the {g.estimator} "
                       "estimator (read this curve with care).", icon=":material/warning:")
    st.caption(LIFETIME_NOTE)
