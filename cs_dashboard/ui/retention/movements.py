"""The Revenue movements tab: the MRR bridge as a waterfall, its trend and its table."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.api import retention as api_retention
from cs_dashboard.charts import movements as charts
from cs_dashboard.retention.movements import AMOUNTS, COUNTS, KINDS, LABELS, period_note
from cs_dashboard.ui import cache
from cs_dashboard.ui.charts import show_chart
from cs_dashboard.ui.context import Context
from cs_dashboard.ui.retention import Scope

#: Bridge period choices: (period, periods shown).
MOVE = {"Monthly": ("month", 12), "Quarterly": ("quarter", 24)}


@st.fragment
def render(ctx: Context, scope: Scope) -> None:
    m1, m2 = st.columns(2)
    move_period, span = MOVE[m1.segmented_control("Bridge period", list(MOVE), default="Monthly",
                                                  key="ret_move_period") or "Monthly"]
    rows = cache.run(api_retention.movement_bridge, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                     move_period, span, None, *scope.args())
    if rows.empty:
        st.info("The bridge needs at least two months of data.", icon=":material/info:")
        return
    options = ["Whole range", *reversed(rows["period"].tolist())]
    pick = m2.selectbox("Waterfall for", options, index=1, key="ret_move_pick")
    chosen_rows = rows if pick == "Whole range" else rows[rows["period"] == pick]
    show_chart(charts.waterfall_chart(chosen_rows, scope.note), chosen_rows,
               f"mrr_bridge_{pick}", "ret_waterfall")
    show_chart(charts.movements_trend_chart(rows, scope.note), rows,
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
