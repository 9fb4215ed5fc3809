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
    inactive = len(order)  # the position standing for "not active"
    ids = np.concatenate([then["account_id"].to_numpy(dtype=object),
                          now["account_id"].to_numpy(dtype=object)])
    codes, uniques = pd.factorize(ids)  # hash-based union of the accounts, no sorting
    size = len(uniques)
    pos = {"then": np.full(size, inactive), "now": np.full(size, inactive)}
    mrr = {"then": np.zeros(size), "now": np.zeros(size)}
    for frame, when, at in ((then, "then", codes[:len(then)]), (now, "now", codes[len(then):])):
        by_code = np.array([order.index(str(c)) for c in frame["tier"].cat.categories] or [0])
        pos[when][at] = by_code[frame["tier"].cat.codes.to_numpy()]
        mrr[when][at] = frame["mrr"].to_numpy(dtype=float)
    p_then, p_now = pos["then"], pos["now"]
    movement = np.select(
        [p_then == inactive, p_now == inactive, p_now < p_then, p_now > p_then],
        [3, 4, 0, 2], default=1)  # indexes into MOVEMENTS: up, same, down, new, churned
    keys = list(MOVEMENTS)
    summary = pd.DataFrame({
        "movement": keys, "label": [MOVEMENTS[k] for k in keys],
        "accounts": np.bincount(movement, minlength=5).astype(int),
        "arr_then": 12 * np.bincount(movement, weights=mrr["then"], minlength=5),
        "arr_now": 12 * np.bincount(movement, weights=mrr["now"], minlength=5),
    })
    names = [*order, NOT_ACTIVE]
    width = inactive + 1
    pair = p_then * width + p_now
    counts = np.bincount(pair, minlength=width * width)
    arr_then = 12 * np.bincount(pair, weights=mrr["then"], minlength=width * width)
    arr_now = 12 * np.bincount(pair, weights=mrr["now"], minlength=width * width)
    present = np.flatnonzero(counts)
    flows = pd.DataFrame({
        "tier_then": [names[i // width] for i in present],
        "tier_now": [names[i % width] for i in present],
        "accounts": counts[present].astype(int),
        "arr_then": arr_then[present], "arr_now": arr_now[present],
    })
    return Migration(summary, flows, tuple(order))
