"""Segmentation: the revenue Pareto chart and the touch tiers every other page groups by.

The parts live in ``cs_dashboard.ui.segmentation``; the numbers in ``cs_dashboard.segmentation``."""

import streamlit as st

from cs_dashboard.api import segmentation as seg_api
from cs_dashboard.charts.theme import footnote
from cs_dashboard.months import label
from cs_dashboard.tiers import TierRuleError
from cs_dashboard.ui import cache, context, header, layout, messages
from cs_dashboard.ui import segmentation as ui_seg
from cs_dashboard.ui.segmentation import concentration, rule, tables

header.title("Segmentation")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()
st.caption(f"Accounts active at {label(ctx.as_of)} ranked by MRR · {ctx.filters.describe()} · "
           f"{ctx.source_label}.")

saved = cache.tier_rule()
has_segment = "segment" in cache.columns(ctx.url, ctx.version).get("accounts", [])
with st.container(border=True):
    st.subheader("Touch tiers")
    try:
        chosen = rule.editor(saved, has_segment)
    except TierRuleError as exc:
        messages.error(exc)
    saved = rule.save_button(chosen, saved)

try:
    result = cache.run(seg_api.segmentation, ctx.url, ctx.version, ctx.as_of, ctx.filters, chosen)
except TierRuleError as exc:
    messages.error(exc)
if result.empty:
    st.info(f"No account matching {ctx.filters.describe()} is active at {label(ctx.as_of)}. "
            "Clear or widen a filter in the sidebar to see the segmentation.",
            icon=":material/filter_alt_off:")
    st.stop()

note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())
concentration.tiles(result)
concentration.pareto(result, note)
in_tiers, by_dimension, migration, grid = layout.lazy_tabs(ui_seg.TABS, ui_seg.TAB_KEY, ui_seg.KEEP)
layout.when_open(in_tiers, tables.tiers, result, ctx, note)
layout.when_open(by_dimension, tables.by_dimension, ctx, chosen, note)
layout.when_open(migration, tables.migration, result, note)
layout.when_open(grid, tables.grid, result, note)
