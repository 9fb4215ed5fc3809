"""Concentration tiles and the Pareto chart of the active accounts."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.api.segmentation import Segmentation
from cs_dashboard.charts import segmentation as charts
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.ui.charts import show_chart

X_LABELS = {"rank": "Rank", "share": "Cumulative share of accounts"}


def tiles(result: Segmentation) -> None:
    """Top 10 and top 20% shares, accounts for 50% and 80% of MRR, the Herfindahl index."""
    figures = result.concentration
    columns = st.columns(5)
    columns[0].metric("Top 10 accounts' share", fmt_pct(figures.top10_share),
                      help="Share of MRR held by the ten largest accounts.")
    columns[1].metric("Top 20% of accounts hold", fmt_pct(figures.top20pct_share),
                      help=f"Share of MRR held by the largest {fmt_count(figures.top20pct_accounts)} "
                           "accounts (20%, rounded to the nearest account).")
    columns[2].metric("Accounts for 50% of MRR", fmt_count(figures.accounts_for_50pct),
                      help="Fewest of the largest accounts whose MRR adds up to half the total.")
    columns[3].metric("Accounts for 80% of MRR", fmt_count(figures.accounts_for_80pct),
                      help="Fewest of the largest accounts whose MRR adds up to 80% of the total.")
    columns[4].metric("Herfindahl index", figures.hhi_points,
                      help="Sum of squared MRR shares on a 0-10,000 scale (10,000 = one account "
                           "holds everything). Equivalent to "
                           f"{fmt_count(figures.effective_accounts)} equally sized accounts.")
    st.caption(f"{fmt_count(figures.accounts)} active accounts, {fmt_money(figures.total_mrr * 12)} "
               f"ARR. 50% of revenue comes from "
               f"{fmt_pct(figures.accounts_for_50pct / figures.accounts)} of accounts, 80% from "
               f"{fmt_pct(figures.accounts_for_80pct / figures.accounts)}.")


@st.fragment
def pareto(result: Segmentation, note: str) -> None:
    """The Pareto chart with its axis and scale choices."""
    controls = st.columns([2, 1, 3])
    x_mode = controls[0].segmented_control("Horizontal axis", list(charts.X_MODES), default="rank",
                                           format_func=X_LABELS.get, key="seg_x") or "rank"
    log_y = controls[1].toggle("Log scale", key="seg_log",
                               help="Show the long tail of small accounts.")
    tiered = result.tiered

    def accounts_out():  # every account, made when the CSV is clicked
        return tiered.assign(arr=tiered["mrr"] * 12, tier=tiered["tier"].astype(str))

    show_chart(charts.pareto_chart(result.pareto, result.table, x_mode, log_y, note), accounts_out,
               "pareto_accounts_by_tier", "seg_pareto")
