"""The Health page's tabs, one function each."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cs_dashboard.api import health as api_health
from cs_dashboard.charts import health as charts
from cs_dashboard.export import files
from cs_dashboard.fmt import fmt_count, fmt_money
from cs_dashboard.health import HealthReport, views
from cs_dashboard.months import label
from cs_dashboard.ui import cache
from cs_dashboard.ui.charts import show_chart
from cs_dashboard.ui.context import Context

MEASURES = {"Accounts": "accounts", "ARR": "arr"}
SPLIT_LABELS = {"tier": "Tier", "segment": "Segment", "region": "Region", "csm": "CSM"}


def _measure(key: str, title: str = "Measure") -> str:
    """Accounts or ARR, as ``views`` name them."""
    return MEASURES[st.segmented_control(title, list(MEASURES), default="Accounts", key=key)
                    or "Accounts"]


@st.fragment
def distribution(tables: dict, bands: tuple[float, float], note: str) -> None:
    """The score histogram and the band mix split by tier, segment, region or CSM."""
    measure = _measure("hl_measure")
    bins = tables["bins"]
    show_chart(charts.score_histogram(bins, bands, measure, note), bins, "health_score_histogram",
               "hl_hist")
    splits = {SPLIT_LABELS[by]: by for by in tables["groups"]}
    split_label = st.selectbox("Split by", list(splits), key="hl_split")
    by = splits[split_label]
    split = tables["splits"][(by, measure)]
    groups = tables["groups"][by]
    if groups > views.MAX_GROUPS:
        st.caption(f"Showing the {views.MAX_GROUPS} largest of {fmt_count(groups)} groups by "
                   f"{'ARR' if measure == 'arr' else 'accounts'}, worst red share first.")
    show_chart(charts.band_split(split, by, split_label, measure, note), split,
               f"health_bands_by_{by}", "hl_split_chart")


def value_at_risk(report: HealthReport, tables: dict, note: str) -> None:
    """ARR at risk by tier and by renewal quarter."""
    st.caption("ARR at risk = ARR of red accounts; the hatched part adds 50% of yellow ARR "
               "(the second figure).")
    by_tier = report.risk_by_tier()
    show_chart(charts.value_at_risk(by_tier, "tier", "Tier", note), by_tier, "arr_at_risk_by_tier",
               "hl_risk_tier")
    by_quarter = tables["risk_quarter"]
    show_chart(charts.value_at_risk(by_quarter, "renewal_quarter", "Renewal quarter", note),
               by_quarter, "arr_at_risk_by_renewal_quarter", "hl_risk_quarter")


@st.fragment
def drivers(components: tuple[str, ...], tables: dict, bands: tuple[float, float],
            note: str) -> None:
    """Component means by tier and the component dragging each account down."""
    if not components:
        st.info("The data has a provided score but no components, so there are no drivers to "
                "show.")
        return
    means = tables["means"]
    show_chart(charts.component_means(means, note, bands), means, "health_components_by_tier",
               "hl_components")
    measure = _measure("hl_drag_measure")
    drags = tables["drags"]
    show_chart(charts.dragging(drags, measure, note), drags, "health_dragging_component", "hl_drag")


@st.fragment
def trend(ctx: Context, report: HealthReport, snapshots: list[dt.date], prior_month: dt.date,
          args: tuple, note: str) -> None:
    """The band mix month by month and the band migration between two snapshots.
    ``args``: (filters, weights, bands) as ``api.health`` takes them."""
    show_chart(charts.band_mix(report.mix, _measure("hl_trend_measure"), note), report.mix,
               "health_band_mix", "hl_mix")
    st.caption("Each month counts every account active that month, scored from its latest "
               "snapshot at or before that month (unscored when it has none): the rule of the "
               "tiles, so the last month is the tiles' figures.")
    left, right = st.columns(2)
    starts, index = views.migration_starts(snapshots, prior_month)
    start = left.selectbox("Migration from", starts, index=index, format_func=label, key="hl_from")
    later = views.migration_ends(snapshots, start)
    end = right.selectbox("to", later, index=len(later) - 1, format_func=label, key="hl_to")
    flows = cache.run(api_health.migration, ctx.url, ctx.version, start, end, *args)
    measure = _measure("hl_sankey_measure", "Migration measure")
    show_chart(charts.migration_sankey(flows, label(start), label(end), measure, note),
               flows, "health_band_migration", "hl_sankey")
    st.caption(views.migration_summary(flows, start, end))


@st.fragment
def backtest(ctx: Context, snapshots: list[dt.date], args: tuple, note: str) -> None:
    """Scores at an earlier snapshot against churn since: AUC reading, chart and counts."""
    earlier, index = views.backtest_snapshots(snapshots, ctx.as_of,
                                              int(api_health.BACKTEST_MONTHS.value))
    if not earlier:
        st.info("A back-test needs a snapshot before the as-of month.")
        return
    snap = st.selectbox("Scores at snapshot S", earlier, index=index, format_func=label,
                        key="hl_backtest_s",
                        help=f"Default: {api_health.BACKTEST_MONTHS.value:.0f} months before the "
                             "as-of month. Churn = a month without revenue after S, up to the "
                             "as-of month.")
    result, curve = cache.run(api_health.backtest, ctx.url, ctx.version, ctx.as_of, snap, *args)
    st.info(f"From {label(snap)} to {label(ctx.as_of)}: {result.reading}",
            icon=":material/insights:")
    show_chart(charts.backtest_chart(result, curve, note), result.by_band, "health_backtest",
               "hl_backtest")
    st.caption(f"{fmt_count(result.accounts)} accounts scored at {label(snap)}, "
               f"{fmt_count(result.churned)} churned by {label(ctx.as_of)}; "
               f"{fmt_count(result.unscored)} unscored accounts left out.")


def watch_list(ctx: Context, tables: dict, prior_month: dt.date) -> None:
    """Red accounts with their score change and dragging component; the unscored apart."""
    watch: pd.DataFrame = tables["watch"]
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
    # the CSV is written when the button is clicked, not on every run (tens of thousands of rows
    # at 200,000 accounts), spreadsheet-safe like every other download
    st.download_button("Download the watch list (CSV)", lambda: files.safe_csv(watch),
                       f"health_watch_list_{ctx.as_of:%Y_%m}.csv", "text/csv", key="hl_watch_csv",
                       on_click="ignore", icon=":material/download:")
    missing = tables["unscored"]
    with st.expander(f"Unscored accounts: {fmt_count(len(missing))} · "
                     f"{fmt_money(missing['arr'].sum())} ARR (kept apart, never scored as 0)"):
        st.dataframe(missing, hide_index=True, width="stretch", key="hl_unscored", column_config={
            "arr": money, "snapshot": st.column_config.DateColumn("Snapshot", format="YYYY-MM-DD")})
