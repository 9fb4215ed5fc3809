"""Segmentation: the Pareto curve of ARR and ARR by touch tier (the saved tier rule)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api
from cs_dashboard.charts.board import pareto_chart, tier_arr_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_money
from cs_dashboard.tiers import TierRule

KEY = "segmentation"
TITLE = "Segmentation"
#: Most points drawn on the Pareto curve (tier boundaries are always kept).
CURVE_POINTS = 400

DEFINITIONS = (
    "Active accounts (MRR > 0) are ranked by MRR at the as-of month, largest first (ties by "
    "account id). The curve plots the cumulative share of ARR against the cumulative share of "
    "accounts.")


def available() -> bool:
    return True


def rule_text(rule: TierRule) -> str:
    """The tier rule in words, for speaker notes."""
    if rule.rule == "segment":
        return "Tiers are the accounts' own segment column."
    if rule.rule == "floor":
        cuts = ", ".join(f"{n} from {fmt_money(c, compact=False)} MRR"
                         for n, c in zip(rule.names, rule.cuts, strict=False))
        return f"Tiers by MRR floor: {cuts}; {rule.names[-1]} below."
    basis = "of accounts" if rule.rule == "accounts" else "of MRR covered"
    edges = [0.0, *rule.cuts, 100.0]
    parts = [f"{n} {lo:g}-{hi:g}%" for n, lo, hi in zip(rule.names, edges, edges[1:], strict=False)]
    return f"Tiers by cumulative share {basis}: {', '.join(parts)}."


def tier_summary(tiers: pd.DataFrame) -> pd.DataFrame:
    """Per tier: ``tier``, ``accounts``, ``mrr``, ``arr`` (dollars), ``share_accounts``,
    ``share_arr`` (fractions) and ``floor_mrr`` (smallest MRR in the tier)."""
    grouped = tiers.groupby("tier", observed=False).agg(
        accounts=("account_id", "size"), mrr=("mrr", "sum"), floor_mrr=("mrr", "min"))
    grouped = grouped.reset_index()
    total_accounts, total_mrr = grouped["accounts"].sum(), grouped["mrr"].sum()
    grouped["arr"] = grouped["mrr"] * 12
    grouped["share_accounts"] = grouped["accounts"] / total_accounts if total_accounts else 0.0
    grouped["share_arr"] = grouped["mrr"] / total_mrr if total_mrr else 0.0
    grouped["tier"] = grouped["tier"].astype(str)
    return grouped[["tier", "accounts", "mrr", "arr", "share_accounts", "share_arr", "floor_mrr"]]


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


def top_share(tiers: pd.DataFrame, share_of_accounts: float = 0.10) -> tuple[int, float]:
    """(accounts in the top ``share_of_accounts``, their share of MRR as a fraction)."""
    n = len(tiers)
    top = max(1, math.floor(share_of_accounts * n + 0.5)) if n else 0
    return top, float(tiers["cum_share_mrr"].iloc[top - 1]) if top else 0.0


def pareto_headline(top: int, share: float) -> str:
    if top == 1:
        return f"The largest account holds {share:.0%} of ARR"
    return f"The top 10% of accounts ({top:,}) hold {share:.0%} of ARR"


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    tiers = api.account_tiers(engine, request.as_of, request.filters, request.rule)
    if tiers.empty:
        return []
    names = [str(c) for c in tiers["tier"].cat.categories]
    top, share = top_share(tiers)
    summary = tier_summary(tiers)
    first = summary[summary["accounts"] > 0].iloc[0]
    notes = f"{DEFINITIONS} {rule_text(request.rule)} ARR = 12 x MRR. {request.context_note()}"
    curve = pareto_curve(tiers)
    return [
        ChartSlide("pareto", TITLE,
                   pareto_headline(top, share),
                   pareto_chart(curve, names, request.footnote()), curve, notes),
        ChartSlide("arr_by_tier", TITLE,
                   f"{first['tier']}: {first['share_accounts']:.0%} of accounts "
                   f"({first['accounts']:,}) hold {first['share_arr']:.0%} of ARR "
                   f"({fmt_money(first['arr'])})",
                   tier_arr_chart(summary, request.footnote()), summary, notes),
    ]
