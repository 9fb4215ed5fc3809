"""Series behind the Pareto chart: bars of MRR by rank and curves per group.

Above ``MAX_BARS`` accounts one bar per account is unreadable and heavy, so bars become bins
of about one percentile of accounts each (split at tier boundaries, so a bin never straddles
two tiers); the cumulative line is drawn from the exact per-account shares by the chart.
MRR is monthly USD; shares are fractions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_dashboard.sampling import line_sample
from cs_dashboard.segmentation.table import accounts_for_share
from cs_dashboard.tiers import account_boundary

MAX_BARS = 2000
BINS = 100
BAR_COLUMNS = ["tier", "position", "rank_first", "rank_last", "accounts", "mrr", "mrr_min",
               "mrr_max", "mrr_sum", "cum_share_mrr", "cum_share_accounts", "label"]


def pareto_bars(tiered: pd.DataFrame, max_bars: int = MAX_BARS, bins: int = BINS,
                labels: pd.Series | None = None) -> pd.DataFrame:
    """Bars in rank order: one per account up to ``max_bars`` accounts, else binned.

    Columns: ``tier``, ``position`` (0-based tier), ``rank_first``/``rank_last`` (inclusive),
    ``accounts``, ``mrr`` (bar height: the account's MRR, or the bin's mean), ``mrr_min``,
    ``mrr_max``, ``mrr_sum``, ``cum_share_mrr`` and ``cum_share_accounts`` at ``rank_last``,
    ``label`` (the account's name from ``labels`` indexed by ``account_id``, else its id; for a
    bin "ranks a–b").
    """
    ranked = tiered.sort_values("rank")
    n = len(ranked)
    if n == 0:
        return pd.DataFrame(columns=BAR_COLUMNS)
    mrr = ranked["mrr"].to_numpy(dtype=float)
    codes = ranked["tier"].cat.codes.to_numpy()
    names = np.asarray([str(c) for c in ranked["tier"].cat.categories], dtype=object)
    cum_mrr = ranked["cum_share_mrr"].to_numpy(dtype=float)
    if n <= max_bars:
        ids = ranked["account_id"].astype(str)
        label = ids.map(labels).fillna(ids) if labels is not None else ids
        return pd.DataFrame({
            "tier": names[codes], "position": codes, "rank_first": np.arange(1, n + 1),
            "rank_last": np.arange(1, n + 1), "accounts": 1, "mrr": mrr, "mrr_min": mrr,
            "mrr_max": mrr, "mrr_sum": mrr, "cum_share_mrr": cum_mrr,
            "cum_share_accounts": np.arange(1, n + 1) / n, "label": label.to_numpy(),
        })[BAR_COLUMNS]
    percentile_edges = np.floor(np.arange(bins + 1) * n / bins + 0.5).astype(int)
    tier_edges = np.flatnonzero(np.diff(codes)) + 1
    starts = np.unique(np.concatenate([percentile_edges[:-1], tier_edges]))
    starts = starts[starts < n]
    ends = np.append(starts[1:], n)
    sums = np.add.reduceat(mrr, starts)
    first, last = starts + 1, ends
    return pd.DataFrame({
        "tier": names[codes[starts]], "position": codes[starts], "rank_first": first,
        "rank_last": last, "accounts": ends - starts, "mrr": sums / (ends - starts),
        "mrr_min": np.minimum.reduceat(mrr, starts), "mrr_max": np.maximum.reduceat(mrr, starts),
        "mrr_sum": sums, "cum_share_mrr": cum_mrr[ends - 1], "cum_share_accounts": last / n,
        "label": [f"ranks {a:,}–{b:,}" for a, b in zip(first, last, strict=True)],
    })[BAR_COLUMNS]


def pareto_by(tiered: pd.DataFrame, groups: pd.Series, points: int = 101
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Concentration within each group of another dimension (segment, region, industry, ...).

    ``groups``: the dimension's value per ``account_id`` (missing -> "(none)"). Returns
    ``(summary, curves)``. ``summary``: one row per group, largest MRR first: ``group``,
    ``accounts``, ``mrr`` (monthly), ``arr``, ``share_mrr`` (of the whole selection),
    ``top20pct_share`` (share of the group's MRR held by its top 20% of accounts),
    ``accounts_for_80pct`` and ``hhi``. ``curves``: ``group``, ``share_accounts``,
    ``share_mrr``: each group's exact cumulative share at up to ``points`` ranks spread evenly
    (every rank for small groups), starting at (0, 0).
    """
    frame = tiered[["account_id", "mrr"]].copy()
    frame["group"] = frame["account_id"].map(groups).fillna("(none)").astype(str)
    total = float(frame["mrr"].sum())
    rows, curves = [], []
    for group, part in frame.groupby("group", sort=False):
        mrr = np.sort(part["mrr"].to_numpy(dtype=float))[::-1]
        n, group_total = len(mrr), float(mrr.sum())
        cum = np.cumsum(mrr) / group_total
        top20 = max(1, account_boundary(n, 20))
        rows.append({"group": group, "accounts": n, "mrr": group_total, "arr": 12 * group_total,
                     "share_mrr": group_total / total, "top20pct_share": float(cum[top20 - 1]),
                     "accounts_for_80pct": accounts_for_share(cum, 0.8),
                     "hhi": float(np.sum((mrr / group_total) ** 2))})
        ranks = np.unique(np.floor(np.linspace(0, n, min(points, n + 1)) + 0.5).astype(int))
        curves.append(pd.DataFrame({"group": group, "share_accounts": ranks / n,
                                    "share_mrr": np.concatenate([[0.0], cum])[ranks]}))
    columns = ["group", "accounts", "mrr", "arr", "share_mrr", "top20pct_share",
               "accounts_for_80pct", "hhi"]
    summary = pd.DataFrame(rows, columns=columns).sort_values(
        ["mrr", "group"], ascending=[False, True], ignore_index=True)
    curve = (pd.concat(curves, ignore_index=True) if curves
             else pd.DataFrame(columns=["group", "share_accounts", "share_mrr"]))
    return summary, curve


@dataclass(frozen=True)
class ParetoDrawing:
    """What the Pareto chart draws, prepared once with the result it belongs to (so a chart
    asked for again is keyed by these few rows, not by every account).

    ``bars``: ``pareto_bars``; ``cum``: the cumulative share of revenue (fraction, float32)
    at ranks ``drawn`` (``None``: at every rank 0..``accounts``, 0 first); ``accounts``: how
    many accounts the curve runs over."""

    bars: pd.DataFrame
    cum: np.ndarray
    drawn: np.ndarray | None
    accounts: int


def pareto_drawing(tiered: pd.DataFrame, max_bars: int = MAX_BARS) -> ParetoDrawing:
    """The bars and the cumulative line of ``tiered`` (``assign_tiers`` output, optionally with
    ``account_name``, which labels an account's bar); the line through ``line_sample``'s ranks."""
    # names label one bar per account; binned bars are labelled by their ranks (and indexing
    # 2,000,000 names for nothing took 2 s)
    labels = (tiered.set_index("account_id")["account_name"].dropna()
              if "account_name" in tiered and len(tiered) <= max_bars else None)
    bars = pareto_bars(tiered, max_bars, labels=labels)
    by_rank = np.argsort(tiered["rank"].to_numpy(), kind="stable")
    cum = np.concatenate([[0.0], tiered["cum_share_mrr"].to_numpy(dtype=float)[by_rank]])
    drawn = line_sample(len(cum))
    return ParetoDrawing(bars, (cum if drawn is None else cum[drawn]).astype(np.float32), drawn,
                         len(tiered))
