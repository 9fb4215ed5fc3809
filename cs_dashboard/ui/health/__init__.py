"""The Health page's Streamlit parts; ``pages/health.py`` wires them together.

Map of the parts:

- ``no_snapshots``, ``caption``, ``tiles``: what sits above the tabs.
- ``tabs``: one function per tab (distribution, value at risk, drivers, trend, back-test,
  watch list), each taking what it shows explicitly.
- ``cs_dashboard.ui.score_settings``: the weights and bands expander.

The numbers come from ``cs_dashboard.api.health`` and ``cs_dashboard.health`` (pure).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.health import HealthReport
from cs_dashboard.months import label
from cs_dashboard.ui.context import Context

TABS = ("Distribution", "Value at risk", "Drivers", "Trend", "Back-test", "Watch list")
#: Session State key of the open tab, and the keys of the widgets inside the tabs.
TAB_KEY = "hl_tab"
KEEP = ("hl_measure", "hl_split", "hl_drag_measure", "hl_trend_measure", "hl_sankey_measure",
        "hl_from", "hl_to", "hl_backtest_s")


def no_snapshots() -> None:
    """Say there is nothing to score, and where to import health data."""
    st.info("This database has no health snapshots at or before the as-of month. Import a health "
            "file (account_id, as_of and component columns such as usage or NPS, or a score) on "
            "the **Data** page.", icon=":material/info:")
    st.page_link("pages/data.py", label="Go to the Data page", icon=":material/database:")


def caption(ctx: Context, report: HealthReport, bands: tuple[float, float]) -> None:
    """How the scores were made: as-of month, weights, bands and filters."""
    shares = (" · ".join(f"{n} {s:.0%}" for n, s in report.weight_shares) if report.weight_shares
              else "provided score column")
    st.caption(f"Scores as of {label(ctx.as_of)} from each account's latest snapshot at or before "
               f"it · weights: {shares} · bands: red < {bands[0]:g} ≤ yellow < {bands[1]:g} ≤ "
               f"green · {ctx.filters.describe()}.")


def tiles(report: HealthReport, prior_month: dt.date) -> None:
    """ARR at risk (and with half of yellow) against ``prior_month``, red, green and unscored
    accounts."""
    summary, before = report.summary, report.at(prior_month)
    columns = st.columns(5)
    red, green = summary.band("red"), summary.band("green")
    since = f"vs {label(prior_month)}"
    columns[0].metric("ARR at risk (red)", fmt_money(summary.arr_at_risk),
                      None if before is None
                      else fmt_money(summary.arr_at_risk - before.arr_at_risk),
                      delta_color="inverse", delta_description=since,
                      help="ARR of red accounts at the as-of month; change against 3 months "
                           "earlier.")
    columns[1].metric("At risk incl. ½ yellow", fmt_money(summary.arr_at_risk_with_yellow),
                      None if before is None
                      else fmt_money(summary.arr_at_risk_with_yellow
                                     - before.arr_at_risk_with_yellow),
                      delta_color="inverse", delta_description=since,
                      help="Red ARR plus 50% of yellow ARR.")
    columns[2].metric("Red accounts", fmt_count(red.accounts),
                      f"{fmt_pct(summary.share('red'))} of scored", delta_color="off",
                      delta_arrow="off")
    columns[3].metric("Green accounts", fmt_count(green.accounts),
                      f"{fmt_pct(summary.share('green'))} of scored", delta_color="off",
                      delta_arrow="off")
    columns[4].metric("Unscored accounts", fmt_count(summary.unscored.accounts),
                      f"{fmt_money(summary.unscored.arr)} ARR", delta_color="off",
                      delta_arrow="off",
                      help="Active accounts with no snapshot, or a snapshot with no component "
                           "and no score. They are kept apart, never counted as 0.")
