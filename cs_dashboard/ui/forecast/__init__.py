"""The Forecast page's Streamlit parts; ``pages/forecast.py`` wires them together.

Map of the parts:

- ``caption``, ``tiles``: what sits above the tabs.
- ``renewals``, ``projection``, ``record``, ``calibration``, ``whatif``: one module per tab,
  each with ``render(...)`` taking what it shows explicitly.

The numbers come from ``cs_dashboard.api.forecast`` and ``cs_dashboard.forecast`` (pure).
"""

from __future__ import annotations

import streamlit as st

from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points
from cs_dashboard.forecast import WATCH_DAYS, ForecastReport
from cs_dashboard.months import label
from cs_dashboard.ui.context import Context

TABS = ("Renewals ahead", "Retention forecast", "Track record", "Calibration",
        "What acting is worth")
#: Session State key of the open tab (``ui.layout.lazy_tabs``), and the keys of the choices
#: inside the tabs, kept while another tab is open.
TAB_KEY = "fc_tab"
KEEP = ("fc_period", "fc_split", "fc_how", "fc_target", "fc_hours", "fc_count", "fc_picked")


def caption(ctx: Context, report: ForecastReport, bands: tuple[float, float]) -> None:
    """What the forecast rests on, and what is missing when history is short."""
    st.caption(f"As of {label(ctx.as_of)} (month end) · bands of the saved health score: red < "
               f"{bands[0]:g} ≤ yellow < {bands[1]:g} ≤ green · tiers by the saved rule · "
               f"{ctx.filters.describe()}. Method: rates by health band, measured on your own history "
               "(see *How the forecast works* below and the Definitions page).")
    if report.note:
        st.info(f"{report.note} The renewals ahead are shown; the retention forecast, its track record "
                "and the what-if need that history.", icon=":material/history:")


def tiles(report: ForecastReport, months: int) -> None:
    """Expected GRR, NRR and churn ARR with their intervals, the watch list's ARR, and how the
    oldest forecast in the track record did."""
    level = f"{report.level:.0%}"
    ahead = report.renewals
    columns = st.columns(5)
    projection = report.projection
    if projection is not None:
        row = projection.at()
        columns[0].metric(f"GRR next {months} months", fmt_pct(row["grr"]),
                        f"{level}: {fmt_pct(row['grr_low'])} – {fmt_pct(row['grr_high'])}",
                        delta_color="off", delta_arrow="off",
                        help="Expected gross revenue retention of today's ARR by the end of the "
                             "horizon, with its interval (rates' uncertainty and the luck of which "
                             "accounts leave).")
        columns[1].metric(f"NRR next {months} months", fmt_pct(row["nrr"]),
                        f"{level}: {fmt_pct(row['nrr_low'])} – {fmt_pct(row['nrr_high'])}",
                        delta_color="off", delta_arrow="off",
                        help="Expected net revenue retention of today's ARR (expansion included).")
        columns[2].metric("Expected churn ARR", fmt_money(row["churn_arr"]),
                        f"{level}: {fmt_money(row['churn_arr_low'])} – "
                        f"{fmt_money(row['churn_arr_high'])}", delta_color="off", delta_arrow="off",
                        help=f"ARR of today's accounts expected to churn over the next {months} months"
                             f"; {fmt_money(row['contraction_arr'])} more is expected to contract.")
    watch = ahead.watch
    columns[3].metric(f"Red/yellow renewing in {WATCH_DAYS.value:.0f} days", fmt_money(watch["arr"].sum()),
                    f"{fmt_count(len(watch))} accounts", delta_color="off", delta_arrow="off",
                    help="ARR of red and yellow accounts whose renewal date falls in the "
                         f"{WATCH_DAYS.value:.0f} days after the as-of month (the watch list).")
    earliest = report.record.longest if report.record else None
    if earliest is not None:
        last = earliest.last()
        columns[4].metric(f"Forecast of {earliest.months_back} months ago", fmt_points(last["grr_error"]),
                        f"GRR actual {fmt_pct(last['grr_actual'])}", delta_color="off",
                        delta_arrow="off",
                        help=f"The forecast made in {label(earliest.origin)} against the actual GRR "
                             f"of that book by {label(last['month'])} (forecast - actual, points).")
