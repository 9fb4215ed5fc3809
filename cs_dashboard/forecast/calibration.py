"""Calibration: predicted against observed churn by decile of predicted risk (pure).

The forecast made H months before the as-of month (rates measured from T - 2H) predicts each
account's churn rate by T from its band then; the accounts are ranked by that prediction,
riskiest first (ties by score, lowest first), and cut into ten groups of equal size. Each
group's predicted churn (ARR-weighted, a share of its ARR) is set against the share of its ARR
that actually churned by T. Out of sample: the rates never saw the outcomes they predict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Calibration:
    """``deciles``: ``decile`` (1 = riskiest), ``accounts``, ``arr`` (ARR at the origin),
    ``predicted`` and ``observed`` (churned share of the decile's ARR by the as-of month),
    ``observed_logo`` (churned share of its accounts), ``score_low``, ``score_high``. Empty
    with a ``note`` when the history is too short."""

    origin: dt.date
    as_of: dt.date
    deciles: pd.DataFrame = field(compare=False)
    note: str | None = None

    @property
    def available(self) -> bool:
        return self.note is None and not self.deciles.empty

    @property
    def mean_gap(self) -> float | None:
        """ARR-weighted mean of |predicted - observed| over the deciles (fraction)."""
        if not self.available:
            return None
        d = self.deciles
        return float(np.average((d["predicted"] - d["observed"]).abs(), weights=d["arr"]))

    @property
    def spread(self) -> tuple[float, float] | None:
        """Observed churn share of the riskiest and of the safest decile."""
        if not self.available:
            return None
        return float(self.deciles["observed"].iloc[0]), float(self.deciles["observed"].iloc[-1])


def calibration_from(rows: pd.DataFrame, origin: dt.date, as_of: dt.date) -> Calibration:
    """A ``Calibration`` from ``db.forecast.calibration_deciles`` rows (MRR sums)."""
    mrr0 = rows["mrr0"].to_numpy(dtype=float)
    deciles = pd.DataFrame({
        "decile": rows["decile"].astype(int), "accounts": rows["accounts"].astype(int),
        "arr": 12 * mrr0, "predicted": rows["predicted"] / mrr0,
        "observed": rows["churn"] / mrr0,
        "observed_logo": rows["churned"] / rows["accounts"],
        "score_low": rows["score_low"].astype(float), "score_high": rows["score_high"].astype(float),
    })
    return Calibration(origin, as_of, deciles.reset_index(drop=True))
