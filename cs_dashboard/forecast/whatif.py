"""What acting is worth: move red accounts to yellow or green, and the capacity it takes (pure).

A moved account keeps its ARR but takes the target band's rates instead of red's: the ARR it is
expected to keep over the horizon rises by its ARR x (red loss rate - target loss rate), loss =
churn + contraction. The effort is priced with the Capacity model: each moved account needs a
high-touch account's hours for a year (``RESCUE_HOURS``, from the capacity model's default
coverage), out of the customer hours a CSM has in a year (``CSM_HOURS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cs_dashboard.capacity import available_hours
from cs_dashboard.capacity.compute import hours_per_account
from cs_dashboard.capacity.presets import PRESETS
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.forecast.model import LEVEL, Rates
from cs_dashboard.forecast.projection import Projection, moved_value
from cs_dashboard.presets import declare

_COVERAGE = PRESETS[0].scenario()
CSM_HOURS = declare(
    "customer hours a CSM has in a year", available_hours(_COVERAGE.availability), "hours",
    "What-if: hours a year / these hours = CSMs it takes.",
    "capacity model: 52 weeks x 40 hours x (1 - 10% time off) x (1 - 30% non-customer work)")
RESCUE_HOURS = declare(
    "hours a year to move one red account", hours_per_account(_COVERAGE.tiers[0],
                                                              _COVERAGE.availability), "hours",
    "What-if: the hours a year it takes to move one red account (the default the page offers).",
    f"capacity model: a {_COVERAGE.tiers[0].name.lower()} account's hours in the default "
    f"coverage ({PRESETS[0].name}: {_COVERAGE.tiers[0].accounts_per_csm:g} accounts per CSM)")
MOST_HOURS = declare(
    "most hours a year per account moved", 2000.0, "hours",
    "The what-if's hours input goes up to this.", "about one CSM's working year (50 x 40 hours)")
LARGEST_FIRST = declare(
    "red accounts moved by default", 20.0, "accounts",
    "The what-if moves this many of the largest red accounts until the user picks.",
    "a book one or two CSMs can work in a quarter")
PICKED_FIRST = declare(
    "watch-list accounts picked by default", 5.0, "accounts",
    "Picking from the watch list starts with this many of its red accounts.",
    "the largest few renewals due first")
TARGETS: tuple[str, ...] = ("yellow", "green")


@dataclass(frozen=True)
class WhatIf:
    """Moving ``moved`` (red accounts: ``account_id``, ``arr``, ...) to ``target``.

    ``kept`` is the extra ARR expected to be kept over ``horizon`` months (``kept_low`` and
    ``kept_high``: its interval from the rates' bootstrap); ``grr_before``/``grr_after`` the
    expected GRR over the horizon; ``hours`` = accounts x ``hours_per_account``; ``csms`` =
    hours / ``csm_hours``."""

    target: str
    horizon: int
    moved: pd.DataFrame = field(compare=False)
    kept: float
    kept_low: float
    kept_high: float
    grr_before: float
    grr_after: float
    hours_per_account: float
    csm_hours: float
    level: float = LEVEL.value

    @property
    def accounts(self) -> int:
        return int(len(self.moved))

    @property
    def arr(self) -> float:
        return float(self.moved["arr"].sum())

    @property
    def hours(self) -> float:
        return self.accounts * self.hours_per_account

    @property
    def csms(self) -> float:
        return self.hours / self.csm_hours if self.csm_hours > 0 else float("nan")

    @property
    def sentence(self) -> str:
        """The result in a CS leader's words."""
        if not self.accounts:
            return "No red account to move."
        return (f"Moving {fmt_count(self.accounts)} red account{'s' if self.accounts != 1 else ''} "
                f"({fmt_money(self.arr)} ARR) to {self.target} keeps {fmt_money(self.kept)} more "
                f"ARR over {self.horizon} months ({self.level:.0%} interval "
                f"{fmt_money(self.kept_low)} to {fmt_money(self.kept_high)}): expected GRR "
                f"{fmt_pct(self.grr_before)} → {fmt_pct(self.grr_after)}. At "
                f"{self.hours_per_account:,.0f} hours a year each that is "
                f"{self.hours:,.0f} hours, {self.csms:.1f} CSMs at {self.csm_hours:,.0f} customer "
                f"hours a year.")


def choose(red: pd.DataFrame, count: int | None = None, picked: Sequence[str] = ()) -> pd.DataFrame:
    """The red accounts to move: those ``picked`` (account ids), else the ``count`` largest by
    ARR (``red`` is largest first)."""
    if picked:
        return red[red["account_id"].isin(set(picked))].reset_index(drop=True)
    return red.head(max(0, int(count or 0))).reset_index(drop=True)


def what_if(rates: Rates, projection: Projection, moved: pd.DataFrame, target: str,
            hours_each: float = RESCUE_HOURS.value, csm_hours: float = CSM_HOURS.value) -> WhatIf:
    """The value and capacity of moving ``moved`` (rows with ``arr``) from red to ``target``
    at the projection's horizon."""
    if target not in TARGETS:
        raise ValueError(f"the target band must be one of {', '.join(TARGETS)}, not {target!r}")
    horizon = projection.horizon
    kept, low, high = moved_value(rates, moved["arr"].to_numpy(dtype=float), target,
                                  projection.level, horizon=horizon)
    before = float(projection.at()["grr"])
    after = before + kept / projection.book_arr if projection.book_arr > 0 else before
    return WhatIf(target, horizon, moved, kept, low, high, before, after, float(hours_each),
                  float(csm_hours), projection.level)


def kept_curve(rates: Rates, red: pd.DataFrame, target: str, horizon: int,
               hours_each: float = RESCUE_HOURS.value,
               csm_hours: float = CSM_HOURS.value) -> pd.DataFrame:
    """ARR kept by moving the 1, 2, ... largest red accounts to ``target``: ``accounts``,
    ``arr`` (their ARR), ``kept`` (expected ARR kept over ``horizon`` months), ``hours``,
    ``csms``. Linear in ARR: each account adds its ARR x the difference of loss rates."""
    k = horizon - 1
    gap = rates.draws_of("red").mean["loss"][k] - rates.draws_of(target).mean["loss"][k]
    arr = np.cumsum(red["arr"].to_numpy(dtype=float))
    accounts = np.arange(1, len(arr) + 1)
    hours = accounts * hours_each
    return pd.DataFrame({"accounts": accounts, "arr": arr, "kept": arr * gap, "hours": hours,
                         "csms": hours / csm_hours if csm_hours > 0 else np.nan})
