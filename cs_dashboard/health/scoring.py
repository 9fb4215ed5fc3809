"""Composite health score, bands, dragging component and ARR at risk (pure, no I/O).

Definitions: ``docs/definitions.md`` (Health). Components and scores are points on a 0..100 scale;
money is annual (ARR = 12 x monthly MRR) unless a column says ``mrr``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_dashboard.errors import InputError
from cs_dashboard.periods import quarter_names
from cs_dashboard.presets import Preset, declare

BAND_ORDER: tuple[str, ...] = ("red", "yellow", "green")
UNSCORED = "unscored"
#: Tolerance for band edges, so a weighted mean of exactly 70 that floats to 69.999999999 is 70.
EDGE_EPS = 1e-9


class HealthInputError(InputError):
    """Weights or bands that cannot be applied."""

    subject = "The score settings"


DEFAULT_WEIGHT = declare(
    "weight of each component", 1.0, "ratio",
    "The weight a health component starts with on the Health page.",
    "equal weights (the plain mean of the components an account has) until the user edits them")
MOST_WEIGHT = declare(
    "largest weight of a component", 5.0, "ratio",
    "The Health page's weight sliders go up to this (in steps of a tenth of it).",
    "five times the default weight: enough for one component to dominate the score")
RED_BELOW = declare("red below", 70.0, "points", "Scores below this are in the red band.",
                    "CS health practice: intervention below 70 (docs/definitions.md, Health)")
GREEN_FROM = declare("green from", 85.0, "points", "Scores from this up are in the green band.",
                     "CS health practice: advocacy at 85 and above (docs/definitions.md, Health)")
YELLOW_AT_RISK = declare("share of yellow ARR counted at risk", 0.5, "share",
                         "The second ARR-at-risk figure adds this share of yellow ARR.",
                         "docs/definitions.md, Health: red ARR plus half of yellow ARR")
DEFAULTS: tuple[Preset, ...] = (DEFAULT_WEIGHT, RED_BELOW, GREEN_FROM, YELLOW_AT_RISK)
DEFAULT_BANDS: tuple[float, float] = (RED_BELOW.value, GREEN_FROM.value)

Weights = tuple[tuple[str, float], ...]


def resolve_weights(components: Sequence[str], weights: Iterable[tuple[str, float]] = ()) -> Weights:
    """Weight of every component, in the data's order: the given ones, else the default.

    Raises ``HealthInputError`` for unknown names, negative or non-finite weights, or when
    every weight is zero. Zero-weight components are dropped (they do not count at all).
    """
    given = dict(weights)
    unknown = sorted(set(given) - set(components))
    if unknown:
        known = ", ".join(components) or "none"
        raise HealthInputError(f"unknown health component(s): {', '.join(unknown)} (the data has: {known})")
    out = []
    for name in components:
        w = float(given.get(name, DEFAULT_WEIGHT.value))
        if not math.isfinite(w) or w < 0:
            raise HealthInputError(f"the weight of {name!r} must be zero or positive, not {w}")
        if w > 0:
            out.append((name, w))
    if components and not out:
        raise HealthInputError("at least one component needs a positive weight")
    return tuple(out)


def check_bands(bands: Sequence[float]) -> tuple[float, float]:
    """``(red_below, green_from)`` validated: 0 < red_below < green_from <= 100."""
    if len(bands) != 2:
        raise HealthInputError("bands are two thresholds: red below, green from (e.g. 70,85)")
    red, green = (float(b) for b in bands)
    if not (0 < red < green <= 100):
        raise HealthInputError(
            f"band thresholds must satisfy 0 < red < green <= 100 (got red below {red:g}, "
            f"green from {green:g})")
    return red, green


def check_settings(weights: Weights, bands: Sequence[float],
                   components: Sequence[str]) -> tuple[float, float]:
    """The score settings as a page chose them, checked: the bands (``check_bands``), and at
    least one positive weight when the data has ``components``. Raises ``HealthInputError``."""
    checked = check_bands(bands)
    if components and sum(w for _, w in weights) == 0:
        raise HealthInputError("at least one component needs a positive weight")
    return checked


def band_of(score: float | None, bands: Sequence[float] = DEFAULT_BANDS) -> str:
    """``red`` below ``bands[0]``, ``green`` from ``bands[1]``, ``yellow`` between; no score ->
    ``unscored``. Exactly 70 is yellow and exactly 85 green with the defaults."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return UNSCORED
    red, green = bands
    if score < red - EDGE_EPS:
        return "red"
    if score >= green - EDGE_EPS:
        return "green"
    return "yellow"


def bands_of(scores: pd.Series, bands: Sequence[float] = DEFAULT_BANDS) -> pd.Series:
    """Vectorised ``band_of``: an ordered categorical (red, yellow, green, unscored)."""
    red, green = bands
    values = scores.to_numpy(dtype=float)
    codes = np.select([np.isnan(values), values < red - EDGE_EPS, values >= green - EDGE_EPS],
                      [3, 0, 2], 1)
    return pd.Series(pd.Categorical.from_codes(codes, categories=[*BAND_ORDER, UNSCORED],
                                               ordered=True), index=scores.index)


def score_accounts(frame: pd.DataFrame, weights: Weights,
                   bands: Sequence[float] = DEFAULT_BANDS) -> pd.DataFrame:
    """Add ``score`` (0..100 points, NaN = unscored), ``band``, ``source`` and ``dragging``.

    ``frame`` has one row per account with the component columns named in ``weights`` and,
    optionally, a provided ``score`` column. The score is the weighted mean of the components
    present (missing weights redistributed proportionally); with no component present the
    provided score is used; with neither the account is unscored (never 0). ``source`` says
    which: ``components``, ``provided`` or ``none``. ``dragging`` is the component with the
    largest ``weight x (100 - value)`` (first in weight order on ties; none when nothing drags).
    """
    out = frame.copy()
    names = [n for n, _ in weights]
    provided = (pd.to_numeric(out["score"], errors="coerce") if "score" in out
                else pd.Series(np.nan, index=out.index))
    if names:
        values = np.column_stack([pd.to_numeric(out[n], errors="coerce").to_numpy(dtype=float)
                                  for n in names])
        w = np.array([wt for _, wt in weights], dtype=float)
        present = ~np.isnan(values)
        total_w = (present * w).sum(axis=1)
        weighted = (np.where(present, values, 0.0) * w).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            from_components = np.where(total_w > 0, weighted / total_w, np.nan)
        drag = np.where(present, w * (100.0 - np.where(present, values, 100.0)), -1.0)
        best = drag.argmax(axis=1)
        best_drag = drag.max(axis=1)
        dragging = np.where(best_drag > 0, np.array(names, dtype=object)[best], None)
    else:
        from_components = np.full(len(out), np.nan)
        dragging = np.full(len(out), None, dtype=object)
    has_components = ~np.isnan(from_components)
    score = np.where(has_components, from_components, provided.to_numpy(dtype=float))
    out["score"] = score
    source = np.where(has_components, 0, np.where(np.isnan(score), 2, 1))
    out["source"] = pd.Categorical.from_codes(source, categories=["components", "provided", "none"])
    out["dragging"] = dragging
    out["band"] = bands_of(out["score"], bands)
    return out


@dataclass(frozen=True)
class BandTotal:
    """Accounts and ARR (annual dollars) in one band."""

    band: str
    accounts: int
    arr: float


@dataclass(frozen=True)
class HealthSummary:
    """Band counts and ARR at a month; ``has_health`` is False when the data has no health table.

    ``arr_at_risk`` is the ARR of red accounts; ``arr_at_risk_with_yellow`` adds half of yellow.
    """

    as_of: object
    bands: tuple[BandTotal, ...]
    unscored: BandTotal
    thresholds: tuple[float, float] = DEFAULT_BANDS
    has_health: bool = True

    def band(self, name: str) -> BandTotal:
        if name == UNSCORED:
            return self.unscored
        return next(b for b in self.bands if b.band == name)

    @property
    def scored_accounts(self) -> int:
        return sum(b.accounts for b in self.bands)

    @property
    def total_arr(self) -> float:
        return sum(b.arr for b in self.bands) + self.unscored.arr

    @property
    def arr_at_risk(self) -> float:
        return self.band("red").arr

    @property
    def arr_at_risk_with_yellow(self) -> float:
        return self.band("red").arr + YELLOW_AT_RISK.value * self.band("yellow").arr

    @property
    def arr_at_risk_share(self) -> float:
        """ARR at risk as a fraction of the active book's ARR, unscored included (0 when the
        book is empty)."""
        total = self.total_arr
        return self.arr_at_risk / total if total else 0.0

    def share(self, name: str, by: str = "accounts") -> float | None:
        """Fraction of scored accounts (or of scored ARR) in band ``name``."""
        total = sum(getattr(b, by) for b in self.bands)
        return getattr(self.band(name), by) / total if total else None


def summarize(totals: pd.DataFrame, as_of, thresholds: Sequence[float] = DEFAULT_BANDS,
              has_health: bool = True) -> HealthSummary:
    """A ``HealthSummary`` from rows ``band``, ``accounts``, ``arr`` (missing bands are zero)."""
    by_band = {str(r.band): (int(r.accounts), float(r.arr)) for r in totals.itertuples()}

    def total(name: str) -> BandTotal:
        accounts, arr = by_band.get(name, (0, 0.0))
        return BandTotal(name, accounts, arr)

    return HealthSummary(as_of, tuple(total(b) for b in BAND_ORDER), total(UNSCORED),
                         (float(thresholds[0]), float(thresholds[1])), has_health)


def band_totals(accounts: pd.DataFrame) -> pd.DataFrame:
    """Accounts and ARR per band (``band``, ``accounts``, ``arr``) from scored account rows
    with an ``arr`` column; every band appears, unscored last."""
    grouped = accounts.groupby("band", observed=False).agg(accounts=("band", "size"),
                                                          arr=("arr", "sum"))
    grouped = grouped.reindex([*BAND_ORDER, UNSCORED], fill_value=0)
    return grouped.rename_axis("band").reset_index()


def arr_at_risk(accounts: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Red ARR (``at_risk``) and red + 50% of yellow ARR (``at_risk_with_yellow``) per group
    ``by`` (or one row for the book); also ``red``, ``yellow``, ``arr`` (all annual dollars)."""
    keys = [by] if by else []
    frame = accounts.assign(
        red=np.where(accounts["band"] == "red", accounts["arr"], 0.0),
        yellow=np.where(accounts["band"] == "yellow", accounts["arr"], 0.0),
        _one=1)
    grouped = frame.groupby(keys or ["_one"], observed=True, dropna=False)[["red", "yellow", "arr"]].sum()
    grouped = grouped.reset_index()
    if not by:
        grouped = grouped.drop(columns="_one")
    grouped["at_risk"] = grouped["red"]
    grouped["at_risk_with_yellow"] = grouped["red"] + YELLOW_AT_RISK.value * grouped["yellow"]
    return grouped


def renewal_quarter(dates: pd.Series) -> pd.Series:
    """``2026-Q3`` labels from renewal dates (``No renewal date`` when missing)."""
    return quarter_names(dates).fillna("No renewal date").astype(object)
