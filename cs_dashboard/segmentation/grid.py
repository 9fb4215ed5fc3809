"""The complexity x potential 3x3 grid, the touch-model choice of the reference material.

Potential is the account's ``potential_arr`` (annual USD), split into terciles over the active
accounts that have it (Low below the first tercile, High from the second), unless explicit
thresholds are given. Complexity is the account's ``complexity``: the labels Low / Medium /
High (any case), or numbers split into terciles the same way. Accounts without either are
counted as unclassified. ARR in the cells is 12 x MRR at T.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

COMPLEXITY_LEVELS = ("Low", "Medium", "High")
POTENTIAL_LEVELS = ("Low", "Medium", "High")
#: Suggested touch model by complexity level + potential level (0 = Low ... 2 = High each):
#: both high -> high touch, both low -> tech touch, the rest low touch (Customer Success book:
#: segment by complexity x potential, three touch models).
TOUCH_BY_SCORE = {0: "Tech touch", 1: "Tech touch", 2: "Low touch", 3: "High touch",
                  4: "High touch"}


@dataclass(frozen=True)
class Grid:
    """``cells``: 9 rows (``complexity``, ``potential``, ``accounts``, ``arr``, ``share_arr``,
    ``touch``); ``potential_cuts``: the two potential ARR thresholds (USD a year);
    ``unclassified``: active accounts missing complexity or potential."""

    cells: pd.DataFrame
    potential_cuts: tuple[float, float]
    unclassified: int


def _levels(values: pd.Series, cuts: tuple[float, float] | None = None
            ) -> tuple[pd.Series, tuple[float, float] | None]:
    """Level 0/1/2 per value (NaN when unknown) and the cuts used for numbers."""
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().any() and (cuts is not None or numeric.notna().sum() >= values.notna().sum()):
        known = numeric.dropna().to_numpy(dtype=float)
        if cuts is None:
            q1, q2 = np.quantile(known, [1 / 3, 2 / 3]) if len(known) else (np.nan, np.nan)
            cuts = (float(q1), float(q2))
        level = pd.Series(np.where(numeric >= cuts[1], 2, np.where(numeric >= cuts[0], 1, 0)),
                          index=values.index, dtype=float)
        return level.where(numeric.notna()), cuts
    names = {name.lower(): i for i, name in enumerate(COMPLEXITY_LEVELS)}
    return values.astype("string").str.strip().str.lower().map(names).astype(float), None


def complexity_potential_grid(tiered: pd.DataFrame, attributes: pd.DataFrame,
                              potential_cuts: tuple[float, float] | None = None) -> Grid | None:
    """The 3x3 grid, or ``None`` when ``attributes`` lacks ``complexity`` or ``potential_arr``.

    ``attributes``: ``account_id``, ``complexity``, ``potential_arr`` (one row per account).
    """
    if not {"complexity", "potential_arr"} <= set(attributes.columns):
        return None
    frame = tiered[["account_id", "mrr"]].merge(
        attributes[["account_id", "complexity", "potential_arr"]], on="account_id", how="left")
    complexity, _ = _levels(frame["complexity"])
    potential, cuts = _levels(pd.to_numeric(frame["potential_arr"], errors="coerce"), potential_cuts)
    known = complexity.notna() & potential.notna()
    frame = frame.assign(c=complexity, p=potential)[known]
    index = pd.MultiIndex.from_product([range(3), range(3)], names=["c", "p"])
    cells = (frame.groupby(["c", "p"]).agg(accounts=("account_id", "size"), mrr=("mrr", "sum"))
             .reindex(index, fill_value=0).reset_index())
    total = cells["mrr"].sum()
    cells = pd.DataFrame({
        "complexity": [COMPLEXITY_LEVELS[int(c)] for c in cells["c"]],
        "potential": [POTENTIAL_LEVELS[int(p)] for p in cells["p"]],
        "accounts": cells["accounts"].astype(int),
        "arr": 12 * cells["mrr"].astype(float),
        "share_arr": cells["mrr"] / total if total else 0.0,
        "touch": [TOUCH_BY_SCORE[int(c + p)] for c, p in zip(cells["c"], cells["p"], strict=True)],
    })
    cuts = cuts if cuts is not None else (float("nan"), float("nan"))
    return Grid(cells, cuts, int((~known).sum()))
