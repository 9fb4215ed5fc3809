"""The retention forecast's model: rates by health band, measured from a start month (pure).

The model (``docs/forecast.md``): take the accounts active at a start month S, each in the
health band it had then (scored as every health figure is), and measure for every band and
every k months after S the share of the band's ARR at S lost to churn (the back-test's churn:
a month without revenue by then), lost to contraction, and gained by expansion. Applied to a
book (the accounts active at the as-of month, each in its band now), the expected churn ARR k
months on is the sum over bands of the band's ARR x its churn rate, and so on; GRR and NRR
follow from them exactly as they are defined (``docs/definitions.md``, with the as-of month as base).

The rates carry bootstrap replicates (measured again on the band's accounts drawn with
replacement, ``draws`` times, through the blocks of ``db.forecast``) and the second moments of
the outcome shares, from which ``projection`` draws its interval.

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

from cs_dashboard.errors import InputError
from cs_dashboard.health.scoring import BAND_ORDER, UNSCORED
from cs_dashboard.presets import Preset, declare

#: Every band a book can hold, in display order.
BANDS: tuple[str, ...] = (*BAND_ORDER, UNSCORED)
#: The rates of a band without accounts at S: those of every account at S together.
POOLED = "all accounts"

HORIZON = declare("months ahead", 12.0, "months",
                  "How far the retention forecast and the renewals look ahead by default.",
                  "a year: expected GRR and NRR for each of the next 12 months")
LEVEL = declare("interval level", 0.9, "share", "The forecast's intervals hold this share of "
                "outcomes.", "90% intervals: about 9 in 10 should hold the actual")
DRAWS = declare("bootstrap draws", 1000.0, "count", "Resamples behind the forecast's intervals.",
                "enough for stable 5th and 95th percentiles")
BLOCKS = declare("bootstrap blocks per band", 250.0, "count",
                 "Accounts are resampled in up to this many groups per band.",
                 "one account per group in smaller bands, so 200,000 accounts stay fast")
SEED = declare("random seed", 0.0, "count", "The seed of the bootstrap.",
               "a fixed seed: the same data always gives the same interval")
DEFAULTS: tuple[Preset, ...] = (HORIZON, LEVEL, DRAWS, BLOCKS, SEED)

#: Columns of the sums (``db.forecast.outcome_sums``): the book at the start month, and per
#: k >= 1 its outcomes (MRR dollars; ``<part>_sq`` = sum of part² / M0 per account).
BOOK = ("accounts", "mrr0", "mrr0_sq")
OUTCOMES = ("churned", "churn", "contraction", "expansion", "churn_sq", "loss_sq", "net_sq")
SUMS = (*BOOK, *OUTCOMES)

class ForecastInputError(InputError):
    """Forecast options that cannot be used."""

    subject = "The forecast options"


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
