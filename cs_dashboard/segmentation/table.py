"""The tier table and the concentration figures of a ranked portfolio.

Amounts: ``mrr`` is monthly, ``arr`` is annual (12 x MRR), both USD. Shares are fractions.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from cs_dashboard.tiers import account_boundary

TABLE_COLUMNS = ["tier", "position", "accounts", "share_accounts", "mrr", "arr", "share_mrr",
                 "cum_share_mrr", "floor_mrr", "median_arr", "first_rank", "last_rank"]
#: Tolerance when a cumulative share is compared with a target share (float sums).
EPS = 1e-12


def tier_table(tiered: pd.DataFrame) -> pd.DataFrame:
    """One row per tier (every category of ``tier``, tier 1 first, empty tiers included).

    Columns: ``tier`` (name), ``position`` (0-based), ``accounts``, ``share_accounts``,
    ``mrr`` (monthly), ``arr`` (annual), ``share_mrr``, ``cum_share_mrr`` (tiers 1..this one),
    ``floor_mrr`` (smallest MRR in the tier, NaN when empty), ``median_arr``, ``first_rank`` and
    ``last_rank`` (0 when empty). Shares are fractions of the selection (0 when it is empty).
    """
    categories = list(tiered["tier"].cat.categories)
    n = len(tiered)
    total = float(tiered["mrr"].sum())
    grouped = tiered.groupby("tier", observed=False)
    out = pd.DataFrame({
        "tier": [str(c) for c in categories],
        "position": range(len(categories)),
        "accounts": grouped.size().reindex(categories, fill_value=0).to_numpy(),
        "mrr": grouped["mrr"].sum().reindex(categories, fill_value=0.0).to_numpy(dtype=float),
        "floor_mrr": grouped["mrr"].min().reindex(categories).to_numpy(dtype=float),
        "median_arr": 12 * grouped["mrr"].median().reindex(categories).to_numpy(dtype=float),
        "first_rank": grouped["rank"].min().reindex(categories).fillna(0).to_numpy(dtype=int),
        "last_rank": grouped["rank"].max().reindex(categories).fillna(0).to_numpy(dtype=int),
    })
    out["arr"] = 12 * out["mrr"]
    out["share_accounts"] = out["accounts"] / n if n else 0.0
    out["share_mrr"] = out["mrr"] / total if total else 0.0
    out["cum_share_mrr"] = out["share_mrr"].cumsum()
    return out[TABLE_COLUMNS]


@dataclass(frozen=True)
class Concentration:
    """How concentrated revenue is among the active accounts at T.

    ``total_mrr`` monthly USD; shares are fractions; ``hhi`` is the Herfindahl index of the
    accounts' MRR shares as a fraction (1 = one account holds everything, 1/n = all equal);
    ``effective_accounts`` = 1 / hhi. Undefined figures of an empty selection are NaN.
    """

    accounts: int
    total_mrr: float
    top10_share: float
    top10pct_accounts: int
    top10pct_share: float
    top20pct_accounts: int
    top20pct_share: float
    accounts_for_50pct: int
    accounts_for_80pct: int
    hhi: float
    effective_accounts: float

    def to_json(self) -> dict:
        return {k: (None if isinstance(v, float) and math.isnan(v) else v)
                for k, v in asdict(self).items()}

    @property
    def hhi_points(self) -> str:
        """The Herfindahl index on the usual 0-10,000 scale as text, with decimals when it is
        small ("1,250", "42.5", "0.37")."""
        points = self.hhi * 10_000
        if points >= 100:
            return f"{points:,.0f}"
        return f"{points:.2g}" if points < 1 else f"{points:.1f}"


def accounts_for_share(cum_share_mrr: np.ndarray, share: float) -> int:
    """Fewest top-ranked accounts whose cumulative share of MRR reaches ``share`` (0 if none)."""
    if len(cum_share_mrr) == 0:
        return 0
    return min(int(np.searchsorted(cum_share_mrr, share - EPS, side="left")) + 1,
               len(cum_share_mrr))


def concentration(ranked: pd.DataFrame) -> Concentration:
    """Concentration figures from ``tiers.rank_accounts`` output (or any tiered frame).

    The top 10% and 20% of accounts are rounded to the nearest whole account (halves up), at
    least one.
    """
    ranked = ranked.sort_values("rank")
    n = len(ranked)
    mrr = ranked["mrr"].to_numpy(dtype=float)
    total = float(mrr.sum())
    if n == 0 or total <= 0:
        nan = float("nan")
        return Concentration(0, 0.0, nan, 0, nan, 0, nan, 0, 0, nan, nan)
    cum = np.cumsum(mrr) / total
    top10 = max(1, account_boundary(n, 10))
    top20 = max(1, account_boundary(n, 20))
    hhi = float(np.sum((mrr / total) ** 2))
    return Concentration(
        accounts=n, total_mrr=total,
        top10_share=float(cum[min(10, n) - 1]),
        top10pct_accounts=top10, top10pct_share=float(cum[top10 - 1]),
        top20pct_accounts=top20, top20pct_share=float(cum[top20 - 1]),
        accounts_for_50pct=accounts_for_share(cum, 0.5),
        accounts_for_80pct=accounts_for_share(cum, 0.8),
        hhi=hhi, effective_accounts=1 / hhi,
    )
