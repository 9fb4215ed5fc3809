"""A book projected with rates by band: expected churn, contraction and expansion ARR, GRR
and NRR for each month ahead, with intervals (pure).

Applied to a book (the accounts active at the as-of month, each in its band now), the expected
churn ARR k months on is the sum over bands of the band's ARR x its churn rate at k, and so on;
GRR and NRR follow exactly as they are defined (``docs/definitions.md``, with the as-of month as base).
The interval adds two uncertainties: how precisely the rates are known (their bootstrap
replicates, ``model.fit_rates``) and which accounts happen to leave (each band's outcome drawn
from a normal with the variance of its accounts' outcomes: the sum of ARR² x the ARR-weighted
variance of the outcome shares the rates were measured on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cs_dashboard.forecast.model import BANDS, LEVEL, POOLED, SEED, Rates
from cs_dashboard.months import add_months

#: Replicate quantities: churn, loss (churn + contraction) and net change (expansion - loss).
_MEANS = ("churn", "loss", "net")


@dataclass(frozen=True)
class Book:
    """The accounts a forecast applies to, per band at its origin month: ``band``,
    ``accounts``, ``arr`` (ARR), ``arr_sq`` (sum of each account's ARR squared)."""

    origin: dt.date
    table: pd.DataFrame = field(compare=False)

    @property
    def arr(self) -> float:
        return float(self.table["arr"].sum())

    @property
    def accounts(self) -> int:
        return int(self.table["accounts"].sum())


def book_of(sums: pd.DataFrame, origin: dt.date) -> Book:
    """The book at ``origin`` from the ``k`` = 0 rows of ``outcome_sums``."""
    rows = sums[(sums["start"] == origin) & (sums["k"] == 0)]
    grouped = rows.groupby("band", sort=False)[["accounts", "mrr0", "mrr0_sq"]].sum()
    present = [b for b in BANDS if b in grouped.index] + sorted(set(grouped.index) - set(BANDS))
    grouped = grouped.reindex(present)
    return Book(origin, pd.DataFrame({
        "band": present, "accounts": grouped["accounts"].astype(int).to_numpy(),
        "arr": 12 * grouped["mrr0"].to_numpy(dtype=float),
        "arr_sq": 144 * grouped["mrr0_sq"].to_numpy(dtype=float)}))


@dataclass(frozen=True)
class Projection:
    """A forecast of one book with one set of rates.

    ``monthly``: one row per k = 1..horizon: ``month`` (origin + k), ``k``, the expected
    ``churn_arr``, ``contraction_arr`` and ``expansion_arr`` by then (cumulative from the
    origin, annual dollars), ``churn_in_month`` and ``contraction_in_month`` (their change in
    that month), ``grr`` and ``nrr`` (fractions, the origin's book as base), and the interval
    bounds ``churn_arr_low``/``_high``, ``grr_low``/``_high``, ``nrr_low``/``_high``.
    ``by_band``: the book per band with the rates it uses at the horizon (``rates_from``: the
    band itself or ``POOLED``) and its expected ``churn_arr``, ``contraction_arr``,
    ``expansion_arr`` at the horizon.
    """

    origin: dt.date
    horizon: int
    level: float
    rates_start: dt.date
    book_arr: float
    book_accounts: int
    monthly: pd.DataFrame = field(compare=False)
    by_band: pd.DataFrame = field(compare=False)

    def at(self, k: int | None = None) -> pd.Series:
        """The monthly row ``k`` months after the origin (default: the horizon)."""
        k = self.horizon if k is None else k
        return self.monthly[self.monthly["k"] == k].iloc[0]

    @property
    def pooled_bands(self) -> tuple[str, ...]:
        """Bands of the book that had no account at the rates' start (they use the pool's)."""
        return tuple(self.by_band.loc[self.by_band["rates_from"] == POOLED, "band"])


def project(rates: Rates, book: Book, horizon: int | None = None,
            level: float = LEVEL.value, seed: int = int(SEED.value)) -> Projection:
    """Expected churn, contraction and expansion ARR, GRR and NRR of ``book`` for each of the
    next ``horizon`` months (default: the rates'), with ``level`` intervals (see the module
    docstring)."""
    horizon = rates.horizon if horizon is None else min(int(horizon), rates.horizon)
    rng = np.random.default_rng(seed + 1)
    total = book.arr
    bands = list(book.table["band"])
    arr = book.table["arr"].to_numpy(dtype=float)
    arr_sq = book.table["arr_sq"].to_numpy(dtype=float)
    expected = {q: np.zeros(horizon) for q in ("churn", "contraction", "expansion")}
    simulated: dict[str, np.ndarray] = {}
    rows = []
    for i, band in enumerate(bands):
        d = rates.draws_of(band)
        mean = {q: v[:horizon] for q, v in d.mean.items()}
        expected["churn"] += arr[i] * mean["churn"]
        expected["contraction"] += arr[i] * (mean["loss"] - mean["churn"])
        expected["expansion"] += arr[i] * (mean["net"] + mean["loss"])
        for q in _MEANS:
            mu = d.draw_mean[q][:, :horizon]
            var = np.maximum(d.draw_second[q][:, :horizon] - mu * mu, 0.0)
            outcome = arr[i] * mu + np.sqrt(arr_sq[i] * var) * rng.standard_normal(mu.shape)
            outcome = np.clip(outcome, -arr[i], None if q == "net" else arr[i])
            if q != "net":
                outcome = np.maximum(outcome, 0.0)
            simulated[q] = simulated.get(q, 0.0) + outcome
        rows.append({"band": band, "accounts": int(book.table["accounts"].iloc[i]),
                     "arr": arr[i], "rates_from": rates.source(band),
                     "churn_rate": mean["churn"][-1], "loss_rate": mean["loss"][-1],
                     "net_rate": mean["net"][-1], "churn_arr": arr[i] * mean["churn"][-1],
                     "contraction_arr": arr[i] * (mean["loss"][-1] - mean["churn"][-1]),
                     "expansion_arr": arr[i] * (mean["net"][-1] + mean["loss"][-1])})
    lo, hi = (1 - level) / 2, (1 + level) / 2
    share = (lambda v: v / total) if total > 0 else (lambda v: np.full_like(v, np.nan))
    loss = expected["churn"] + expected["contraction"]
    churn = np.quantile(simulated["churn"], [lo, hi], axis=0)
    grr = 1 - share(np.quantile(simulated["loss"], [hi, lo], axis=0))
    nrr = 1 + share(np.quantile(simulated["net"], [lo, hi], axis=0))
    monthly = pd.DataFrame({
        "month": [add_months(book.origin, k) for k in range(1, horizon + 1)],
        "k": np.arange(1, horizon + 1),
        "churn_arr": expected["churn"], "contraction_arr": expected["contraction"],
        "expansion_arr": expected["expansion"],
        "churn_in_month": np.diff(expected["churn"], prepend=0.0),
        "contraction_in_month": np.diff(expected["contraction"], prepend=0.0),
        "grr": 1 - share(loss), "nrr": 1 + share(expected["expansion"] - loss),
        "churn_arr_low": churn[0], "churn_arr_high": churn[1],
        "grr_low": grr[0], "grr_high": grr[1], "nrr_low": nrr[0], "nrr_high": nrr[1]})
    return Projection(book.origin, horizon, float(level), rates.start, total, book.accounts,
                      monthly, pd.DataFrame(rows))


def moved_value(rates: Rates, arr: Sequence[float], target: str, level: float = LEVEL.value,
                source: str = "red", horizon: int | None = None) -> tuple[float, float, float]:
    """ARR kept by moving accounts of ARR ``arr`` from ``source`` to ``target`` band: the
    expected value at the horizon, ``sum(arr) x (loss rate of source - loss rate of target)``,
    and its ``level`` interval from the rates' bootstrap replicates."""
    k = (rates.horizon if horizon is None else horizon) - 1
    total = float(np.sum(arr))
    before, after = rates.draws_of(source), rates.draws_of(target)
    expected = total * (before.mean["loss"][k] - after.mean["loss"][k])
    spread = total * (before.draw_mean["loss"][:, k] - after.draw_mean["loss"][:, k])
    low, high = np.quantile(spread, [(1 - level) / 2, (1 + level) / 2])
    return float(expected), float(low), float(high)
