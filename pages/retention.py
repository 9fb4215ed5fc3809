"""Retention: cohorts, survival, revenue movements and trailing-12 trends.

The parts live in ``cs_dashboard.ui.retention``; the numbers in ``cs_dashboard.retention``."""

import streamlit as st

from cs_dashboard.api import retention as api_retention
from cs_dashboard.ui import cache, context, header, layout, messages
from cs_dashboard.ui import retention as ui_retention
from cs_dashboard.ui.retention import choose_scope, cohorts, movements, survival, tiles, trends

header.title("Retention")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

scope = choose_scope(ctx, cache.tier_rule())
trend = cache.run(api_retention.trends, ctx.url, ctx.version, ctx.as_of, ctx.filters, scope.rule,
                  False, 24, scope.tier, scope.tenure)
tiles(ctx, scope, trend)
cohorts_tab, survival_tab, movements_tab, trends_tab = layout.lazy_tabs(
    ui_retention.TABS, ui_retention.TAB_KEY, ui_retention.KEEP)
layout.when_open(cohorts_tab, cohorts.render, ctx, scope)
layout.when_open(survival_tab, survival.render, ctx, scope)
layout.when_open(movements_tab, movements.render, ctx, scope)
layout.when_open(trends_tab, trends.render, ctx, scope, trend)
