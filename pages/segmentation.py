"""Segmentation: the revenue Pareto chart and the touch tiers every other page groups by."""

import streamlit as st

from cs_dashboard.api import segmentation as seg_api
from cs_dashboard.charts import segmentation as charts
from cs_dashboard.charts.theme import footnote
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.months import label
from cs_dashboard.segmentation import MOVEMENTS
from cs_dashboard.tiers import STATE_KEY, TierRule, TierRuleError
from cs_dashboard.ui import cache, context, header, messages
from cs_dashboard.ui.charts import show_chart

RULES = {"accounts": "Top % of accounts", "revenue": "% of revenue covered", "floor": "MRR floors",
         "segment": "Own segment column"}
CUT_LABELS = {"accounts": "Tier {i} ends at (% of accounts)",
              "revenue": "Tier {i} ends at (% of MRR covered)",
              "floor": "Tier {i} floor (MRR, $ per month)"}
CUT_HELP = {"accounts": "Cumulative percent of accounts, largest first; boundaries are rounded "
                        "to the nearest whole account.",
            "revenue": "Tier ends with the account at which the cumulative share of MRR reaches "
                       "this percent.",
            "floor": "Accounts with MRR at or above this floor (and below the tier above)."}


def rule_editor(saved: TierRule, has_segment: bool) -> TierRule:
    """Widgets for the rule, seeded from the saved rule; raises ``TierRuleError`` if invalid."""
    options = [r for r in RULES if r != "segment" or has_segment]
    st.session_state.setdefault("seg_rule", saved.rule if saved.rule in options else "accounts")
    top = st.columns([3, 1])
    kind = top[0].segmented_control("Tier accounts by", options, format_func=RULES.get,
                                    key="seg_rule") or "accounts"
    if kind == "segment":
        top[1].caption("One tier per value of the accounts' `segment` column, ordered by "
                       "median MRR.")
        return TierRule("segment", (), ())
    st.session_state.setdefault("seg_tiers", saved.tier_count or 3)
    count = int(top[1].selectbox("Number of tiers", [2, 3, 4], key="seg_tiers"))
    start = saved if (saved.rule, saved.tier_count) == (kind, count) else TierRule.suggested(kind, count)
    name_start = saved.names if saved.tier_count == count else TierRule.suggested(kind, count).names
    columns = st.columns(4)
    names, cuts = [], []
    for i in range(count):
        name_key = f"seg_name_{count}_{i}"
        st.session_state.setdefault(name_key, name_start[i])
        names.append(columns[i].text_input(f"Tier {i + 1} name", key=name_key).strip())
        if i < count - 1:
            cut_key = f"seg_cut_{kind}_{count}_{i}"
            st.session_state.setdefault(cut_key, float(start.cuts[i]))
            cuts.append(columns[i].number_input(
                CUT_LABELS[kind].format(i=i + 1), key=cut_key, min_value=0.0,
                max_value=None if kind == "floor" else 100.0,
                step=100.0 if kind == "floor" else 1.0, format="%.0f" if kind == "floor" else "%.1f",
                help=CUT_HELP[kind]))
        else:
            columns[i].caption("The rest of the active accounts.")
    return TierRule(kind, tuple(cuts), tuple(names))


def hhi_points(hhi: float) -> str:
    """The Herfindahl index on the usual 0-10,000 scale, with decimals when it is small."""
    points = hhi * 10_000
    return f"{points:,.0f}" if points >= 100 else f"{points:.2g}" if points < 1 else f"{points:.1f}"


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
        rule = rule_editor(saved, has_segment)
    except TierRuleError as exc:
        st.error(f"This tier rule cannot be used: {exc}.", icon=":material/error:")
        st.stop()
    if st.button("Save as the tier rule used everywhere", key="seg_save", type="primary",
                 disabled=rule == saved, icon=":material/save:"):
        cache.app_state().set(STATE_KEY, rule.to_json())
        saved = cache.tier_rule()
        st.toast("Tier rule saved: every page now groups accounts by these tiers.",
                 icon=":material/check_circle:")
    names = ", ".join(saved.names) if saved.names else "one tier per segment"
    state = "" if rule == saved else " You have unsaved changes: other pages still use the saved rule."
    st.caption(f"Saved rule: {saved.describe()} ({names}).{state}")

try:
    result = cache.run(seg_api.segmentation, ctx.url, ctx.version, ctx.as_of, ctx.filters, rule)
except TierRuleError as exc:
    st.error(f"This tier rule cannot be used: {exc}.", icon=":material/error:")
    st.stop()
if result.empty:
    st.info(f"No account matching {ctx.filters.describe()} is active at {label(ctx.as_of)}. "
            "Clear or widen a filter in the sidebar to see the segmentation.",
            icon=":material/filter_alt_off:")
    st.stop()

note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())
figures = result.concentration
tiles = st.columns(5)
tiles[0].metric("Top 10 accounts' share", fmt_pct(figures.top10_share),
                help="Share of MRR held by the ten largest accounts.")
tiles[1].metric("Top 20% of accounts hold", fmt_pct(figures.top20pct_share),
                help=f"Share of MRR held by the largest {fmt_count(figures.top20pct_accounts)} "
                     "accounts (20%, rounded to the nearest account).")
tiles[2].metric("Accounts for 50% of MRR", fmt_count(figures.accounts_for_50pct),
                help="Fewest of the largest accounts whose MRR adds up to half the total.")
tiles[3].metric("Accounts for 80% of MRR", fmt_count(figures.accounts_for_80pct),
                help="Fewest of the largest accounts whose MRR adds up to 80% of the total.")
tiles[4].metric("Herfindahl index", hhi_points(figures.hhi),
                help="Sum of squared MRR shares on a 0-10,000 scale (10,000 = one account holds "
                     "everything). Equivalent to "
                     f"{fmt_count(figures.effective_accounts)} equally sized accounts.")
st.caption(f"{fmt_count(figures.accounts)} active accounts, {fmt_money(figures.total_mrr * 12)} ARR. "
           f"50% of revenue comes from {fmt_pct(figures.accounts_for_50pct / figures.accounts)} of "
           f"accounts, 80% from {fmt_pct(figures.accounts_for_80pct / figures.accounts)}.")

controls = st.columns([2, 1, 3])
x_mode = controls[0].segmented_control("Horizontal axis", list(charts.X_MODES), default="rank",
                                       format_func={"rank": "Rank",
                                                    "share": "Cumulative share of accounts"}.get,
                                       key="seg_x") or "rank"
log_y = controls[1].toggle("Log scale", key="seg_log", help="Show the long tail of small accounts.")
tiered = result.tiered
accounts_out = tiered.assign(arr=tiered["mrr"] * 12, tier=tiered["tier"].astype(str))
show_chart(charts.pareto_chart(tiered, result.table, x_mode, log_y, note), accounts_out,
           "pareto_accounts_by_tier", "seg_pareto")

st.subheader("Tiers")
table = result.table
MONEY = ["mrr", "arr", "floor_mrr", "median_arr"]
st.dataframe(
    table[["tier", "accounts", "share_accounts", "mrr", "arr", "share_mrr", "floor_mrr",
           "median_arr"]].round({c: 0 for c in MONEY}),
    hide_index=True, width="stretch", key="seg_table",
    column_config={
        "tier": st.column_config.TextColumn("Tier"),
        "accounts": st.column_config.NumberColumn("Accounts", format="localized"),
        "share_accounts": st.column_config.NumberColumn("Share of accounts", format="percent"),
        "mrr": st.column_config.NumberColumn("MRR ($ per month)", format="localized"),
        "arr": st.column_config.NumberColumn("ARR ($ per year)", format="localized"),
        "share_mrr": st.column_config.NumberColumn("Share of revenue", format="percent"),
        "floor_mrr": st.column_config.NumberColumn("Floor (smallest MRR, $)", format="localized"),
        "median_arr": st.column_config.NumberColumn("Median ARR ($)", format="localized"),
    })
st.caption(f"Rule: {result.rule.describe()}. MRR is monthly, ARR = 12 × MRR, both at "
           f"{label(ctx.as_of)}; the floor is the smallest MRR in the tier.")
show_chart(charts.tier_share_chart(table, note), table, "tier_shares", "seg_shares")

st.subheader("Concentration by another dimension")
dimensions = cache.run(seg_api.dimensions, ctx.url, ctx.version)
if dimensions:
    dimension = st.selectbox("Split by", dimensions, key="seg_dim",
                             format_func=lambda d: d.replace("_", " ").capitalize())
    summary, curves = cache.run(seg_api.pareto_by_dimension, ctx.url, ctx.version, ctx.as_of,
                                ctx.filters, rule, dimension)
    show_chart(charts.pareto_by_chart(curves, summary, dimension, note), curves,
               f"pareto_by_{dimension}", "seg_by")
    st.dataframe(
        summary[["group", "accounts", "arr", "share_mrr", "top20pct_share", "accounts_for_80pct"]]
        .round({"arr": 0}),
        hide_index=True, width="stretch", key="seg_by_table",
        column_config={
            "group": st.column_config.TextColumn(dimension.replace("_", " ").capitalize()),
            "accounts": st.column_config.NumberColumn("Accounts", format="localized"),
            "arr": st.column_config.NumberColumn("ARR ($)", format="localized"),
            "share_mrr": st.column_config.NumberColumn("Share of revenue", format="percent"),
            "top20pct_share": st.column_config.NumberColumn("Top 20% hold", format="percent"),
            "accounts_for_80pct": st.column_config.NumberColumn("Accounts for 80%",
                                                                format="localized"),
        })
else:
    st.caption("The accounts table has no segment, region or industry column to split by.")

st.subheader("Tier migration over 12 months")
if result.migration is None:
    st.info("Tier migration needs revenue data from 12 months before the as-of month.",
            icon=":material/history:")
else:
    moved = result.migration
    st.caption("The same rule and filters applied 12 months earlier: how many accounts sit in a "
               "higher (more touch) or lower tier now. ARR at the as-of month; for churned "
               "accounts, their ARR 12 months earlier.")
    tiles = st.columns(4)
    for tile, movement in zip(tiles, ("up", "down", "new", "churned"), strict=True):
        tile.metric(MOVEMENTS[movement], fmt_count(moved.count(movement)),
                    help=f"{fmt_money(moved.arr(movement))} ARR")
        tile.caption(f"{fmt_money(moved.arr(movement))} ARR")
    show_chart(charts.migration_chart(moved, note), moved.flows, "tier_migration", "seg_migration")

st.subheader("Complexity × potential")
if result.grid is None:
    st.caption("Add `complexity` and `potential_arr` columns to the accounts file to see the "
               "3 × 3 touch-model grid.")
else:
    grid = result.grid
    low, high = grid.potential_cuts
    show_chart(charts.grid_chart(grid, note), grid.cells, "complexity_potential_grid", "seg_grid")
    extra = (f" {fmt_count(grid.unclassified)} active accounts lack complexity or potential and "
             "are left out." if grid.unclassified else "")
    st.caption(f"Potential terciles of the selected accounts: low below {fmt_money(low)}, high from "
               f"{fmt_money(high)} potential ARR. Suggested touch model: high when complexity "
               "and potential are both high or one is high and the other medium; tech touch "
               f"when both are low or one is low and the other medium; low touch otherwise.{extra}")
