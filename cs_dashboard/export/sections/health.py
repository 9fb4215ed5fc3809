"""Health and ARR at risk: ARR by tier and health band, and the band mix over time.

Both slides present one ``HealthReport`` (``api.health.health_report``): the ARR-at-risk
headline and the band-mix headline read the same month's figures, so they agree.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import health as hl
from cs_dashboard.api import health as api_health
from cs_dashboard.charts.board import band_arr_chart, band_mix_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_money

KEY = "health"
TITLE = "Health and ARR at risk"
BANDS = [*hl.BAND_ORDER, hl.UNSCORED]
MIX_NOTE = ("Each bar is one calendar month (the last 12 of the data at or before the as-of "
            "month): every account active that month, scored from its latest snapshot at or "
            "before that month (unscored when it has none), the rule of the ARR-at-risk slide; "
            "shares of that month's ARR.")



def definitions(thresholds: tuple[float, float]) -> str:
    red, green = thresholds
    return (f"Health score 0-100: the weighted mean of the components each account has (weights "
            f"of missing components redistributed); accounts without any are unscored. Bands: "
            f"red below {red:g}, yellow {red:g} to below {green:g}, green {green:g} and above. "
            f"ARR at risk = ARR of red accounts; ARR = 12 x MRR at the as-of month; each "
            f"account is scored from its latest snapshot at or before the month shown.")


def weight_note(report: hl.HealthReport) -> str:
    """The score's weights as shares, e.g. "Weights: usage 50%, nps 25%, support 25%."."""
    if not report.weight_shares:
        return "Score: the provided score column."
    return "Weights: " + ", ".join(f"{n} {s:.0%}" for n, s in report.weight_shares) + "."


def risk_headline(report: hl.HealthReport) -> str:
    summary = report.summary
    return (f"Red accounts hold {fmt_money(summary.arr_at_risk)} of ARR, "
            f"{summary.arr_at_risk_share:.0%} of the book")


def mix_headline(report: hl.HealthReport) -> str:
    text = f"Red accounts hold {report.share('red'):.0%} of ARR"
    if len(report.months) > 1:
        moved = round(report.share_change("red") * 100)
        since = f"{pd.Timestamp(report.months[0]):%B %Y}"
        if moved == 0:
            text += f", unchanged since {since}"
        else:
            points = f"{abs(moved)} pt{'s' if abs(moved) != 1 else ''}"
            text += f", {'up' if moved > 0 else 'down'} {points} since {since}"
    return text + f"; green accounts hold {report.share('green'):.0%}"


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    weights, bands = api_health.scoring(engine, request.score)
    report = api_health.health_report(engine, request.as_of, request.filters, weights, bands,
                                      request.rule)
    if not report.has_health or report.summary.scored_accounts == 0:
        return []
    notes = f"{definitions(report.thresholds)} {weight_note(report)} {request.context_note()}"
    slides = [ChartSlide("arr_at_risk", TITLE, risk_headline(report),
                         band_arr_chart(report.by_tier, list(report.tiers), BANDS,
                                        request.footnote()), report.by_tier, notes)]
    if report.mix["arr"].sum() > 0:
        slides.append(ChartSlide("band_mix", TITLE, mix_headline(report),
                                 band_mix_chart(report.mix, BANDS, request.footnote()),
                                 report.mix, f"{notes} {MIX_NOTE}"))
    return slides
