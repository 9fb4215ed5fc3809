"""Capacity-model inputs as frozen dataclasses, validated on construction.

Units: hours are hours per year unless the name says otherwise; shares, churn, attrition and
growth rates are fractions (0.1 = 10%); money is US dollars per year (fully loaded cost).
Tiers are listed tier 1 (highest touch) first, in the order of the saved tier rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from cs_dashboard.errors import InputError

MODES = ("ratio", "hours")
GROWTH_MODES = ("logos", "rate")


class ScenarioError(InputError):
    """An invalid capacity scenario (the message says which field and why)."""

    subject = "The assumptions"


def _check_number(where: str, value: object, low: float = 0.0, high: float | None = None,
                  integer: bool = False, low_open: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ScenarioError(f"{where} must be a number, got {value!r}")
    if integer and value != int(value):
        raise ScenarioError(f"{where} must be a whole number, got {value!r}")
    if (value <= low) if low_open else (value < low):
        sign = ">" if low_open else ">="
        raise ScenarioError(f"{where} must be {sign} {low:g}, got {value:g}")
    if high is not None and value > high:
        if high == 1.0 and low == 0.0:
            raise ScenarioError(f"{where} is a share and must be between 0 and 1 "
                                f"(0.1 means 10%), got {value:g}")
        raise ScenarioError(f"{where} must be <= {high:g}, got {value:g}")


@dataclass(frozen=True)
class Activity:
    """One recurring task per account: ``times_per_year`` x ``hours_each`` hours a year."""

    name: str
    times_per_year: float
    hours_each: float

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ScenarioError("an activity needs a name")
        _check_number(f"activity {self.name!r}: times_per_year", self.times_per_year)
        _check_number(f"activity {self.name!r}: hours_each", self.hours_each)

    @property
    def hours_per_year(self) -> float:
        return float(self.times_per_year) * float(self.hours_each)


@dataclass(frozen=True)
class TierPlan:
    """Coverage and growth assumptions for one tier.

    ``mode``: ``ratio`` (``accounts_per_csm``) or ``hours`` (``activities`` plus
    ``unplanned_share``, extra unplanned hours as a fraction of the planned ones).
    ``churn``: annual logo churn (fraction); ``None`` uses the data's trailing-12 churn.
    ``accounts`` and ``arr`` (annual, dollars) override the data when given (a hypothetical
    portfolio such as the Wingtip team).
    """

    name: str
    mode: str = "ratio"
    accounts_per_csm: float = 50.0
    activities: tuple[Activity, ...] = ()
    unplanned_share: float = 0.0
    churn: float | None = None
    new_logos_per_month: float = 0.0
    accounts: float | None = None
    arr: float | None = None

    def __post_init__(self) -> None:
        where = f"tier {self.name!r}"
        if not str(self.name).strip():
            raise ScenarioError("a tier needs a name")
        if self.mode not in MODES:
            raise ScenarioError(f"{where}: mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        _check_number(f"{where}: accounts_per_csm", self.accounts_per_csm, low_open=True)
        _check_number(f"{where}: unplanned_share", self.unplanned_share, high=1.0)
        if self.churn is not None:
            _check_number(f"{where}: churn", self.churn, high=1.0)
        _check_number(f"{where}: new_logos_per_month", self.new_logos_per_month)
        for name in ("accounts", "arr"):
            if getattr(self, name) is not None:
                _check_number(f"{where}: {name}", getattr(self, name))
        if self.mode == "hours" and not self.activities:
            raise ScenarioError(f"{where}: hours mode needs at least one activity")

    @property
    def planned_hours(self) -> float:
        """Planned hours per account per year (sum of the activity table)."""
        return sum(a.hours_per_year for a in self.activities)

    @property
    def hours_per_account(self) -> float:
        """Hours per account per year in hours mode: planned x (1 + unplanned share)."""
        return self.planned_hours * (1.0 + self.unplanned_share)


@dataclass(frozen=True)
class Availability:
    """Customer hours a CSM has in a year; ``productivity_gain`` (fraction) from tooling."""

    weeks: float = 52.0
    hours_per_week: float = 40.0
    time_off: float = 0.10
    non_customer_share: float = 0.30
    productivity_gain: float = 0.0

    def __post_init__(self) -> None:
        _check_number("availability: weeks", self.weeks, high=52.0)
        _check_number("availability: hours_per_week", self.hours_per_week, high=168.0)
        _check_number("availability: time_off", self.time_off, high=1.0)
        _check_number("availability: non_customer_share", self.non_customer_share, high=1.0)
        _check_number("availability: productivity_gain", self.productivity_gain, high=1.0)


@dataclass(frozen=True)
class Team:
    """Team shape and fully loaded annual costs (dollars a year per person).

    One manager per ``csms_per_manager`` CSMs and one CS-operations person per
    ``csms_per_ops`` CSMs (0 means none). ``per_tier_ceil``: whole heads per tier instead of
    the ceiling of the total.
    """

    csm_cost: float = 160_000.0
    csms_per_manager: float = 8.0
    manager_cost: float = 220_000.0
    csms_per_ops: float = 20.0
    ops_cost: float = 130_000.0
    per_tier_ceil: bool = False

    def __post_init__(self) -> None:
        for name in ("csm_cost", "manager_cost", "ops_cost", "csms_per_manager", "csms_per_ops"):
            _check_number(f"team: {name}", getattr(self, name))
        if not isinstance(self.per_tier_ceil, bool):
            raise ScenarioError(f"team: per_tier_ceil must be true or false, got {self.per_tier_ceil!r}")

    @property
    def overhead_per_csm(self) -> float:
        """Manager and CS-ops cost carried by one CSM FTE (dollars a year)."""
        mgr = self.manager_cost / self.csms_per_manager if self.csms_per_manager else 0.0
        ops = self.ops_cost / self.csms_per_ops if self.csms_per_ops else 0.0
        return mgr + ops

    @property
    def team_cost_per_csm(self) -> float:
        """Team cost of one CSM FTE, pro rata: their fully loaded cost plus their share of a
        manager and of a CS-operations person (dollars a year). What a team budget buys per CSM
        FTE and what the projection's payroll costs; fractional, unlike the whole-head team cost."""
        return self.csm_cost + self.overhead_per_csm


@dataclass(frozen=True)
class Growth:
    """How the book changes over the horizon, and how CSMs come and go.

    ``mode``: ``logos`` (each tier's ``new_logos_per_month`` less its churn) or ``rate``
    (every tier grows ``annual_growth_rate`` a year, net of churn, compounding monthly).
    ``upgrade_share``: fraction of a tier's accounts moving up one tier per year.
    ``attrition``: annual CSM attrition (fraction). Months: ``time_to_hire`` (requisition
    open to start), ``ramp_months`` (start to fully productive, linear), ``horizon``.
    """

    mode: str = "logos"
    annual_growth_rate: float = 0.0
    upgrade_share: float = 0.0
    attrition: float = 0.0
    time_to_hire: int = 3
    ramp_months: int = 3
    horizon: int = 24

    def __post_init__(self) -> None:
        if self.mode not in GROWTH_MODES:
            raise ScenarioError(f"growth: mode must be one of {', '.join(GROWTH_MODES)}, "
                                f"got {self.mode!r}")
        _check_number("growth: annual_growth_rate", self.annual_growth_rate, low=-1.0, high=10.0)
        _check_number("growth: upgrade_share", self.upgrade_share, high=1.0)
        _check_number("growth: attrition", self.attrition, high=1.0)
        _check_number("growth: time_to_hire", self.time_to_hire, high=36, integer=True)
        _check_number("growth: ramp_months", self.ramp_months, high=36, integer=True)
        _check_number("growth: horizon", self.horizon, low=1, high=60, integer=True)


@dataclass(frozen=True)
class Scenario:
    """A named set of capacity assumptions. ``current_csms`` overrides the data's roster."""

    name: str
    tiers: tuple[TierPlan, ...]
    availability: Availability = field(default_factory=Availability)
    team: Team = field(default_factory=Team)
    growth: Growth = field(default_factory=Growth)
    description: str = ""
    source: str = ""
    current_csms: float | None = None

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ScenarioError("a scenario needs a name")
        if not 1 <= len(self.tiers) <= 6:
            raise ScenarioError("a scenario needs between one and six tiers")
        names = [t.name for t in self.tiers]
        if len(set(names)) != len(names):
            raise ScenarioError("tier names must differ")
        if self.current_csms is not None:
            _check_number("current_csms", self.current_csms)

    @property
    def has_portfolio(self) -> bool:
        """True when every tier states its own accounts (the data's book is not needed)."""
        return all(t.accounts is not None for t in self.tiers)

    def with_tier(self, position: int, **changes: object) -> Scenario:
        tiers = list(self.tiers)
        tiers[position] = replace(tiers[position], **changes)
        return replace(self, tiers=tuple(tiers))
