"""Tier migration: each account's tier at T against its tier at T-12 under the same rule.

Both frames are ``tiers.assign_tiers`` outputs over the same filters. A higher tier means more
touch (tier 1 is the highest). ARR is annual USD (12 x MRR) at the respective month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Movement keys in display order, with their labels.
MOVEMENTS = {
    "up": "Moved to a higher tier",
    "same": "Same tier",
    "down": "Moved to a lower tier",
    "new": "New (not active 12 months earlier)",
    "churned": "Churned (no longer active)",
}
NOT_ACTIVE = "Not active"


@dataclass(frozen=True)
class Migration:
    """``summary``: one row per movement (``movement``, ``label``, ``accounts``, ``arr_then``,
    ``arr_now``). ``flows``: one row per (``tier_then``, ``tier_now``) pair with accounts,
    including ``Not active`` for new and churned accounts; tiers in display order ``tiers``."""

    summary: pd.DataFrame
    flows: pd.DataFrame
    tiers: tuple[str, ...]

    def count(self, movement: str) -> int:
        return int(self.summary.set_index("movement").at[movement, "accounts"])

    def arr(self, movement: str) -> float:
        """ARR of the movement: at T, except churned accounts (their ARR at T-12)."""
        row = self.summary.set_index("movement").loc[movement]
        return float(row["arr_then"] if movement == "churned" else row["arr_now"])


def tier_migration(now: pd.DataFrame, then: pd.DataFrame) -> Migration:
    """Compare tiers at T (``now``) and T-12 (``then``), matched on ``account_id``.

    Tier order is the order at T; a tier that exists only at T-12 (``segment`` rule) comes
    after them.
    """
    order = [str(c) for c in now["tier"].cat.categories]
    order += [str(c) for c in then["tier"].cat.categories if str(c) not in order]
    position = {name: i for i, name in enumerate(order)}
    ids = np.concatenate([then["account_id"].to_numpy(dtype=object),
                          now["account_id"].to_numpy(dtype=object)])
    codes, uniques = pd.factorize(ids)  # hash-based union of the accounts, no sorting
    merged = pd.DataFrame({"account_id": uniques, "mrr_then": 0.0, "mrr_now": 0.0,
                           "tier_then": NOT_ACTIVE, "tier_now": NOT_ACTIVE})
    for frame, suffix, at in ((then, "then", codes[:len(then)]), (now, "now", codes[len(then):])):
        merged.loc[at, f"mrr_{suffix}"] = frame["mrr"].to_numpy(dtype=float)
        merged.loc[at, f"tier_{suffix}"] = frame["tier"].astype(str).to_numpy()
    p_then = merged["tier_then"].map(position)
    p_now = merged["tier_now"].map(position)
    merged["movement"] = np.select(
        [p_then.isna(), p_now.isna(), p_now < p_then, p_now > p_then],
        ["new", "churned", "up", "down"], default="same")
    summary = (merged.groupby("movement")
               .agg(accounts=("account_id", "size"), arr_then=("mrr_then", "sum"),
                    arr_now=("mrr_now", "sum"))
               .reindex(list(MOVEMENTS)).fillna(0.0).reset_index())
    summary["accounts"] = summary["accounts"].astype(int)
    summary[["arr_then", "arr_now"]] = summary[["arr_then", "arr_now"]] * 12
    summary.insert(1, "label", summary["movement"].map(MOVEMENTS))
    flows = (merged.groupby(["tier_then", "tier_now"])
             .agg(accounts=("account_id", "size"), arr_then=("mrr_then", "sum"),
                  arr_now=("mrr_now", "sum"))
             .reset_index())
    flows[["arr_then", "arr_now"]] = flows[["arr_then", "arr_now"]] * 12
    rank = {**position, NOT_ACTIVE: len(order)}
    flows = flows.sort_values(["tier_then", "tier_now"], key=lambda s: s.map(rank),
                              ignore_index=True)
    return Migration(summary, flows, tuple(order))
