"""Segmentation: the Pareto curve of ARR and ARR by touch tier (the saved tier rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cs_dashboard.api import segmentation as api_segmentation
from cs_dashboard.charts.board import pareto_chart, tier_arr_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_money
from cs_dashboard.segmentation import Concentration

KEY = "segmentation"
TITLE = "Segmentation"
#: Most points drawn on the Pareto curve (tier boundaries are always kept).
CURVE_POINTS = 400
#: The tier table's columns on the ARR-by-tier slide (``segmentation.tier_table``).
SUMMARY_COLUMNS = ["tier", "accounts", "mrr", "arr", "share_accounts", "share_mrr", "floor_mrr"]

DEFINITIONS = (
    "Active accounts (MRR > 0) are ranked by MRR at the as-of month, largest first (ties by "
    "account id). The curve plots the cumulative share of ARR against the cumulative share of "
    "accounts.")



def pareto_curve(tiers: pd.DataFrame, points: int = CURVE_POINTS) -> pd.DataFrame:
    """At most about ``points`` rows of the ranked accounts (plus each tier's first and last),
    starting from the origin: ``rank``, ``cum_share_accounts``, ``cum_share_mrr``, ``tier``."""
    n = len(tiers)
    keep = set(np.linspace(0, n - 1, min(points, n)).round().astype(int).tolist()) if n else set()
    codes = tiers["tier"].cat.codes.to_numpy()
    edges = np.flatnonzero(np.diff(codes)) if n else []
    keep.update(int(i) for i in edges)
    keep.update(int(i) + 1 for i in edges)
    curve = tiers.iloc[sorted(keep)][["rank", "cum_share_accounts", "cum_share_mrr", "tier"]]
    first_tier = tiers["tier"].cat.categories[0] if n else ""
    origin = pd.DataFrame({"rank": [0], "cum_share_accounts": [0.0], "cum_share_mrr": [0.0],
                           "tier": [first_tier]})
    curve = pd.concat([origin, curve.astype({"tier": str})], ignore_index=True)
    # Each tier's area starts where the previous one ended, so the colours touch.
    starts = curve.index[curve["tier"].ne(curve["tier"].shift())][1:]
    bridges = curve.loc[starts - 1].assign(tier=curve.loc[starts, "tier"].to_numpy())
    return pd.concat([curve, bridges]).sort_values(["cum_share_accounts", "rank"],
                                                   kind="mergesort").reset_index(drop=True)


def pareto_headline(figures: Concentration) -> str:
    top, share = figures.top10pct_accounts, figures.top10pct_share
    if top == 1:
        return f"The largest account holds {share:.0%} of ARR"
    return f"The top 10% of accounts ({top:,}) hold {share:.0%} of ARR"


def tier_headline(table: pd.DataFrame) -> str:
    first = table[table["accounts"] > 0].iloc[0]
    return (f"{first['tier']}: {first['share_accounts']:.0%} of accounts ({first['accounts']:,}) "
            f"hold {first['share_mrr']:.0%} of ARR ({fmt_money(first['arr'])})")


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    result = api_segmentation.segmentation(engine, request.as_of, request.filters, request.rule)
    if result.empty:
        return []
    tiers = result.tiered
    names = [str(c) for c in tiers["tier"].cat.categories]
    table = result.table[SUMMARY_COLUMNS]
    notes = f"{DEFINITIONS} {request.rule.explain()} ARR = 12 x MRR. {request.context_note()}"
    curve = pareto_curve(tiers)
    return [
        ChartSlide("pareto", TITLE, pareto_headline(result.concentration),
                   pareto_chart(curve, names, request.footnote()), curve, notes),
        ChartSlide("arr_by_tier", TITLE, tier_headline(table),
                   tier_arr_chart(table, request.footnote()), table, notes),
    ]
