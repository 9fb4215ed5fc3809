"""The forecast's track record: the same method run as of earlier months, against what happened
(pure).

For an origin O (6 and 12 months before the as-of month T) the rates are measured from O - H
(the data available at O) and applied to the book at O; each month since is compared with the
actual GRR and NRR of that book (``docs/definitions.md``: GRR and NRR with O as the base month).
Errors are forecast - actual, in fractions (0.012 = 1.2 points).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cs_dashboard.forecast.model import DRAWS, LEVEL, SEED, Rates, fit_rates
from cs_dashboard.forecast.projection import book_of, project
from cs_dashboard.months import add_months, label

#: How long ago the track record's forecasts were made, in months (latest last).
ORIGINS: tuple[int, ...] = (12, 6)


def actuals(sums: pd.DataFrame, origin: dt.date, months: int) -> pd.DataFrame:
    """Actual GRR and NRR of the book at ``origin`` for k = 1..``months``: ``k``,
    ``grr_actual``, ``nrr_actual`` (from ``outcome_sums`` rows of that start month)."""
    rows = sums[(sums["start"] == origin) & (sums["k"] >= 1) & (sums["k"] <= months)]
    by_k = rows.groupby("k")[["mrr0", "churn", "contraction", "expansion"]].sum()
    loss = (by_k["churn"] + by_k["contraction"]) / by_k["mrr0"]
    return pd.DataFrame({"k": by_k.index.astype(int), "grr_actual": (1 - loss).to_numpy(),
                         "nrr_actual": (1 - loss + by_k["expansion"] / by_k["mrr0"]).to_numpy()})


@dataclass(frozen=True)
class Origin:
    """The forecast made ``months_back`` months before the as-of month, against what happened.

    ``rows``: ``month``, ``k``, then for ``grr`` and ``nrr``: the forecast, ``_low``, ``_high``,
    ``_actual``, ``_error`` (forecast - actual) and ``_inside`` (the actual within the
    interval). Empty with a ``note`` when the history was too short to forecast then.
    """

    origin: dt.date
    months_back: int
    rows: pd.DataFrame = field(compare=False)
    note: str | None = None
    book_arr: float = 0.0

    @property
    def available(self) -> bool:
        return self.note is None and not self.rows.empty

    def mae(self, metric: str = "grr") -> float | None:
        """Mean absolute error (fraction) over the months since the origin."""
        return float(self.rows[f"{metric}_error"].abs().mean()) if self.available else None

    def inside_share(self, metric: str = "grr") -> float | None:
        """Share of those months whose actual fell inside the interval."""
        return float(self.rows[f"{metric}_inside"].mean()) if self.available else None

    def last(self) -> pd.Series | None:
        """The latest month compared (the as-of month)."""
        return self.rows.iloc[-1] if self.available else None


@dataclass(frozen=True)
class TrackRecord:
    """The track record at ``as_of``: one ``Origin`` per entry of ``ORIGINS``."""

    as_of: dt.date
    horizon: int
    level: float
    origins: tuple[Origin, ...]

    def at(self, months_back: int) -> Origin | None:
        return next((o for o in self.origins if o.months_back == months_back), None)

    @property
    def available(self) -> tuple[Origin, ...]:
        return tuple(o for o in self.origins if o.available)

    @property
    def longest(self) -> Origin | None:
        """The earliest origin with a forecast (the headline's "last year's forecast")."""
        found = self.available
        return max(found, key=lambda o: o.months_back) if found else None


def too_short(first: dt.date, start: dt.date, horizon: int, what: str) -> str:
    """Why ``what`` cannot be forecast: its rates would start at ``start``, before ``first``."""
    return (f"{what} needs {horizon} months of history before it, from {label(start)}; the data "
            f"starts in {label(first)}.")


def build_record(sums: pd.DataFrame, as_of: dt.date, horizon: int, first: dt.date,
                 origins: Sequence[int] = ORIGINS, draws: int = int(DRAWS.value),
                 seed: int = int(SEED.value), level: float = LEVEL.value,
                 fitted: Mapping[dt.date, Rates] | None = None) -> TrackRecord:
    """The track record from ``outcome_sums`` rows of every start month it needs (see
    ``starts``): for each origin, the rates from origin - ``horizon`` (taken from ``fitted``
    when it has them), the book at the origin and its actuals up to ``as_of``."""
    fitted = fitted or {}
    found = []
    for back in origins:
        origin = add_months(as_of, -back)
        start = add_months(origin, -horizon)
        months = min(horizon, back)
        if start < first:
            found.append(Origin(origin, back, pd.DataFrame(),
                                too_short(first, start, horizon, f"The forecast as of {label(origin)}")))
            continue
        book = book_of(sums, origin)
        if book.arr <= 0 or sums[(sums["start"] == start) & (sums["k"] == 0)]["mrr0"].sum() <= 0:
            found.append(Origin(origin, back, pd.DataFrame(),
                                f"No account was active in {label(start)} or {label(origin)}."))
            continue
        rates = fitted.get(start) or fit_rates(sums, start, horizon, draws, seed)
        projection = project(rates, book, months, level, seed)
        rows = projection.monthly[["month", "k", "grr", "grr_low", "grr_high", "nrr", "nrr_low",
                                   "nrr_high"]].merge(actuals(sums, origin, months), on="k")
        for metric in ("grr", "nrr"):
            actual = rows[f"{metric}_actual"]
            rows[f"{metric}_error"] = rows[metric] - actual
            rows[f"{metric}_inside"] = np.asarray((rows[f"{metric}_low"] <= actual + 1e-12)
                                                  & (actual <= rows[f"{metric}_high"] + 1e-12))
        found.append(Origin(origin, back, rows, None, book.arr))
    return TrackRecord(as_of, horizon, float(level), tuple(found))


def starts(as_of: dt.date, horizon: int, first: dt.date,
           origins: Sequence[int] = ORIGINS) -> dict[dt.date, int]:
    """The start months (and months to follow) the track record needs: each origin's rates
    start (followed ``horizon`` months) and each origin (followed to ``as_of``, at most
    ``horizon`` months)."""
    needed: dict[dt.date, int] = {}
    for back in origins:
        origin = add_months(as_of, -back)
        start = add_months(origin, -horizon)
        if start < first:
            continue
        for month, months in ((start, horizon), (origin, min(horizon, back))):
            needed[month] = max(needed.get(month, 0), months)
    return needed
