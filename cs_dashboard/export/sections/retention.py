"""Retention: trailing-12 NRR and GRR by month against the published median NRR."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.api import retention as api_retention
from cs_dashboard.charts.board import ratio_trend_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_pct, fmt_points
from cs_dashboard.retention_benchmarks import MEDIANS

KEY = "retention"
TITLE = "Retention"
#: Months of trailing-12 retention shown.
MONTHS = 24
MEDIAN_NRR = next(b for b in MEDIANS if b.metric == "nrr")

DEFINITIONS = (
    "Trailing-12 net revenue retention (NRR) at month T = MRR at T of the accounts active at "
    "T-12 / their MRR at T-12. Gross revenue retention (GRR) counts each account at most at its "
    "MRR at T-12, so expansion never lifts it (GRR <= 100% and GRR <= NRR).")


def available() -> bool:
    return True


def retention_lines(trend: pd.DataFrame) -> pd.DataFrame:
    """Long form for the chart: ``month`` (datetime), ``metric`` (NRR/GRR), ``value``."""
    frame = trend.assign(month=pd.to_datetime(trend["month"]))
    long = frame.melt(id_vars="month", value_vars=["nrr", "grr"], var_name="metric")
    long["metric"] = long["metric"].map({"nrr": "NRR (trailing 12 months)",
                                         "grr": "GRR (trailing 12 months)"})
    return long.dropna(subset=["value"]).reset_index(drop=True)


def headline(trend: pd.DataFrame) -> str:
    last = trend.iloc[-1]
    text = f"Net revenue retention is {fmt_pct(last['nrr'])}"
    back = trend[pd.to_datetime(trend["month"]) <= pd.Timestamp(last["month"]) - pd.DateOffset(months=12)]
    if not back.empty and pd.notna(back.iloc[-1]["nrr"]):
        moved = last["nrr"] - back.iloc[-1]["nrr"]
        text += f" ({fmt_points(moved)} in 12 months)"
    return f"{text}; gross revenue retention {fmt_pct(last['grr'])}"


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    trend = api_retention.trends(engine, request.as_of, request.filters, request.rule,
                                 months=MONTHS)
    trend = trend[trend["nrr"].notna()].reset_index(drop=True)
    if trend.empty:
        return []
    lines = retention_lines(trend)
    chart = ratio_trend_chart(lines, "Net and gross revenue retention, trailing 12 months",
                              request.footnote(), MEDIAN_NRR.value,
                              f"{MEDIAN_NRR.name}: {fmt_pct(MEDIAN_NRR.value, 0)}")
    notes = (f"{DEFINITIONS} Reference line: {MEDIAN_NRR.name}, {fmt_pct(MEDIAN_NRR.value, 0)} "
             f"({MEDIAN_NRR.source}). {request.context_note()}")
    data = trend.assign(month=pd.to_datetime(trend["month"]))
    return [ChartSlide("nrr_grr_trend", TITLE, headline(trend), chart, data, notes)]
