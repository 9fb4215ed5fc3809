"""The retention forecast: rates by health band and what they imply for a book (pure).

The model (``docs/forecast.md``): take the accounts active at a start month S, each in the
health band it had then (scored as every health figure is), and measure for every band and
every k months after S the share of the band's ARR at S lost to churn (the back-test's churn:
a month without revenue by then), lost to contraction, and gained by expansion. Applied to a
book (the accounts active at the as-of month, each in its band now), the expected churn ARR k
months on is the sum over bands of the band's ARR x its churn rate, and so on; GRR and NRR
follow from them exactly as they are defined (``metrics.md``, with the as-of month as base).

The interval adds two uncertainties: how precisely the rates are known (a bootstrap: the rates
measured again on the band's accounts drawn with replacement, ``draws`` times, through the
blocks of ``db.forecast``) and which accounts happen to leave (each band's outcome drawn from a
normal with the variance of its accounts' outcomes: the sum of ARR² x the variance, weighted by
ARR, of the outcome shares the rates were measured on).

Input sums come from ``db.forecast.outcome_sums`` (or ``paths.outcome_sums``): per start
month, band, block and k. Money there is monthly (MRR); results here are annual (ARR = 12 x MRR).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from cs_dashboard.health.scoring import BAND_ORDER, UNSCORED, Default
from cs_dashboard.months import add_months

#: Every band a book can hold, in display order.
BANDS: tuple[str, ...] = (*BAND_ORDER, UNSCORED)
#: The rates of a band without accounts at S: those of every account at S together.
POOLED = "all accounts"

HORIZON = Default("months ahead", 12.0,
                  "issue 14: expected GRR and NRR for each of the next 12 months")
LEVEL = Default("interval level", 0.9, "issue 14: 90% intervals (about 9 in 10 should hold "
                "the actual)")
DRAWS = Default("bootstrap draws", 1000.0, "enough for stable 5th and 95th percentiles")
BLOCKS = Default("bootstrap blocks per band", 250.0,
                 "accounts are resampled in up to this many groups per band (one account per "
                 "group in smaller bands), so 200,000 accounts stay fast")
SEED = Default("random seed", 0.0, "a fixed seed: the same data always gives the same interval")
DEFAULTS: tuple[Default, ...] = (HORIZON, LEVEL, DRAWS, BLOCKS, SEED)

#: Columns of the sums (``db.forecast.outcome_sums``): the book at the start month, and per
#: k >= 1 its outcomes (MRR dollars; ``<part>_sq`` = sum of part² / M0 per account).
BOOK = ("accounts", "mrr0", "mrr0_sq")
OUTCOMES = ("churned", "churn", "contraction", "expansion", "churn_sq", "loss_sq", "net_sq")
SUMS = (*BOOK, *OUTCOMES)

#: Replicate quantities: churn, loss (churn + contraction) and net change (expansion - loss).
_MEANS = ("churn", "loss", "net")


class ForecastInputError(ValueError):
    """Forecast options that cannot be used (user-facing message)."""


def check_options(months: int, draws: int, level: float) -> None:
    """Raise ``ForecastInputError`` for a horizon outside 1..24 months, fewer than 10 draws or
    an interval level outside (0, 1)."""
    if not 1 <= int(months) <= 24 or int(months) != months:
        raise ForecastInputError(f"months ahead must be a whole number from 1 to 24, not {months}")
    if int(draws) < 10:
        raise ForecastInputError(f"the bootstrap needs at least 10 draws, not {draws}")
    if not 0 < float(level) < 1:
        raise ForecastInputError(f"the interval level must be between 0 and 1, not {level}")


@dataclass(frozen=True)
class BandDraws:
    """One band's rates by k (index 0 is k = 1): the point estimates (``mean[q]``, second
    moments ``second[q]`` for q in churn, loss, net) and their bootstrap replicates
    (``draws`` x horizon arrays)."""

    mean: dict[str, np.ndarray]
    second: dict[str, np.ndarray]
    draw_mean: dict[str, np.ndarray]
    draw_second: dict[str, np.ndarray]


@dataclass(frozen=True)
class Rates:
    """Rates by band measured from ``start`` (S) over ``horizon`` months.

    ``table``: one row per band with accounts at S and every k: ``band``, ``k``, ``accounts``,
    ``arr`` (ARR at S), ``churned`` (accounts churned by k), ``logo_churn_rate`` (their share:
    the back-test's churn rate by band), ``churn_rate``, ``contraction_rate``,
    ``expansion_rate`` (shares of the band's ARR at S), ``grr`` and ``nrr`` (the band's own).
    ``bands`` holds each band's point estimates and bootstrap replicates; ``pooled`` those of
    every account at S together (computed when first asked for: the rates of a band that had
    no account at S).
    """

    start: dt.date
    horizon: int
    table: pd.DataFrame = field(compare=False)
    bands: dict[str, BandDraws] = field(compare=False, repr=False)
    pool_blocks: np.ndarray = field(compare=False, repr=False)
    draws: int = int(DRAWS.value)
    seed: int = int(SEED.value)

    def rate(self, band: str, name: str = "churn_rate", k: int | None = None) -> float | None:
        """One rate of ``band`` at ``k`` (default: the horizon); ``None`` without accounts."""
        k = self.horizon if k is None else k
        row = self.table[(self.table["band"] == band) & (self.table["k"] == k)]
        return None if row.empty else float(row[name].iloc[0])

    def source(self, band: str) -> str:
        """The band whose rates ``band`` uses: itself, or ``POOLED`` when it had no account."""
        return band if band in self.bands else POOLED

    @cached_property
    def pooled(self) -> BandDraws:
        return _band_draws(self.pool_blocks, self.draws, np.random.default_rng([self.seed, 1]))

    def draws_of(self, band: str) -> BandDraws:
        found = self.bands.get(band)
        return self.pooled if found is None else found


#: The outcome sums a band's blocks carry, per k, and where they sit in ``SUMS``.
_PARTS = ("churn", "contraction", "expansion", "churn_sq", "loss_sq", "net_sq")
_AT = {name: i for i, name in enumerate(SUMS)}


def _cube(rows: pd.DataFrame, horizon: int) -> tuple[list[str], np.ndarray]:
    """One start month's sums as an array: bands x blocks x k (0..horizon) x ``SUMS``, bands
    in display order (zeros where a band has no account in a block)."""
    names = [b for b in BANDS if b in set(rows["band"])]
    names += sorted(set(rows["band"]) - set(names))
    band = pd.Categorical(rows["band"], categories=names).codes
    block, _ = pd.factorize(rows["block"])
    cube = np.zeros((len(names), block.max() + 1, horizon + 1, len(SUMS)))
    cube[band, block, rows["k"].to_numpy(dtype=int)] = rows[list(SUMS)].to_numpy(dtype=float)
    return names, cube


def _moments(mrr0: np.ndarray | float, parts: np.ndarray) -> tuple[dict, dict]:
    """Means (per unit of MRR at S) and second moments of churn, loss and net from sums
    (``parts``: ... x horizon x ``_PARTS``; ``mrr0`` a total, or one per replicate)."""
    mrr0 = np.asarray(mrr0, dtype=float)[..., None]
    churn, contraction, expansion, churn_sq, loss_sq, net_sq = np.moveaxis(parts, -1, 0)
    mean = {"churn": churn / mrr0, "loss": (churn + contraction) / mrr0,
            "net": (expansion - churn - contraction) / mrr0}
    second = {"churn": churn_sq / mrr0, "loss": loss_sq / mrr0, "net": net_sq / mrr0}
    return mean, second


def _band_draws(blocks: np.ndarray, draws: int, rng: np.random.Generator) -> BandDraws:
    """Point estimates and bootstrap replicates of one band (or the pool) from its blocks
    (blocks x k x ``SUMS``): each replicate draws as many blocks as it has, with replacement."""
    mrr0 = blocks[:, 0, _AT["mrr0"]]
    parts = blocks[:, 1:, [_AT[n] for n in _PARTS]]
    mean, second = _moments(mrr0.sum(), parts.sum(axis=0))
    n = mrr0.size
    picks = rng.integers(0, n, size=(draws, n)) + n * np.arange(draws)[:, None]
    counts = np.bincount(picks.ravel(), minlength=draws * n).reshape(draws, n).astype(float)
    picked = (counts @ parts.reshape(n, -1)).reshape(draws, *parts.shape[1:])
    draw_mean, draw_second = _moments(counts @ mrr0, picked)
    return BandDraws(mean, second, draw_mean, draw_second)


def fit_rates(sums: pd.DataFrame, start: dt.date, horizon: int, draws: int = int(DRAWS.value),
              seed: int = int(SEED.value)) -> Rates:
    """Rates by band from ``outcome_sums`` rows of one start month S (``k`` = 0..``horizon``),
    with ``draws`` bootstrap replicates (resampling each band's blocks with replacement)."""
    rows = sums[(sums["start"] == start) & (sums["k"] <= horizon)]
    if rows.empty or rows.loc[rows["k"] == 0, "mrr0"].sum() <= 0:
        raise ValueError(f"no account was active at {start} to measure rates on")
    names, cube = _cube(rows, horizon)
    present = cube[:, :, 0, _AT["accounts"]] > 0
    rng = np.random.default_rng(seed)
    by_band = {name: _band_draws(cube[i][present[i]], draws, rng) for i, name in enumerate(names)}
    # the pool: every account at S, in the same blocks (a block's accounts of every band)
    pool = cube.sum(axis=0)[present.any(axis=0)]
    return Rates(start, horizon, rate_table(names, cube.sum(axis=1)), by_band, pool, draws, seed)


def rate_table(names: Sequence[str], totals: np.ndarray) -> pd.DataFrame:
    """The ``Rates.table`` from each band's totals (bands x k x ``SUMS``)."""
    horizon = totals.shape[1] - 1
    at = totals[:, 1:, :]

    def col(name: str) -> np.ndarray:
        return at[:, :, _AT[name]].ravel()

    accounts = np.repeat(totals[:, 0, _AT["accounts"]], horizon)
    mrr0 = np.repeat(totals[:, 0, _AT["mrr0"]], horizon)
    out = pd.DataFrame({
        "band": np.repeat(np.array(names, dtype=object), horizon),
        "k": np.tile(np.arange(1, horizon + 1), len(names)),
        "accounts": accounts.astype(int), "arr": 12 * mrr0,
        "churned": col("churned").astype(int),
        "logo_churn_rate": col("churned") / accounts,
        "churn_rate": col("churn") / mrr0, "contraction_rate": col("contraction") / mrr0,
        "expansion_rate": col("expansion") / mrr0,
    })
    out["grr"] = 1 - out["churn_rate"] - out["contraction_rate"]
    out["nrr"] = out["grr"] + out["expansion_rate"]
    return out


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
