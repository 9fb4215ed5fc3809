"""Forecast: what renews ahead, what GRR and NRR will be and how sure we are, how good the
forecast has been, and what saving the red accounts is worth.

The parts live in ``cs_dashboard.ui.forecast``; the numbers in ``cs_dashboard.forecast``."""

import streamlit as st

from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.charts.theme import footnote
from cs_dashboard.months import label
from cs_dashboard.tiers import TierRule, TierRuleError
from cs_dashboard.ui import cache, context, header, layout, messages
from cs_dashboard.ui import forecast as ui_forecast
from cs_dashboard.ui.forecast import calibration, projection, record, renewals, whatif

header.title("Forecast")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

weights, bands = cache.scoring(ctx.url, ctx.version)
months = st.segmented_control("Months ahead", api_forecast.HORIZONS, default=api_forecast.MONTHS,
                              key="fc_months", help="How far the forecast and the renewals look "
                              "ahead. The rates are measured over the same number of months.") \
    or api_forecast.MONTHS
rule = cache.tier_rule()
args = (ctx.as_of, ctx.filters, weights, bands)
try:
    report = cache.run(api_forecast.forecast_report, ctx.url, ctx.version, *args, rule, months)
except TierRuleError as exc:
    messages.error(exc, fallback="Using the default tiers.")
    rule = TierRule()
    report = cache.run(api_forecast.forecast_report, ctx.url, ctx.version, *args, rule, months)
note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())
ui_forecast.caption(ctx, report, bands)
ui_forecast.tiles(report, months)

# only the open tab is drawn: the report is computed once, but five tabs of charts and tables
# cost the server and the browser more than the page's tiles and one tab
ahead, forecast, track, calibrated, acting = layout.lazy_tabs(
    ui_forecast.TABS, ui_forecast.TAB_KEY, ui_forecast.KEEP)
layout.when_open(ahead, renewals.render, ctx, report, months, note)
layout.when_open(forecast, projection.render, report, months, note)
layout.when_open(track, record.render, report, months, note)
layout.when_open(calibrated, calibration.render, report, note)
layout.when_open(acting, whatif.render, report, months, note)
