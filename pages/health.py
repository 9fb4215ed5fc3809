"""Health: how healthy is the book, where is ARR at risk, why, is it improving, can we trust it?

The parts live in ``cs_dashboard.ui.health``; the numbers in ``cs_dashboard.health``."""

import streamlit as st

from cs_dashboard.api import health as api_health
from cs_dashboard.charts.theme import footnote
from cs_dashboard.health import HealthInputError, check_settings
from cs_dashboard.months import add_months, label
from cs_dashboard.tiers import TierRule, TierRuleError
from cs_dashboard.ui import cache, context, header, layout, messages
from cs_dashboard.ui import health as ui_health
from cs_dashboard.ui.health import tabs
from cs_dashboard.ui.score_settings import score_settings

header.title("Health")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

components = cache.run(api_health.components, ctx.url, ctx.version)
snapshots = [m for m in cache.run(api_health.snapshot_months, ctx.url, ctx.version) if m <= ctx.as_of]
if not snapshots:
    ui_health.no_snapshots()
    st.stop()

weights, band_choice = score_settings(components)
try:
    bands = check_settings(weights, band_choice, components)
except HealthInputError as exc:
    messages.error(exc)

args = (ctx.filters, weights, bands)
prior_month = add_months(ctx.as_of, -int(api_health.COMPARE_MONTHS.value))
rule = cache.tier_rule()
try:
    report = cache.run(api_health.health_report, ctx.url, ctx.version, ctx.as_of, *args, rule)
except TierRuleError as exc:
    messages.error(exc, fallback="Using the default tiers.")
    rule = TierRule()
    report = cache.run(api_health.health_report, ctx.url, ctx.version, ctx.as_of, *args, rule)
tables = cache.run(api_health.page_tables, ctx.url, ctx.version, ctx.as_of, *args, rule)
ui_health.caption(ctx, report, bands)
note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())
ui_health.tiles(report, prior_month)

distribution, risk, drivers, trend, backtest, watch = layout.lazy_tabs(
    ui_health.TABS, ui_health.TAB_KEY, ui_health.KEEP)
layout.when_open(distribution, tabs.distribution, tables, bands, note)
layout.when_open(risk, tabs.value_at_risk, report, tables, note)
layout.when_open(drivers, tabs.drivers, components, tables, bands, note)
layout.when_open(trend, tabs.trend, ctx, report, snapshots, prior_month, args, note)
layout.when_open(backtest, tabs.backtest, ctx, snapshots, args, note)
layout.when_open(watch, tabs.watch_list, ctx, tables, prior_month)
