"""The tier table, concentration by another dimension, tier migration and the complexity x
potential grid."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.api import segmentation as seg_api
from cs_dashboard.api.segmentation import Segmentation
from cs_dashboard.charts import segmentation as charts
from cs_dashboard.fmt import fmt_count, fmt_money
from cs_dashboard.months import label
from cs_dashboard.segmentation import MOVEMENTS
from cs_dashboard.tiers import TierRule
from cs_dashboard.ui import cache
from cs_dashboard.ui.charts import show_chart
from cs_dashboard.ui.context import Context

MONEY = ["mrr", "arr", "floor_mrr", "median_arr"]


def _heading(column: str) -> str:
    return column.replace("_", " ").capitalize()


def _numbers(headings: dict[str, str]) -> dict:
    """Number columns by name: a heading ending in " %" shows a fraction as a percent (the
    " %" is dropped), any other a count or dollars with thousands separators."""
    return {c: st.column_config.NumberColumn(h.removesuffix(" %"), format="percent")
            if h.endswith(" %") else st.column_config.NumberColumn(h, format="localized")
            for c, h in headings.items()}


def tiers(result: Segmentation, ctx: Context, note: str) -> None:
    """The tier table and the tiers' shares of accounts and revenue."""
    table = result.table
    st.dataframe(
        table[["tier", "accounts", "share_accounts", "mrr", "arr", "share_mrr", "floor_mrr",
               "median_arr"]].round({c: 0 for c in MONEY}),
        hide_index=True, width="stretch", key="seg_table",
        column_config={"tier": st.column_config.TextColumn("Tier"), **_numbers({
            "accounts": "Accounts", "share_accounts": "Share of accounts %",
            "mrr": "MRR ($ per month)", "arr": "ARR ($ per year)", "share_mrr": "Share of revenue %",
            "floor_mrr": "Floor (smallest MRR, $)", "median_arr": "Median ARR ($)"})})
    st.caption(f"Rule: {result.rule.describe()}. MRR is monthly, ARR = 12 × MRR, both at "
               f"{label(ctx.as_of)}; the floor is the smallest MRR in the tier.")
    show_chart(charts.tier_share_chart(table, note), table, "tier_shares", "seg_shares")


def by_dimension(ctx: Context, rule: TierRule, note: str) -> None:
    """Pareto curves and concentration figures per value of another account column."""
    dimensions = cache.run(seg_api.dimensions, ctx.url, ctx.version)
    if not dimensions:
        st.caption("The accounts table has no segment, region or industry column to split by.")
        return
    dimension = st.selectbox("Split by", dimensions, key="seg_dim", format_func=_heading)
    summary, curves = cache.run(seg_api.pareto_by_dimension, ctx.url, ctx.version, ctx.as_of,
                                ctx.filters, rule, dimension)
    show_chart(charts.pareto_by_chart(curves, summary, dimension, note), curves,
               f"pareto_by_{dimension}", "seg_by")
    st.dataframe(
        summary[["group", "accounts", "arr", "share_mrr", "top20pct_share", "accounts_for_80pct"]]
        .round({"arr": 0}),
        hide_index=True, width="stretch", key="seg_by_table",
        column_config={"group": st.column_config.TextColumn(_heading(dimension)), **_numbers({
            "accounts": "Accounts", "arr": "ARR ($)", "share_mrr": "Share of revenue %",
            "top20pct_share": "Top 20% hold %", "accounts_for_80pct": "Accounts for 80%"})})


def migration(result: Segmentation, note: str) -> None:
    """Tiers now against 12 months earlier under the same rule and filters."""
    if result.migration is None:
        st.info("Tier migration needs revenue data from 12 months before the as-of month.",
                icon=":material/history:")
        return
    moved = result.migration
    st.caption("Tiers now against 12 months earlier, under the same rule and filters: how many "
               "accounts sit in a higher (more touch) or lower tier now. ARR at the as-of month; "
               "for churned accounts, their ARR 12 months earlier.")
    for tile, movement in zip(st.columns(4), ("up", "down", "new", "churned"), strict=True):
        tile.metric(MOVEMENTS[movement], fmt_count(moved.count(movement)),
                    help=f"{fmt_money(moved.arr(movement))} ARR")
        tile.caption(f"{fmt_money(moved.arr(movement))} ARR")
    show_chart(charts.migration_chart(moved, note), moved.flows, "tier_migration", "seg_migration")


def grid(result: Segmentation, note: str) -> None:
    """The 3 x 3 complexity x potential grid and the touch model it suggests."""
    if result.grid is None:
        st.caption("Add `complexity` and `potential_arr` columns to the accounts file to see the "
                   "3 × 3 touch-model grid.")
        return
    cells = result.grid
    low, high = cells.potential_cuts
    show_chart(charts.grid_chart(cells, note), cells.cells, "complexity_potential_grid", "seg_grid")
    extra = (f" {fmt_count(cells.unclassified)} active accounts lack complexity or potential and "
             "are left out." if cells.unclassified else "")
    st.caption(f"Potential terciles of the selected accounts: low below {fmt_money(low)}, high "
               f"from {fmt_money(high)} potential ARR. Suggested touch model: high when complexity "
               "and potential are both high or one is high and the other medium; tech touch "
               f"when both are low or one is low and the other medium; low touch otherwise.{extra}")
