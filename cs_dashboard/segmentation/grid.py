"""The complexity x potential 3x3 grid, the touch-model choice (docs/segmentation.md).

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
            ) -> tuple[np.ndarray, tuple[float, float] | None]:
    """Level 0/1/2 per value (NaN when unknown) and the cuts used when the values are numbers.

    Values are factorised first, so parsing touches each distinct value once.
    """
    codes, uniques = pd.factorize(values)
    as_numbers = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(float)
    if len(uniques) and not np.isnan(as_numbers).any():
        numeric = np.append(as_numbers, np.nan)[codes]  # code -1 (missing) -> NaN
        if cuts is None:
            known = numeric[~np.isnan(numeric)]
            q1, q2 = np.quantile(known, [1 / 3, 2 / 3])
            cuts = (float(q1), float(q2))
        level = np.where(numeric >= cuts[1], 2.0, np.where(numeric >= cuts[0], 1.0, 0.0))
        return np.where(np.isnan(numeric), np.nan, level), cuts
    names = {name.lower(): float(i) for i, name in enumerate(COMPLEXITY_LEVELS)}
    lookup = np.array([names.get(str(u).strip().lower(), np.nan) for u in uniques] + [np.nan])
    return lookup[codes], None


def complexity_potential_grid(tiered: pd.DataFrame, attributes: pd.DataFrame,
                              potential_cuts: tuple[float, float] | None = None) -> Grid | None:
    """The 3x3 grid, or ``None`` when ``attributes`` lacks ``complexity`` or ``potential_arr``.

    ``attributes``: ``account_id``, ``complexity``, ``potential_arr`` (one row per account).
    """
    if not {"complexity", "potential_arr"} <= set(attributes.columns):
        return None
    attrs = attributes.drop_duplicates("account_id").set_index("account_id")
    attrs = attrs.reindex(tiered["account_id"].to_numpy())
    complexity, _ = _levels(attrs["complexity"])
    potential, cuts = _levels(attrs["potential_arr"], potential_cuts)
    known = ~np.isnan(complexity) & ~np.isnan(potential)
    frame = pd.DataFrame({"account_id": tiered["account_id"].to_numpy()[known],
                          "mrr": tiered["mrr"].to_numpy(dtype=float)[known],
                          "c": complexity[known].astype(int), "p": potential[known].astype(int)})
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
