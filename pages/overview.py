"""Overview: the executive home with portfolio KPI tiles, the ARR trend, the latest quarter's
bridge, the health mix and NRR/GRR against the SaaS Capital medians."""

import pandas as pd
import streamlit as st

from cs_dashboard.api import overview as api_overview
from cs_dashboard.charts import movements as movement_charts
from cs_dashboard.charts import retention as retention_charts
from cs_dashboard.charts.theme import footnote
from cs_dashboard.charts.trend import arr_trend_chart
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points
from cs_dashboard.months import label
from cs_dashboard.retention import benchmarks as rb
from cs_dashboard.ui import cache, context, header, messages
from cs_dashboard.ui.charts import show_chart

header.title("Overview")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()
intro = st.empty()

PERIODS = {"month": 1, "quarter": 3, "year": 12}
period = st.segmented_control("Compare with the prior", list(PERIODS), default="month",
                              key="ov_period") or "month"
weights, bands = cache.scoring(ctx.url, ctx.version)
view = cache.run(api_overview.overview, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                 PERIODS[period], weights, bands)
now = view.now
against = (f"changes against {view.prior:%B %Y}" if view.prior
           else "no earlier month in the data to compare with")
intro.caption(f"**{ctx.source_label}** · data as of {ctx.as_of:%B %Y} · {ctx.filters.describe()} "
              f"· {against}.")


tiles = st.columns(5)
tiles[0].metric("ARR", fmt_money(now.arr), fmt_money(view.change("arr")),
                help="12 × MRR of accounts active at the as-of month.")
tiles[1].metric("Active accounts", fmt_count(now.accounts),
                fmt_count(view.change("accounts")))
for tile, name, attr, text in (
    (tiles[2], "NRR (12m)", "nrr_12m", "MRR now of accounts active 12 months ago ÷ their MRR then."),
    (tiles[3], "GRR (12m)", "grr_12m", "Like NRR, but each account counts at most its MRR then."),
    (tiles[4], "Logo retention (12m)", "logo_retention_12m",
     "Share of accounts active 12 months ago that are still active."),
):
    delta = view.change(attr)
    tile.metric(name, fmt_pct(getattr(now, attr)), None if delta is None else fmt_points(delta),
                help=text)

health_now, cover_now = view.health_now, view.coverage_now
second = st.columns(5)
if health_now.has_health:
    second[0].metric(
        "ARR at risk", fmt_money(health_now.arr_at_risk),
        fmt_money(view.change("arr_at_risk", "health")),
        delta_color="inverse",
        help=f"ARR of accounts in the red health band (score below {health_now.thresholds[0]:g}), "
             "with the score saved on the Health page. Adding half of the yellow band: "
             f"{fmt_money(health_now.arr_at_risk_with_yellow)}.")
else:
    second[0].metric("ARR at risk", "–", help="Needs a health table (import one on the Data page).")
accounts_delta = view.change("accounts_per_csm", "coverage")
second[1].metric("Accounts per CSM", fmt_count(cover_now["accounts_per_csm"]),
                 None if accounts_delta is None else f"{accounts_delta:+,.1f}",
                 delta_color="off",
                 help=f"Active accounts ÷ {fmt_count(cover_now['csms'])} CSMs holding a book at the "
                      "as-of month (distinct CSMs of active accounts). Benchmarks: 5-15 high touch, "
                      "20-50+ low touch. The Capacity page's model divides by required CSMs instead.")
second[2].metric("ARR per CSM", fmt_money(cover_now["arr_per_csm"]),
                 fmt_money(view.change("arr_per_csm", "coverage")),
                 delta_color="off",
                 help="ARR ÷ CSMs holding a book at the as-of month. Rule of thumb: $2M per CSM "
                      "(SaaStr), $1M for high-touch enterprise.")
second[3].metric("CSMs", fmt_count(cover_now["csms"]),
                 fmt_count(view.change("csms", "coverage")),
                 delta_color="off",
                 help="Distinct csm values of the accounts active at the as-of month.")
acv = view.average_acv
second[4].metric("Average ACV", fmt_money(acv),
                 help="Average annual contract value: ARR ÷ active accounts. It picks the SaaS "
                      "Capital benchmark band below.")

note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())
show_chart(arr_trend_chart(view.trend, note), view.trend, "arr_trend", "ov_arr")

# Full width, one under the other: side by side, the bridge's labels overlap below ~1600 px.
if view.quarter.empty:
    st.info("The quarterly bridge needs a complete quarter after the first month of data.",
            icon=":material/info:")
else:
    row = view.quarter
    show_chart(movement_charts.waterfall_chart(
        row, note, f"MRR bridge, {row['period'].iloc[0]} (latest complete quarter)"),
        row, "latest_quarter_bridge", "ov_bridge")
if acv is None or now.nrr_12m is None:
    st.info("NRR and GRR need accounts active twelve months before the as-of month.",
            icon=":material/info:")
else:
    band = rb.acv_band(acv)
    bench_nrr, bench_grr = rb.for_acv(acv, "nrr"), rb.for_acv(acv, "grr")
    fig = retention_charts.benchmark_chart(now.nrr_12m, now.grr_12m, bench_nrr, bench_grr,
                                           band, note)
    data = {"metric": ["NRR", "GRR"], "portfolio": [now.nrr_12m, now.grr_12m],
            "saas_capital_median": [bench_nrr.value, bench_grr.value],
            "acv_band": [band, band], "source": [bench_nrr.source, bench_grr.source]}
    show_chart(fig, pd.DataFrame(data), "nrr_grr_vs_benchmark", "ov_bench")

if health_now.has_health:
    mix = [{"band": b.band, "accounts": b.accounts, "arr": b.arr}
           for b in (*health_now.bands, health_now.unscored)]
    show_chart(retention_charts.health_mix_chart(health_now, note), pd.DataFrame(mix),
               "health_mix", "ov_health")
else:
    st.info("No health data: import a health file on the Data page to see the health mix.",
            icon=":material/info:")
