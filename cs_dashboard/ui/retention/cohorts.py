"""The Cohorts tab: the cohort heatmap and retention curves against a benchmark line."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.api import retention as api_retention
from cs_dashboard.charts import retention as charts
from cs_dashboard.retention import benchmarks as rb
from cs_dashboard.ui import cache
from cs_dashboard.ui.charts import show_chart
from cs_dashboard.ui.context import Context
from cs_dashboard.ui.retention import Scope

BASES = {"Net revenue": "net", "Gross revenue": "gross", "Logo": "logo"}
PERIODS = {"Month": "month", "Quarter": "quarter", "Year": "year"}
#: The trailing metric each cohort basis compares with.
BASIS_METRIC = {"net": "nrr", "gross": "grr", "logo": "logo"}


@st.fragment
def render(ctx: Context, scope: Scope) -> None:
    c1, c2, c3 = st.columns([4, 3, 2])
    basis = BASES[c1.segmented_control("Retention basis", list(BASES), default="Net revenue",
                                       key="ret_basis") or "Net revenue"]
    period = PERIODS[c2.segmented_control("Cohort period", list(PERIODS), default="Quarter",
                                          key="ret_period") or "Quarter"]
    amount_name = "Accounts" if basis == "logo" else "MRR $"
    unit = c3.segmented_control("Show", ["%", amount_name], default="%", key="ret_unit") or "%"
    table = cache.run(api_retention.cohorts, ctx.url, ctx.version, ctx.as_of, basis, period,
                      ctx.filters, *scope.args())
    if table.ratios.empty:
        st.info("No cohort has started in this selection yet: accounts that predate the data "
                "window are left out of cohort tables (their starting revenue was never "
                "observed).", icon=":material/info:")
        return
    st.caption(f"{len(table.ratios)} {period} cohorts of accounts acquired within the data "
               "window; pre-window accounts are left out. Blank cells: the cohort has not "
               "reached that age yet. The bottom row weights each cohort by "
               + ("its accounts." if basis == "logo" else "its starting MRR.")
               + (f" {table.period_note}" if table.period_note else ""))
    download = table.long().merge(table.sizes.reset_index(), on="cohort")
    show_chart(charts.cohort_heatmap(table, "pct" if unit == "%" else "amount", scope.note),
               download, f"cohorts_{basis}_{period}", "ret_heatmap")
    choices = [b for b in rb.ALL if b.metric == BASIS_METRIC[basis]]
    chosen = st.selectbox("Benchmark line", ["None", *[b.label for b in choices]],
                          index=1 if choices else 0, key="ret_benchmark",
                          help="Published annual medians: compare them with the curves at "
                               "12 months (or 4 quarters, 1 year).")
    benchmark = next((b for b in choices if b.label == chosen), None)
    show_chart(charts.retention_curves(table, benchmark, footnote=scope.note), download,
               f"retention_curves_{basis}_{period}", "ret_curves")
