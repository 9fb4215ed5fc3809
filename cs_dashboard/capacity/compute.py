"""Required CSMs today: available hours, FTE per tier, whole heads, cost and productivity.

Definitions: ``docs/definitions.md`` (Capacity and headcount). Money in dollars a year; ``arr`` is
annual recurring revenue; shares are fractions. Two costs, named for what they sum: the
**CSM cost** of the model (exact CSM FTE x fully loaded cost per CSM) and the **team cost**
(whole CSM heads plus managers and CS operations, each at their own cost: the budget).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_dashboard.capacity.model import Availability, Scenario, ScenarioError, TierPlan
from cs_dashboard.months import add_months

EPS = 1e-9


@dataclass(frozen=True)
class Base:
    """The book from the data at ``as_of``: per tier (tier 1 first) accounts, ARR (dollars a
    year) and trailing-12 logo churn (fraction, ``None`` without a base), and the CSM count."""

    tiers: tuple[str, ...]
    accounts: tuple[int, ...]
    arr: tuple[float, ...]
    churn: tuple[float | None, ...]
    csms: int
    as_of: dt.date | None = None

    @property
    def churn_tiers_as_of(self) -> dt.date | None:
        """The month whose tiers the measured churn uses: T-12, the start of the trailing-12
        period (``docs/definitions.md``: tiers in look-back figures)."""
        return add_months(self.as_of, -12) if self.as_of else None


@dataclass(frozen=True)
class Resolved:
    """A scenario applied to a book: numpy arrays per tier, ready for fast arithmetic.
    ``churn_measured``: per tier, True when its churn is the data's trailing-12 logo churn
    (the scenario left it open), measured on the tiers as at ``churn_tiers_as_of`` (T-12)."""

    scenario: Scenario
    tiers: tuple[str, ...]
    accounts: np.ndarray
    arr: np.ndarray
    churn: np.ndarray
    fte_per_account: np.ndarray
    hours_per_account: np.ndarray
    current_csms: float
    churn_measured: tuple[bool, ...] = ()
    churn_tiers_as_of: dt.date | None = None


def ceil_heads(value: float) -> int:
    """Whole heads for an exact FTE (tolerant of float noise: 2.0000000001 -> 2)."""
    return max(0, math.ceil(value - EPS))


def available_hours(av: Availability, hours_per_week: float | None = None) -> float:
    """Customer hours per CSM per year:
    ``weeks x hours_per_week x (1 - time_off) x (1 - non_customer_share)``, then x (1 + gain)."""
    hpw = av.hours_per_week if hours_per_week is None else hours_per_week
    return av.weeks * hpw * (1 - av.time_off) * (1 - av.non_customer_share) * (1 + av.productivity_gain)


def fte_per_account(tier: TierPlan, av: Availability) -> float:
    """CSM FTE one account of ``tier`` needs: hours / available hours, or 1 / (ratio x (1 + gain))."""
    if tier.mode == "ratio":
        return 1.0 / (tier.accounts_per_csm * (1 + av.productivity_gain))
    hours = available_hours(av)
    return tier.hours_per_account / hours if hours > 0 else math.inf


def hours_per_account(tier: TierPlan, av: Availability) -> float:
    """Hours per account per year; in ratio mode the hours a CSM has divided by the ratio."""
    if tier.mode == "hours":
        return tier.hours_per_account
    return available_hours(av) / (1 + av.productivity_gain) / tier.accounts_per_csm


def resolve(scenario: Scenario, base: Base | None) -> Resolved:
    """Apply ``scenario`` to the data's book (its own accounts and ARR take precedence)."""
    k = len(scenario.tiers)
    if not scenario.has_portfolio:
        if base is None:
            raise ScenarioError("this scenario has no accounts per tier, so it needs a database "
                                "to take them from")
        if len(base.tiers) != k:
            raise ScenarioError(f"the scenario has {k} tiers but the data's tier rule has "
                                f"{len(base.tiers)} ({', '.join(base.tiers)}); adjust one of them")
    data_ok = base is not None and len(base.tiers) == k
    accounts, arr, churn = np.zeros(k), np.zeros(k), np.zeros(k)
    measured = [False] * k
    for i, tier in enumerate(scenario.tiers):
        accounts[i] = tier.accounts if tier.accounts is not None else base.accounts[i]
        if tier.arr is not None:
            arr[i] = tier.arr
        elif data_ok and tier.accounts is None:
            arr[i] = base.arr[i]
        if tier.churn is not None:
            churn[i] = tier.churn
        elif data_ok and base.churn[i] is not None:
            churn[i] = base.churn[i]
            measured[i] = True
    av = scenario.availability
    if scenario.current_csms is not None:
        current = float(scenario.current_csms)
    else:
        current = float(base.csms) if base is not None else 0.0
    return Resolved(
        scenario=scenario,
        tiers=tuple(t.name for t in scenario.tiers),
        accounts=accounts, arr=arr, churn=churn,
        fte_per_account=np.array([fte_per_account(t, av) for t in scenario.tiers]),
        hours_per_account=np.array([hours_per_account(t, av) for t in scenario.tiers]),
        current_csms=current,
        churn_measured=tuple(measured),
        churn_tiers_as_of=base.churn_tiers_as_of if any(measured) else None,
    )


@dataclass(frozen=True)
class Coverage:
    """Required team today. ``tiers`` columns: tier, accounts, arr, hours_per_account,
    accounts_per_csm (the tier's coverage: accounts one CSM FTE carries), fte (exact CSM FTE),
    heads (ceil per tier). Money in dollars a year:

    - ``csm_cost``: the model's CSM cost, exact ``csm_fte`` x fully loaded cost per CSM;
    - ``team_cost``: whole heads, each at their own cost: ``csm_heads`` CSMs, ``manager_heads``
      managers and ``ops_heads`` CS-operations people (the budget);
    - ``team_cost_share``: team cost / ARR (a fraction; ``None`` without ARR);
    - ``arr_per_required_csm``, ``accounts_per_required_csm``: ARR and accounts divided by the
      required CSM heads (not by the CSMs who hold a book today, the Overview's ratio).
    """

    tiers: pd.DataFrame
    available_hours: float
    csm_fte: float
    csm_heads: int
    manager_fte: float
    manager_heads: int
    ops_fte: float
    ops_heads: int
    total_heads: int
    csm_cost: float
    team_cost: float
    arr: float
    accounts: float
    team_cost_share: float | None
    arr_per_required_csm: float | None
    accounts_per_required_csm: float | None
    current_csms: float


def coverage(r: Resolved) -> Coverage:
    """Required CSM FTE per tier and the team, heads and cost it implies (see ``Coverage``)."""
    sc = r.scenario
    team = sc.team
    fte = r.accounts * r.fte_per_account
    tier_heads = [ceil_heads(f) for f in fte]
    csm_fte = float(fte.sum())
    csm_heads = int(sum(tier_heads)) if team.per_tier_ceil else ceil_heads(csm_fte)
    mgr_fte = csm_fte / team.csms_per_manager if team.csms_per_manager else 0.0
    ops_fte = csm_fte / team.csms_per_ops if team.csms_per_ops else 0.0
    mgr_heads = ceil_heads(csm_heads / team.csms_per_manager) if team.csms_per_manager else 0
    ops_heads = ceil_heads(csm_heads / team.csms_per_ops) if team.csms_per_ops else 0
    team_cost = csm_heads * team.csm_cost + mgr_heads * team.manager_cost + ops_heads * team.ops_cost
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        per_csm = np.where(r.fte_per_account > 0, 1.0 / r.fte_per_account, np.inf)
    frame = pd.DataFrame({
        "tier": list(r.tiers), "accounts": r.accounts, "arr": r.arr,
        "hours_per_account": r.hours_per_account, "accounts_per_csm": per_csm,
        "fte": fte, "heads": tier_heads,
    })
    arr, accounts = float(r.arr.sum()), float(r.accounts.sum())
    return Coverage(
        tiers=frame, available_hours=available_hours(sc.availability),
        csm_fte=csm_fte, csm_heads=csm_heads, manager_fte=mgr_fte, manager_heads=mgr_heads,
        ops_fte=ops_fte, ops_heads=ops_heads, total_heads=csm_heads + mgr_heads + ops_heads,
        csm_cost=csm_fte * team.csm_cost, team_cost=float(team_cost), arr=arr, accounts=accounts,
        team_cost_share=team_cost / arr if arr > 0 else None,
        arr_per_required_csm=arr / csm_heads if csm_heads else None,
        accounts_per_required_csm=accounts / csm_heads if csm_heads else None,
        current_csms=r.current_csms,
    )
