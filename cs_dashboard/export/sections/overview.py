"""Overview KPIs: the portfolio KPI table against the prior period and the ARR trend."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api
from cs_dashboard.charts.board import arr_trend_chart
from cs_dashboard.db import queries
from cs_dashboard.export.sections import ChartSlide, Request, TableSlide
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points
from cs_dashboard.months import add_months, label
from cs_dashboard.portfolio import Portfolio, change

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


def available() -> bool:
    return True


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


def kpi_frame(now: Portfolio, before: Portfolio) -> pd.DataFrame:
    """One row per KPI: ``metric``, ``value``, ``prior``, ``change`` (raw numbers, fractions)."""
    return pd.DataFrame([
        {"metric": name, "as_of": label(now.as_of), "value": getattr(now, attr),
         "prior_month": label(before.as_of), "prior": getattr(before, attr),
         "change": change(getattr(now, attr), getattr(before, attr))}
        for name, attr, _ in KPIS])


def kpi_headline(now: Portfolio, before: Portfolio) -> str:
    delta = now.arr - before.arr
    direction = "up" if delta >= 0 else "down"
    text = f"ARR is {fmt_money(now.arr)}, {direction} {fmt_money(abs(delta))}"
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
    return (f"ARR {verb} {abs(growth):.0%} in {months} months, from {fmt_money(first['arr'])} "
            f"to {fmt_money(last['arr'])}")


def build(engine: sa.Engine, request: Request) -> list[ChartSlide | TableSlide]:
    now = api.portfolio_at(engine, request.as_of, request.filters)
    before = api.portfolio_at(engine, add_months(request.as_of, -request.compare_months),
                              request.filters)
    rows = tuple((name, fmt_kpi(getattr(now, attr), kind), fmt_kpi(getattr(before, attr), kind),
                  fmt_change(getattr(now, attr), getattr(before, attr), kind))
                 for name, attr, kind in KPIS)
    table = TableSlide(
        "kpis", TITLE, kpi_headline(now, before),
        ("Metric", f"{now.as_of:%b %Y}", f"{before.as_of:%b %Y}", "Change"),
        rows, kpi_frame(now, before),
        f"{DEFINITIONS} The prior period is {request.compare_months} month(s) earlier. "
        f"{request.context_note()}")
    trend = queries.mrr_by_month(engine, request.filters)
    trend = trend[trend["month"].dt.date <= request.as_of].reset_index(drop=True)
    trend = trend.assign(arr=trend["mrr"] * 12)[["month", "accounts", "mrr", "arr"]]
    slides: list[ChartSlide | TableSlide] = [table]
    if not trend.empty:
        slides.append(ChartSlide(
            "arr_trend", TITLE, trend_headline(trend), arr_trend_chart(trend, request.footnote()),
            trend, f"ARR by month: ARR = 12 x MRR, summed over the accounts active in each month. "
                   f"{request.context_note()}"))
    return slides
