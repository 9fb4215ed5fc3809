"""Overview KPIs: the portfolio KPI table against the prior period and the ARR trend."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.api import overview as api_overview
from cs_dashboard.api.overview import Overview
from cs_dashboard.charts.board import arr_trend_chart
from cs_dashboard.export.sections import ChartSlide, Request, TableSlide
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points
from cs_dashboard.months import label
from cs_dashboard.portfolio import change

KEY = "overview"
TITLE = "Overview KPIs"

#: (label, Portfolio attribute, kind) of the KPI table rows; kind picks the formatting.
KPIS = (("ARR", "arr", "money"), ("MRR", "mrr", "money"), ("Active accounts", "accounts", "count"),
        ("NRR (trailing 12 months)", "nrr_12m", "ratio"),
        ("GRR (trailing 12 months)", "grr_12m", "ratio"),
        ("Logo retention (trailing 12 months)", "logo_retention_12m", "ratio"))

DEFINITIONS = (
    "ARR = 12 x MRR of accounts active (MRR > 0) at the month. "
    "NRR (trailing 12 months) = MRR now of the accounts active 12 months earlier / their MRR "
    "then. GRR is the same but each account counts at most its MRR then (expansion never lifts "
    "it). Logo retention = share of the accounts active 12 months earlier that are still active. "
    "Ratios are shown as percentages; changes of ratios are in percentage points.")



def fmt_kpi(value: float | None, kind: str) -> str:
    """A KPI value as shown in the table (exact dollars, whole counts, one-decimal percents)."""
    if kind == "money":
        return fmt_money(value, compact=False)
    if kind == "count":
        return fmt_count(value)
    return fmt_pct(value)


def fmt_change(now: float | None, before: float | None, kind: str) -> str:
    """Change against the prior period: dollars and percent, accounts, or percentage points."""
    delta = change(now, before)
    if delta is None:
        return "–"
    if kind == "ratio":
        return fmt_points(delta)
    sign = "+" if delta >= 0 else "-"
    amount = fmt_money(abs(delta), compact=False) if kind == "money" else fmt_count(abs(delta))
    relative = f" ({delta / before:+.1%})" if before else ""
    return f"{sign}{amount}{relative}"


def kpi_frame(view: Overview) -> pd.DataFrame:
    """One row per KPI: ``metric``, ``value``, ``prior``, ``change`` (raw numbers, fractions;
    the prior columns are empty when the comparison month precedes the data)."""
    before = view.before
    return pd.DataFrame([
        {"metric": name, "as_of": label(view.as_of), "value": getattr(view.now, attr),
         "prior_month": label(view.prior) if view.prior else None,
         "prior": getattr(before, attr) if before else None, "change": view.change(attr)}
        for name, attr, _ in KPIS])


def kpi_headline(view: Overview) -> str:
    now, before = view.now, view.before
    text = f"ARR is {fmt_money(now.arr)}"
    if before is not None:
        delta = now.arr - before.arr
        text += f", {'up' if delta >= 0 else 'down'} {fmt_money(abs(delta))}"
        if before.arr:
            text += f" ({delta / before.arr:+.1%})"
        text += f" since {before.as_of:%B %Y}"
    if now.nrr_12m is not None:
        text += f"; net revenue retention {fmt_pct(now.nrr_12m)}"
    return text


def trend_headline(trend: pd.DataFrame) -> str:
    last = trend.iloc[-1]
    back = trend[trend["month"] <= last["month"] - pd.DateOffset(months=12)]
    first = back.iloc[-1] if not back.empty else trend.iloc[0]
    months = (last["month"].year - first["month"].year) * 12 + last["month"].month - \
        first["month"].month
    if months == 0 or not first["arr"]:
        return f"ARR is {fmt_money(last['arr'])} in {last['month']:%B %Y}"
    growth = last["arr"] / first["arr"] - 1
    verb = "grew" if growth >= 0 else "fell"
    span = "1 month" if months == 1 else f"{months} months"
    return (f"ARR {verb} {abs(growth):.0%} in {span}, from {fmt_money(first['arr'])} "
            f"to {fmt_money(last['arr'])}")


def build(engine: sa.Engine, request: Request) -> list[ChartSlide | TableSlide]:
    view = api_overview.overview(engine, request.as_of, request.filters, request.compare_months)
    now, before = view.now, view.before
    rows = tuple((name, fmt_kpi(getattr(now, attr), kind),
                  fmt_kpi(getattr(before, attr), kind) if before else "–",
                  fmt_change(getattr(now, attr), getattr(before, attr) if before else None, kind))
                 for name, attr, kind in KPIS)
    prior = f"{view.prior:%b %Y}" if view.prior else "Prior"
    compared = (f"The prior period is {request.compare_months} month(s) earlier." if view.prior
                else "The data holds no month to compare with.")
    table = TableSlide(
        "kpis", TITLE, kpi_headline(view),
        ("Metric", f"{now.as_of:%b %Y}", prior, "Change"),
        rows, kpi_frame(view),
        f"{DEFINITIONS} {compared} {request.context_note()}")
    trend = view.trend
    slides: list[ChartSlide | TableSlide] = [table]
    if not trend.empty:
        slides.append(ChartSlide(
            "arr_trend", TITLE, trend_headline(trend), arr_trend_chart(trend, request.footnote()),
            trend, f"ARR by month: ARR = 12 x MRR, summed over the accounts active in each month. "
                   f"{request.context_note()}"))
    return slides
