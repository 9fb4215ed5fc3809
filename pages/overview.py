"""Overview: the executive home with portfolio KPI tiles and the ARR trend."""

import streamlit as st

from cs_dashboard.charts.theme import footnote
from cs_dashboard.charts.trend import arr_trend_chart
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points
from cs_dashboard.months import add_months, label
from cs_dashboard.portfolio import change
from cs_dashboard.ui import cache, context, messages
from cs_dashboard.ui.charts import show_chart

st.title("Overview")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

PERIODS = {"month": 1, "quarter": 3, "year": 12}
period = st.segmented_control("Compare with the prior", list(PERIODS), default="month",
                              key="ov_period") or "month"
prior_month = add_months(ctx.as_of, -PERIODS[period])
now = cache.portfolio(ctx.url, ctx.version, ctx.as_of, ctx.filters)
before = cache.portfolio(ctx.url, ctx.version, prior_month, ctx.filters)
st.caption(f"As of {label(ctx.as_of)} against {label(prior_month)} · {ctx.filters.describe()}. "
           "NRR, GRR and logo retention are trailing twelve months (see the README's definitions).")

tiles = st.columns(5)
tiles[0].metric("ARR", fmt_money(now.arr), fmt_money(change(now.arr, before.arr)),
                help="12 × MRR of accounts active at the as-of month.")
tiles[1].metric("Active accounts", fmt_count(now.accounts),
                fmt_count(change(now.accounts, before.accounts)))
for tile, name, attr, text in (
    (tiles[2], "NRR (12m)", "nrr_12m", "MRR now of accounts active 12 months ago ÷ their MRR then."),
    (tiles[3], "GRR (12m)", "grr_12m", "Like NRR, but each account counts at most its MRR then."),
    (tiles[4], "Logo retention (12m)", "logo_retention_12m",
     "Share of accounts active 12 months ago that are still active."),
):
    value, prior = getattr(now, attr), getattr(before, attr)
    delta = change(value, prior)
    tile.metric(name, fmt_pct(value), None if delta is None else fmt_points(delta), help=text)

trend = cache.mrr_by_month(ctx.url, ctx.version, ctx.filters)
trend = trend[trend["month"].dt.date <= ctx.as_of]
note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())
show_chart(arr_trend_chart(trend, note), trend.assign(arr=trend["mrr"] * 12), "arr_trend", "ov_arr")
