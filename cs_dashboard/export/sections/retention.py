"""Retention: trailing-12 NRR and GRR by month against the published median NRR, and
Kaplan-Meier logo survival by touch tier."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.api import retention as api_retention
from cs_dashboard.charts.board import ratio_trend_chart, survival_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_pct, fmt_points
from cs_dashboard.retention.benchmarks import MEDIANS
from cs_dashboard.retention.survival import SurvivalResult

KEY = "retention"
TITLE = "Retention"
#: Months of trailing-12 retention shown.
MONTHS = 24
MEDIAN_NRR = next(b for b in MEDIANS if b.metric == "nrr")

DEFINITIONS = (
    "Trailing-12 net revenue retention (NRR) at month T = MRR at T of the accounts active at "
    "T-12 / their MRR at T-12. Gross revenue retention (GRR) counts each account at most at its "
    "MRR at T-12, so expansion never lifts it (GRR <= 100% and GRR <= NRR).")
SURVIVAL_DEFINITIONS = (
    "Logo survival S(t) = share of accounts still customers t months after they started "
    "(first month with MRR, or customer_since when that is earlier), estimated with "
    "Kaplan-Meier. An account still active at the as-of month is censored at its age then "
    "(as-of month - start). An account signed before it first paid enters the risk set at the "
    "age of its first paid month; the months before that are never a churn. "
    "Each account is in the tier it held in its first active month in the data (ranked among "
    "the accounts active that month), not its tier now. Shaded: 95% confidence band.")
#: Months after start at which the survival headline compares tiers, longest first.
HEADLINE_MONTHS = (24, 12)



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


def survival_headline(result: SurvivalResult) -> str:
    """Survival of the first and last group at 24 months (12 when 24 is not observed)."""
    first, last = result.groups[0], result.groups[-1]
    for month in HEADLINE_MONTHS:
        a, b = first.at(month), last.at(month)
        if a is None or b is None:
            continue
        if first is last:
            return f"{fmt_pct(a, 0)} of accounts are still customers {month} months after they start"
        return (f"{fmt_pct(a, 0)} of {first.group} accounts are still customers after {month} "
                f"months, against {fmt_pct(b, 0)} of {last.group}")
    return "Logo survival by months since start"


def survival_curves(result: SurvivalResult) -> pd.DataFrame:
    """Long form of every group's curve: ``group``, ``accounts``, ``timeline``, ``survival``,
    ``lower``, ``upper`` (fractions)."""
    return pd.concat([g.curve.assign(group=g.group, accounts=g.accounts) for g in result.groups],
                     ignore_index=True)[["group", "accounts", "timeline", "survival", "lower",
                                         "upper"]]


def group_counts(result: SurvivalResult) -> str:
    """Accounts, churn events, late entrants and the estimator of each group, in words."""
    parts = []
    for g in result.groups:
        how = g.estimator if g.estimator_reason is None else f"{g.estimator} ({g.estimator_reason})"
        parts.append(f"{g.group}: {g.accounts:,} accounts, {g.churned:,} churned, "
                     f"{g.late_entrants:,} entered late, {how}")
    return "; ".join(parts) + "."


def survival_slide(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    result = api_retention.survival(engine, request.as_of, request.filters, by="tier",
                                    rule=request.rule)
    if not result.groups:
        return []
    curves = survival_curves(result)
    chart = survival_chart(curves, [g.group for g in result.groups], request.footnote())
    test = (f" Log-rank test across tiers: p = {result.logrank_p:.3g}."
            if result.logrank_p is not None else "")
    notes = f"{SURVIVAL_DEFINITIONS}{test} {group_counts(result)} {request.context_note()}"
    return [ChartSlide("logo_survival_by_tier", TITLE, survival_headline(result), chart, curves,
                       notes)]


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    trend = api_retention.trends(engine, request.as_of, request.filters, request.rule,
                                 months=MONTHS)
    trend = trend[trend["nrr"].notna()].reset_index(drop=True)
    if trend.empty:
        return survival_slide(engine, request)
    lines = retention_lines(trend)
    chart = ratio_trend_chart(lines, "Net and gross revenue retention, trailing 12 months",
                              request.footnote(), MEDIAN_NRR.value,
                              f"{MEDIAN_NRR.name}: {fmt_pct(MEDIAN_NRR.value, 0)}")
    notes = (f"{DEFINITIONS} Reference line: {MEDIAN_NRR.name}, {fmt_pct(MEDIAN_NRR.value, 0)} "
             f"({MEDIAN_NRR.source}). {request.context_note()}")
    data = trend.assign(month=pd.to_datetime(trend["month"]))
    return [ChartSlide("nrr_grr_trend", TITLE, headline(trend), chart, data, notes),
            *survival_slide(engine, request)]
