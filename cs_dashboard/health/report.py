"""The health concern's one result: every health figure of a month, computed once (pure).

``api.health.health_report`` builds a ``HealthReport``; the Health page, the board pack's health
slides and the ``health`` command present it and compute nothing of their own. Every figure
for a month follows one rule (docs/definitions.md, Health): each account active that month, scored from
its latest snapshot at or before it (unscored when it has none). Money is annual (ARR = 12 x
MRR, dollars); shares are fractions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from cs_dashboard.health.scoring import (
    BAND_ORDER,
    UNSCORED,
    YELLOW_AT_RISK,
    HealthSummary,
    Weights,
    summarize,
)

#: Every band of a mix or a tier table, unscored last.
BANDS: tuple[str, ...] = (*BAND_ORDER, UNSCORED)


def complete_mix(rows: pd.DataFrame, months: Sequence[dt.date]) -> pd.DataFrame:
    """Band mix with every band in every month of ``months``: columns ``month``, ``band``,
    ``accounts``, ``arr`` and ``share_accounts`` / ``share_arr`` (fractions of the month's active
    accounts / ARR, unscored included; 0 for an empty month). ``rows``: ``month``, ``band``,
    ``accounts``, ``arr`` (missing pairs are zero)."""
    full = pd.MultiIndex.from_product([list(months), list(BANDS)], names=["month", "band"])
    mix = (rows.set_index(["month", "band"])[["accounts", "arr"]]
           .reindex(full, fill_value=0).reset_index()
           .astype({"month": object, "band": object, "accounts": int, "arr": float}))
    for measure in ("accounts", "arr"):
        total = mix.groupby("month", sort=False)[measure].transform("sum")
        mix[f"share_{measure}"] = (mix[measure] / total.where(total > 0)).fillna(0.0)
    return mix


def tier_bands(accounts: pd.DataFrame) -> pd.DataFrame:
    """Accounts and ARR per tier and band, every pair present (tiers in their order, bands red,
    yellow, green, unscored): columns ``tier``, ``band``, ``accounts``, ``arr``. ``accounts``:
    one row per account with ``tier`` (ordered categorical), ``band`` and ``mrr``; ARR is 12 x
    the MRR summed in whole cents, as the band totals are (``db.health.band_mix``)."""
    frame = accounts.assign(band=pd.Categorical(accounts["band"].astype(str), categories=BANDS),
                            cents=(accounts["mrr"] * 100).round().astype("int64"))
    grouped = frame.groupby(["tier", "band"], observed=False).agg(
        accounts=("band", "size"), cents=("cents", "sum")).reset_index()
    return pd.DataFrame({"tier": grouped["tier"].astype(str), "band": grouped["band"].astype(str),
                         "accounts": grouped["accounts"].astype(int),
                         "arr": 12 * grouped["cents"].astype(float) / 100})


@dataclass(frozen=True)
class HealthReport:
    """Every health figure the Health page, the board pack and the ``health`` command show.

    - ``summary``: band counts and ARR, unscored, ARR at risk and the thresholds at ``as_of``
      (equal to ``api.health.health_summary`` and to the last month of ``mix``).
    - ``by_tier``: ``tier``, ``band``, ``accounts``, ``arr`` at ``as_of``, every tier x band
      (unscored included); tiers by the tier rule, at ``as_of``.
    - ``mix``: the band mix over the last months of the data at or before ``as_of``: ``month``,
      ``band``, ``accounts``, ``arr``, ``share_accounts``, ``share_arr`` (see ``complete_mix``).
    - ``weights``: the component weights used, in the data's order (``()`` when the data has only
      a provided score); ``weight_shares`` gives them as fractions of their sum.
    """

    summary: HealthSummary
    by_tier: pd.DataFrame = field(compare=False)
    mix: pd.DataFrame = field(compare=False)
    weights: Weights = ()

    @property
    def as_of(self) -> dt.date:
        return self.summary.as_of

    @property
    def thresholds(self) -> tuple[float, float]:
        """``(red_below, green_from)`` in score points."""
        return self.summary.thresholds

    @property
    def has_health(self) -> bool:
        return self.summary.has_health

    @property
    def tiers(self) -> tuple[str, ...]:
        """Tier names, first tier first."""
        return tuple(dict.fromkeys(self.by_tier["tier"]))

    @property
    def months(self) -> tuple[dt.date, ...]:
        """The months of ``mix``, ascending (the last is ``as_of``)."""
        return tuple(dict.fromkeys(self.mix["month"]))

    @property
    def weight_shares(self) -> tuple[tuple[str, float], ...]:
        """Each component's weight as a fraction of the total weight."""
        total = sum(w for _, w in self.weights)
        return tuple((name, w / total) for name, w in self.weights) if total else ()

    def at(self, month: dt.date) -> HealthSummary | None:
        """The summary of one month of ``mix`` (``None`` when it is not in the mix)."""
        rows = self.mix[self.mix["month"] == month]
        if rows.empty:
            return None
        return summarize(rows, month, self.thresholds, self.has_health)

    def share(self, band: str, month: dt.date | None = None, by: str = "arr") -> float:
        """Fraction of the month's active ARR (``by="arr"``) or accounts in ``band``, unscored
        included in the total (default month: ``as_of``)."""
        month = self.as_of if month is None else month
        row = self.mix[(self.mix["month"] == month) & (self.mix["band"] == band)]
        return float(row[f"share_{by}"].iloc[0])

    def share_change(self, band: str, by: str = "arr") -> float:
        """``share`` at ``as_of`` minus ``share`` at the first month of the mix."""
        return self.share(band, self.months[-1], by) - self.share(band, self.months[0], by)

    def risk_by_tier(self) -> pd.DataFrame:
        """ARR at risk per tier: ``tier``, ``red``, ``yellow`` (ARR), ``arr`` (all active ARR),
        ``at_risk`` (red ARR), ``at_risk_with_yellow`` (red + 50% of yellow), ``red_accounts``."""
        tiers = list(self.tiers)
        arr, accounts = (self.by_tier.pivot(index="tier", columns="band", values=measure)
                         .reindex(index=tiers, columns=list(BANDS), fill_value=0)
                         for measure in ("arr", "accounts"))
        out = pd.DataFrame({"tier": tiers, "red": arr["red"].to_numpy(dtype=float),
                            "yellow": arr["yellow"].to_numpy(dtype=float),
                            "arr": arr.sum(axis=1).to_numpy(dtype=float)})
        out["at_risk"] = out["red"]
        out["at_risk_with_yellow"] = out["red"] + YELLOW_AT_RISK.value * out["yellow"]
        out["red_accounts"] = accounts["red"].to_numpy(dtype=int)
        out["tier"] = pd.Categorical(out["tier"], categories=tiers, ordered=True)
        return out


def build_report(mix: pd.DataFrame, by_tier: pd.DataFrame, as_of: dt.date,
           thresholds: Sequence[float], weights: Weights, has_health: bool = True) -> HealthReport:
    """A ``HealthReport`` whose summary is the ``as_of`` month of ``mix`` (``complete_mix``
    output ending at ``as_of``)."""
    summary = summarize(mix[mix["month"] == as_of], as_of, thresholds, has_health)
    return HealthReport(summary, by_tier, mix, tuple(weights))
