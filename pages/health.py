"""Health: how healthy is the book, where is ARR at risk, why, is it improving, can we trust it?"""

import streamlit as st

from cs_dashboard.api import health as api_health
from cs_dashboard.charts import health as charts
from cs_dashboard.charts.theme import footnote
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.health import HealthInputError, check_bands, views
from cs_dashboard.months import add_months, label
from cs_dashboard.tiers import TierRule, TierRuleError
from cs_dashboard.ui import cache, context, header, messages
from cs_dashboard.ui.charts import show_chart
from cs_dashboard.ui.score_settings import score_settings

header.title("Health")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

components = cache.run(api_health.components, ctx.url, ctx.version)
snapshots = [m for m in cache.run(api_health.snapshot_months, ctx.url, ctx.version) if m <= ctx.as_of]
if not snapshots:
    st.info("This database has no health snapshots at or before the as-of month. Import a health "
            "file (account_id, as_of and component columns such as usage or NPS, or a score) on "
            "the **Data** page.", icon=":material/info:")
    st.page_link("pages/data.py", label="Go to the Data page", icon=":material/database:")
    st.stop()

# --- Score settings -------------------------------------------------------------------------
weights, band_choice = score_settings(components)
try:
    bands = check_bands(band_choice)
    total_weight = sum(w for _, w in weights)
    if components and total_weight == 0:
        raise HealthInputError("at least one component needs a positive weight")
except HealthInputError as exc:
    st.error(f"Score settings: {exc}.", icon=":material/error:")
    st.stop()

# --- Data ------------------------------------------------------------------------------------
args = (ctx.filters, weights, bands)
prior_month = add_months(ctx.as_of, -3)
rule = cache.tier_rule()
try:
    report = cache.run(api_health.health_report, ctx.url, ctx.version, ctx.as_of, *args, rule)
except TierRuleError as exc:
    st.warning(f"The saved tier rule cannot be applied ({exc}); using the default tiers.")
    rule = TierRule()
    report = cache.run(api_health.health_report, ctx.url, ctx.version, ctx.as_of, *args, rule)
tables = cache.run(api_health.page_tables, ctx.url, ctx.version, ctx.as_of, *args, rule)
summary, before = report.summary, report.at(prior_month)
shares = (" · ".join(f"{n} {s:.0%}" for n, s in report.weight_shares) if report.weight_shares
          else "provided score column")
st.caption(f"Scores as of {label(ctx.as_of)} from each account's latest snapshot at or before it "
           f"· weights: {shares} · bands: red < {bands[0]:g} ≤ yellow < {bands[1]:g} ≤ green "
           f"· {ctx.filters.describe()}.")
note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())

# --- Tiles -----------------------------------------------------------------------------------
tiles = st.columns(5)
red, yellow, green = (summary.band(b) for b in ("red", "yellow", "green"))
since = f"vs {label(prior_month)}"
tiles[0].metric("ARR at risk (red)", fmt_money(summary.arr_at_risk),
                None if before is None else fmt_money(summary.arr_at_risk - before.arr_at_risk),
                delta_color="inverse", delta_description=since,
                help="ARR of red accounts at the as-of month; change against 3 months earlier.")
tiles[1].metric("At risk incl. ½ yellow", fmt_money(summary.arr_at_risk_with_yellow),
                None if before is None
                else fmt_money(summary.arr_at_risk_with_yellow - before.arr_at_risk_with_yellow),
                delta_color="inverse", delta_description=since,
                help="Red ARR plus 50% of yellow ARR.")
tiles[2].metric("Red accounts", fmt_count(red.accounts),
                f"{fmt_pct(summary.share('red'))} of scored", delta_color="off",
                delta_arrow="off")
tiles[3].metric("Green accounts", fmt_count(green.accounts),
                f"{fmt_pct(summary.share('green'))} of scored", delta_color="off",
                delta_arrow="off")
tiles[4].metric("Unscored accounts", fmt_count(summary.unscored.accounts),
                f"{fmt_money(summary.unscored.arr)} ARR", delta_color="off", delta_arrow="off",
                help="Active accounts with no snapshot, or a snapshot with no component and no "
                     "score. They are kept apart, never counted as 0.")

MEASURES = {"Accounts": "accounts", "ARR": "arr"}
tabs = st.tabs(["Distribution", "Value at risk", "Drivers", "Trend", "Back-test", "Watch list"])

# --- Distribution ----------------------------------------------------------------------------
with tabs[0]:
    measure = MEASURES[st.segmented_control("Measure", list(MEASURES), default="Accounts",
                                            key="hl_measure") or "Accounts"]
    bins = tables["bins"]
    show_chart(charts.score_histogram(bins, bands, measure, note), bins, "health_score_histogram",
               "hl_hist")
    labels = {"tier": "Tier", "segment": "Segment", "region": "Region", "csm": "CSM"}
    splits = {labels[by]: by for by in tables["groups"]}
    split_label = st.selectbox("Split by", list(splits), key="hl_split")
    split = tables["splits"][(splits[split_label], measure)]
    groups = tables["groups"][splits[split_label]]
    if groups > views.MAX_GROUPS:
        st.caption(f"Showing the {views.MAX_GROUPS} largest of {fmt_count(groups)} groups by "
                   f"{'ARR' if measure == 'arr' else 'accounts'}, worst red share first.")
    show_chart(charts.band_split(split, splits[split_label], split_label, measure, note), split,
               f"health_bands_by_{splits[split_label]}", "hl_split_chart")

# --- Value at risk ---------------------------------------------------------------------------
with tabs[1]:
    st.caption("ARR at risk = ARR of red accounts; the hatched part adds 50% of yellow ARR "
               "(the second figure).")
    by_tier = report.risk_by_tier()
    show_chart(charts.value_at_risk(by_tier, "tier", "Tier", note), by_tier, "arr_at_risk_by_tier",
               "hl_risk_tier")
    by_quarter = tables["risk_quarter"]
    show_chart(charts.value_at_risk(by_quarter, "renewal_quarter", "Renewal quarter", note),
               by_quarter, "arr_at_risk_by_renewal_quarter", "hl_risk_quarter")

# --- Drivers ---------------------------------------------------------------------------------
with tabs[2]:
    if not components:
        st.info("The data has a provided score but no components, so there are no drivers to show.")
    else:
        means = tables["means"]
        show_chart(charts.component_means(means, note, bands), means, "health_components_by_tier",
                   "hl_components")
        drag_measure = MEASURES[st.segmented_control("Measure", list(MEASURES), default="Accounts",
                                                     key="hl_drag_measure") or "Accounts"]
        drags = tables["drags"]
        show_chart(charts.dragging(drags, drag_measure, note), drags, "health_dragging_component",
                   "hl_drag")

# --- Trend -----------------------------------------------------------------------------------
with tabs[3]:
    trend_measure = MEASURES[st.segmented_control("Measure", list(MEASURES), default="Accounts",
                                                  key="hl_trend_measure") or "Accounts"]
    show_chart(charts.band_mix(report.mix, trend_measure, note), report.mix, "health_band_mix",
               "hl_mix")
    st.caption("Each month counts every account active that month, scored from its latest "
               "snapshot at or before that month (unscored when it has none): the rule of the "
               "tiles, so the last month is the tiles' figures.")
    left, right = st.columns(2)
    default_from = max((m for m in snapshots if m <= prior_month), default=snapshots[0])
    start = left.selectbox("Migration from", snapshots[:-1] or snapshots,
                           index=(snapshots[:-1] or snapshots).index(default_from)
                           if default_from in (snapshots[:-1] or snapshots) else 0,
                           format_func=label, key="hl_from")
    later = [m for m in snapshots if m > start] or [snapshots[-1]]
    end = right.selectbox("to", later, index=len(later) - 1, format_func=label, key="hl_to")
    flows = cache.run(api_health.migration, ctx.url, ctx.version, start, end, *args)
    sankey_measure = MEASURES[st.segmented_control("Migration measure", list(MEASURES),
                                                   default="Accounts", key="hl_sankey_measure")
                              or "Accounts"]
    show_chart(charts.migration_sankey(flows, label(start), label(end), sankey_measure, note),
               flows, "health_band_migration", "hl_sankey")
    moves = views.migration_moves(flows)
    st.caption(f"Of the accounts active in {label(start)}: {fmt_count(moves['down'].accounts)} "
               f"moved down a band ({fmt_money(moves['down'].arr)} ARR), "
               f"{fmt_count(moves['up'].accounts)} moved up ({fmt_money(moves['up'].arr)}), "
               f"{fmt_count(moves['churned'].accounts)} churned "
               f"({fmt_money(moves['churned'].arr)}) by {label(end)}. ARR at {label(start)}.")

# --- Back-test -------------------------------------------------------------------------------
with tabs[4]:
    earlier = [m for m in snapshots if m < ctx.as_of]
    if not earlier:
        st.info("A back-test needs a snapshot before the as-of month.")
    else:
        target = api_health.default_backtest_snapshot(ctx.as_of)
        default_s = max((m for m in earlier if m <= target), default=earlier[0])
        snap = st.selectbox("Scores at snapshot S", earlier, index=earlier.index(default_s),
                            format_func=label, key="hl_backtest_s",
                            help="Default: 6 months before the as-of month. Churn = a month "
                                 "without revenue after S, up to the as-of month.")
        result, curve = cache.run(api_health.backtest, ctx.url, ctx.version, ctx.as_of, snap, *args)
        st.info(f"From {label(snap)} to {label(ctx.as_of)}: {result.reading}",
                icon=":material/insights:")
        show_chart(charts.backtest_chart(result, curve, note), result.by_band, "health_backtest",
                   "hl_backtest")
        st.caption(f"{fmt_count(result.accounts)} accounts scored at {label(snap)}, "
                   f"{fmt_count(result.churned)} churned by {label(ctx.as_of)}; "
                   f"{fmt_count(result.unscored)} unscored accounts left out.")

# --- Watch list ------------------------------------------------------------------------------
with tabs[5]:
    watch = tables["watch"]
    st.subheader(f"Red accounts: {fmt_count(len(watch))} · {fmt_money(watch['arr'].sum())} ARR")
    money = st.column_config.NumberColumn("ARR", format="$%,.0f")
    if watch.empty:
        st.success("No red accounts at the as-of month.", icon=":material/check_circle:")
    st.dataframe(watch, hide_index=True, width="stretch", key="hl_watch", column_config={
        "account_id": "Account", "account_name": "Name", "tier": "Tier", "csm": "CSM",
        "renewal_date": st.column_config.DateColumn("Renewal", format="YYYY-MM-DD"),
        "score": st.column_config.NumberColumn("Score", format="%.1f"),
        "score_before": st.column_config.NumberColumn(f"Score {label(prior_month)}", format="%.1f"),
        "change": st.column_config.NumberColumn("Change (pts)", format="%+.1f"),
        "dragging": "Dragging component", "arr": money,
    })
    st.download_button("Download the watch list (CSV)", watch.to_csv(index=False).encode("utf-8"),
                       f"health_watch_list_{ctx.as_of:%Y_%m}.csv", "text/csv", key="hl_watch_csv",
                       on_click="ignore", icon=":material/download:")
    missing = tables["unscored"]
    with st.expander(f"Unscored accounts: {fmt_count(len(missing))} · "
                     f"{fmt_money(missing['arr'].sum())} ARR (kept apart, never scored as 0)"):
        st.dataframe(missing, hide_index=True, width="stretch", key="hl_unscored", column_config={
            "arr": money, "snapshot": st.column_config.DateColumn("Snapshot", format="YYYY-MM-DD")})
