"""Overview: the executive home with portfolio KPI tiles, the ARR trend, the latest quarter's
bridge, the health mix and NRR/GRR against the SaaS Capital medians."""

import streamlit as st

from cs_dashboard.api import overview as api_overview
from cs_dashboard.charts import movements as movement_charts
from cs_dashboard.charts.theme import footnote
from cs_dashboard.charts.trend import arr_trend_chart
from cs_dashboard.months import label
from cs_dashboard.ui import cache, context, header, messages
from cs_dashboard.ui import overview as ui_overview
from cs_dashboard.ui.charts import show_chart

header.title("Overview")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()
intro = st.empty()

period = st.segmented_control("Compare with the prior", list(ui_overview.PERIODS), default="month",
                              key="ov_period") or "month"
weights, bands = cache.scoring(ctx.url, ctx.version)
view = cache.run(api_overview.overview, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                 ui_overview.PERIODS[period], weights, bands)
against = (f"changes against {view.prior:%B %Y}" if view.prior
           else "no earlier month in the data to compare with")
intro.caption(f"**{ctx.source_label}** · data as of {ctx.as_of:%B %Y} · {ctx.filters.describe()} "
              f"· {against}.")

ui_overview.portfolio_tiles(view)
ui_overview.coverage_tiles(view)

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
ui_overview.benchmark(view, note)
ui_overview.health_mix(view, note)
