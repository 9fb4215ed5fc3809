"""Health and ARR at risk: ARR by tier and health band, and the band mix over time."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api
from cs_dashboard import health as hl
from cs_dashboard.api import health as api_health
from cs_dashboard.charts.board import band_arr_chart, band_mix_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_money
from cs_dashboard.health.views import with_tiers

KEY = "health"
TITLE = "Health and ARR at risk"
BANDS = [*hl.BAND_ORDER, hl.UNSCORED]


def available() -> bool:
    return True


def definitions(thresholds: tuple[float, float]) -> str:
    red, green = thresholds
    return (f"Health score 0-100: the weighted mean of the components each account has (weights "
            f"of missing components redistributed); accounts without any are unscored. Bands: "
            f"red below {red:g}, yellow {red:g} to below {green:g}, green {green:g} and above. "
            f"ARR at risk = ARR of red accounts; ARR = 12 x MRR at the as-of month; the "
            f"latest score at or before the as-of month is used.")


def weight_note(weights: hl.Weights) -> str:
    """The score's weights as shares, e.g. "Weights: usage 50%, nps 25%, support 25%."."""
    total = sum(w for _, w in weights)
    if not weights or not total:
        return "Score: the provided score column."
    return "Weights: " + ", ".join(f"{n} {w / total:.0%}" for n, w in weights) + "."


def tier_band_arr(accounts: pd.DataFrame, tiers: pd.DataFrame) -> pd.DataFrame:
    """ARR and accounts per ``tier`` and ``band`` (every pair present): ``tier``, ``band``,
    ``accounts``, ``arr`` (annual dollars)."""
    joined = with_tiers(accounts, tiers)
    joined["band"] = pd.Categorical(joined["band"].astype(str), categories=BANDS)
    grouped = joined.groupby(["tier", "band"], observed=False).agg(
        accounts=("account_id", "size"), arr=("arr", "sum")).reset_index()
    return grouped.astype({"tier": str, "band": str})


def risk_headline(summary: hl.HealthSummary) -> str:
    total = summary.total_arr
    share = summary.arr_at_risk / total if total else 0.0
    return (f"Red accounts hold {fmt_money(summary.arr_at_risk)} of ARR, "
            f"{share:.0%} of the book")


def mix_headline(mix: pd.DataFrame) -> str:
    shares = mix.pivot_table(index="snapshot", columns="band", values="arr", aggfunc="sum")
    shares = shares.div(shares.sum(axis=1), axis=0).fillna(0.0)
    last = shares.iloc[-1]
    text = f"Green accounts hold {last.get('green', 0.0):.0%} of ARR"
    if len(shares) > 1:
        first = shares.iloc[0]
        moved = round((last.get("red", 0.0) - first.get("red", 0.0)) * 100)
        since = f"{pd.Timestamp(shares.index[0]):%B %Y}"
        if moved == 0:
            text += f"; the red share is unchanged since {since}"
        else:
            points = f"{abs(moved)} pt{'s' if abs(moved) != 1 else ''}"
            text += f"; the red share {'rose' if moved > 0 else 'fell'} {points} since {since}"
    return text


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    weights, bands = api_health.scoring(engine, request.score)
    summary = api_health.health_summary(engine, request.as_of, request.filters, weights, bands)
    if not summary.has_health or summary.scored_accounts == 0:
        return []
    accounts = api_health.account_health(engine, request.as_of, request.filters, weights, bands)
    tiers = api.account_tiers(engine, request.as_of, request.filters, request.rule)
    names = [str(c) for c in tiers["tier"].cat.categories]
    by_tier = tier_band_arr(accounts, tiers)
    mix = api_health.band_mix(engine, request.as_of, request.filters, weights, bands)
    mix = mix.assign(band=mix["band"].astype(str))
    used = api_health.resolved_weights(engine, weights)
    notes = (f"{definitions(summary.thresholds)} {weight_note(used)} "
             f"{request.context_note()}")
    slides = [ChartSlide("arr_at_risk", TITLE, risk_headline(summary),
                         band_arr_chart(by_tier, names, BANDS, request.footnote()), by_tier,
                         notes)]
    if not mix.empty and mix["arr"].sum() > 0:
        slides.append(ChartSlide(
            "band_mix", TITLE, mix_headline(mix), band_mix_chart(mix, BANDS, request.footnote()),
            mix, f"{notes} Each bar is one health snapshot month (the last 12 at or before the "
                 f"as-of month), accounts active then."))
    return slides
