"""Retention: cohorts, survival, revenue movements and trailing-12 trends."""

import streamlit as st

from cs_dashboard.api import retention as api_retention
from cs_dashboard.api.retention import TIER_RULE_HELP, TIER_SURVIVAL_CAPTION, TIER_TREND_CAPTION
from cs_dashboard.charts import movements as movement_charts
from cs_dashboard.charts import retention as charts
from cs_dashboard.charts.theme import footnote, tier_color
from cs_dashboard.fmt import fmt_money, fmt_pct
from cs_dashboard.months import label
from cs_dashboard.retention import benchmarks as rb
from cs_dashboard.retention.movements import AMOUNTS, COUNTS, KINDS, LABELS, period_note
from cs_dashboard.ui import cache, context, header, messages
from cs_dashboard.ui.charts import show_chart

header.title("Retention")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

rule = cache.tier_rule()
tiers = cache.run(api_retention.tier_spec, ctx.url, ctx.version, ctx.as_of, ctx.filters, rule)
TENURE = {"All accounts": None, "First-year": "first-year", "Tenured": "tenured"}
left, right = st.columns([2, 3])
tier_choice = left.selectbox("Tier", ["All tiers", *tiers.names], key="ret_tier",
                             help=TIER_RULE_HELP)
tier = None if tier_choice == "All tiers" else tier_choice
tenure_choice = right.segmented_control(
    "Tenure", list(TENURE), default="All accounts", key="ret_tenure",
    help="First-year: started within the 12 months to the as-of month (pre-window accounts "
         "use their customer_since). Tenured: started earlier.") or "All accounts"
tenure = TENURE[tenure_choice]
scope_text = "; ".join(p for p in (ctx.filters.describe(),
                                   tier and f"tier: {tier}",
                                   tenure and f"{tenure} accounts") if p)
note = footnote(label(ctx.as_of), ctx.source_label, scope_text)

trend = cache.run(api_retention.trends, ctx.url, ctx.version, ctx.as_of, ctx.filters, rule, False,
                  24, tier, tenure)
latest = trend.iloc[-1] if len(trend) else None
tiles = st.columns(4)
for tile, name, key, text in (
    (tiles[0], "NRR (12m)", "nrr", "MRR now of accounts active 12 months ago ÷ their MRR then."),
    (tiles[1], "GRR (12m)", "grr", "Like NRR, but each account counts at most its MRR then."),
    (tiles[2], "Logo retention (12m)", "logo",
     "Share of accounts active 12 months ago that are still active."),
):
    value = None if latest is None else latest[key]
    tile.metric(name, fmt_pct(value), help=text)
month_bridge = cache.run(api_retention.movement_bridge, ctx.url, ctx.version, ctx.as_of,
                         ctx.filters, "month", 1, None, rule, tier, tenure)
net_new = float(month_bridge[list(KINDS)].sum(axis=1).iloc[-1]) if len(month_bridge) else None
tiles[3].metric("Net new MRR (month)", fmt_money(net_new),
                help="New + reactivation + expansion + contraction + churn in the as-of month.")

cohorts_tab, survival_tab, movements_tab, trends_tab = st.tabs(
    ["Cohorts", "Survival", "Revenue movements", "NRR / GRR trends"])

with cohorts_tab:
    BASES = {"Net revenue": "net", "Gross revenue": "gross", "Logo": "logo"}
    PERIODS = {"Month": "month", "Quarter": "quarter", "Year": "year"}
    c1, c2, c3 = st.columns(3)
    basis = BASES[c1.segmented_control("Retention basis", list(BASES), default="Net revenue",
                                       key="ret_basis") or "Net revenue"]
    period = PERIODS[c2.segmented_control("Cohort period", list(PERIODS), default="Quarter",
                                          key="ret_period") or "Quarter"]
    amount_name = "Accounts" if basis == "logo" else "MRR $"
    unit = c3.segmented_control("Show", ["%", amount_name], default="%", key="ret_unit") or "%"
    table = cache.run(api_retention.cohorts, ctx.url, ctx.version, ctx.as_of, basis, period,
                      ctx.filters, rule, tier, tenure)
    if table.ratios.empty:
        st.info("No cohort has started in this selection yet: accounts that predate the data "
                "window are left out of cohort tables (their starting revenue was never "
                "observed).", icon=":material/info:")
    else:
        st.caption(f"{len(table.ratios)} {period} cohorts of accounts acquired within the data "
                   "window; pre-window accounts are left out. Blank cells: the cohort has not "
                   "reached that age yet. The bottom row weights each cohort by "
                   + ("its accounts." if basis == "logo" else "its starting MRR.")
                   + (f" {table.period_note}" if table.period_note else ""))
        download = table.long().merge(table.sizes.reset_index(), on="cohort")
        show_chart(charts.cohort_heatmap(table, "pct" if unit == "%" else "amount", note),
                   download, f"cohorts_{basis}_{period}", "ret_heatmap")
        metric = {"net": "nrr", "gross": "grr", "logo": "logo"}[basis]
        choices = [b for b in rb.ALL if b.metric == metric]
        chosen = st.selectbox("Benchmark line", ["None", *[b.label for b in choices]],
                              index=1 if choices else 0, key="ret_benchmark",
                              help="Published annual medians: compare them with the curves at "
                                   "12 months (or 4 quarters, 1 year).")
        benchmark = next((b for b in choices if b.label == chosen), None)
        show_chart(charts.retention_curves(table, benchmark, footnote=note), download,
                   f"retention_curves_{basis}_{period}", "ret_curves")

with survival_tab:
    present = set(cache.columns(ctx.url, ctx.version).get("accounts", []))
    GROUPS = {"All accounts": None, "Tier": "tier"}
    GROUPS.update({c.capitalize(): c for c in ("segment", "region", "industry", "plan")
                   if c in present})
    by = GROUPS[st.selectbox("Group by", list(GROUPS), index=1, key="ret_surv_by")]
    result = cache.run(api_retention.survival, ctx.url, ctx.version, ctx.as_of, ctx.filters, by,
                       rule, tier, tenure)
    if not result.groups:
        st.info("No account lifetimes in this selection.", icon=":material/info:")
    else:
        colors = None
        if by == "tier":
            colors = {name: tier_color(i) for i, name in enumerate(tiers.names)}
            st.caption(TIER_SURVIVAL_CAPTION)
        curves = result.table()
        show_chart(charts.survival_chart(result, note, colors),
                   curves, f"survival_{by or 'all'}", "ret_survival")
        shown = curves.rename(columns={"group": "Group", "accounts": "Accounts",
                                       "churned": "Churned", "late_entrants": "Entered late",
                                       "median_months": "Median lifetime",
                                       "s12": "S(12)", "s24": "S(24)", "s36": "S(36)"})
        for col in ("S(12)", "S(24)", "S(36)"):
            shown[col] = shown[col] * 100
        shown["Median lifetime"] = [f"{m:.0f} months" if m == m and m is not None
                                    else "not reached" for m in shown["Median lifetime"]]
        pct = st.column_config.NumberColumn(format="%.1f%%")
        st.dataframe(shown, hide_index=True, width="stretch", column_config={
            "Median lifetime": st.column_config.TextColumn(
                help="Months until half the accounts have churned (not reached: survival "
                     "never fell below 50%)."),
            "S(12)": pct, "S(24)": pct, "S(36)": pct})
        if result.logrank_p is not None:
            verdict = "differ" if result.logrank_p < 0.05 else "do not clearly differ"
            st.metric("Log-rank p-value", f"{result.logrank_p:.3g}",
                      help="Probability of curves this different if all groups churned alike.")
            st.caption(f"At the 5% level the groups' survival curves {verdict}. The log-rank "
                       "test uses durations and churn events (it ignores late entry).")
        for g in result.groups:
            if g.estimator_reason:
                st.warning(f"{g.group}: {g.estimator_reason}; shown with the {g.estimator} "
                           "estimator (read this curve with care).", icon=":material/warning:")
        st.caption("Lifetime: months from an account's start (its first revenue, or its "
                   "customer_since when that is earlier) to its first month without MRR; "
                   "reactivation does not undo a churn. Accounts still active are censored at "
                   "their age at the as-of month. An account signed before it first paid enters "
                   "the curve at its first paid month and is never counted as churned before "
                   "it; accounts that predate the data without a customer_since are left out.")

with movements_tab:
    MOVE = {"Monthly": ("month", 12), "Quarterly": ("quarter", 24)}
    m1, m2 = st.columns(2)
    move_period, span = MOVE[m1.segmented_control("Bridge period", list(MOVE), default="Monthly",
                                                  key="ret_move_period") or "Monthly"]
    rows = cache.run(api_retention.movement_bridge, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                     move_period, span, None, rule, tier, tenure)
    if rows.empty:
        st.info("The bridge needs at least two months of data.", icon=":material/info:")
    else:
        options = ["Whole range", *reversed(rows["period"].tolist())]
        pick = m2.selectbox("Waterfall for", options, index=1, key="ret_move_pick")
        chosen_rows = rows if pick == "Whole range" else rows[rows["period"] == pick]
        show_chart(movement_charts.waterfall_chart(chosen_rows, note), chosen_rows,
                   f"mrr_bridge_{pick}", "ret_waterfall")
        show_chart(movement_charts.movements_trend_chart(rows, note), rows,
                   f"mrr_movements_{move_period}", "ret_move_trend")
        shown = rows[["period", *AMOUNTS, *COUNTS]].rename(
            columns={"period": "Period", **{k: LABELS[k] for k in AMOUNTS},
                     **{f"n_{k}": f"# {LABELS[k].lower()}" for k in KINDS},
                     "start_accounts": "# at start", "end_accounts": "# at end"})
        money = st.column_config.NumberColumn(format="dollar")
        st.dataframe(shown, hide_index=True, width="stretch",
                     column_config={LABELS[k]: money for k in AMOUNTS})
        st.caption("Amounts are MRR in dollars per month; contraction and churn are negative. "
                   "Starting MRR + movements = ending MRR, to the cent. A quarter's movements are "
                   f"the sums of its months. {period_note(rows)}")

with trends_tab:
    if trend.dropna(subset=["nrr"]).empty:
        st.info("Trailing-12 retention needs 13 months of data.", icon=":material/info:")
    else:
        medians = tuple(b for b in rb.MEDIANS if b.source == rb.SAAS_CAPITAL_2023)
        show_chart(charts.retention_trend_chart(trend, note, medians), trend,
                   "trailing_retention", "ret_trend")
        by_tier = cache.run(api_retention.trends, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                            rule, True, 24, None, tenure)
        METRICS = {"NRR": "nrr", "GRR": "grr", "Logo retention": "logo"}
        metric = METRICS[st.segmented_control("Tier split of", list(METRICS), default="NRR",
                                              key="ret_tier_metric") or "NRR"]
        show_chart(charts.tier_trend_chart(by_tier, metric, note), by_tier,
                   f"trailing_{metric}_by_tier", "ret_tier_trend")
        st.caption(TIER_TREND_CAPTION)
        per_tier = cache.run(api_retention.retention_by_tier, ctx.url, ctx.version, ctx.as_of,
                             ctx.filters, rule, tenure)
        ratio = st.column_config.NumberColumn
        st.dataframe(per_tier[["tier", "base_accounts", "retained", "nrr", "grr", "logo"]],
                     hide_index=True, width="stretch", column_config={
                         "tier": "Tier 12 months ago", "base_accounts": "Accounts then",
                         "retained": "Still active",
                         "nrr": ratio("NRR (12m)", format="percent"),
                         "grr": ratio("GRR (12m)", format="percent"),
                         "logo": ratio("Logo retention (12m)", format="percent")})
        if tier:
            st.caption("The tier split always shows every tier; the Tier filter above applies "
                       "to the other charts.")
        csm = cache.run(api_retention.nrr_by_csm, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                        rule, tier, tenure)
        if csm.empty:
            st.info("NRR per CSM needs a csm column and accounts active 12 months ago.",
                    icon=":material/info:")
        else:
            show_chart(charts.csm_nrr_chart(csm, note), csm, "nrr_per_csm", "ret_csm")
