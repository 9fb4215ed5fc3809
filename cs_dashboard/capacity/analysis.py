"""What a budget buys (the inverse question) and which drivers move headcount (tornado)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cs_dashboard.capacity.compute import Base, Resolved, resolve
from cs_dashboard.capacity.model import Scenario
from cs_dashboard.capacity.projection import need_path


@dataclass(frozen=True)
class Funded:
    """Coverage a budget buys. ``tiers`` columns: tier, accounts, required_fte, funded_fte,
    funded_share (fraction of the modelled coverage), accounts_per_csm, hours_per_account
    (hours a year each account gets). ``budget``: a team budget in dollars a year, spent at
    ``Team.team_cost_per_csm`` per CSM FTE (pro rata); ``protected_kept`` is False
    when the budget could not fund the protected tiers in full (then all tiers scale alike)."""

    tiers: pd.DataFrame
    budget: float
    funded_fte: float
    required_fte: float
    protected_kept: bool

    @property
    def funded_share(self) -> float:
        return self.funded_fte / self.required_fte if self.required_fte else 1.0


def coverage_for_budget(r: Resolved, budget: float, protected: tuple[int, ...] = ()) -> Funded:
    """Coverage per tier that an annual team budget (dollars) buys, at exact FTE.

    Each CSM FTE costs ``Team.team_cost_per_csm``: their fully loaded cost plus their share of
    managers and CS operations (the team cost, pro rata). Tiers in
    ``protected`` (positions) keep their full coverage when the budget allows; the other
    tiers share what is left in proportion to their need (with nothing left to share, every
    tier scales alike, so the whole budget is always spent).
    """
    loaded = r.scenario.team.team_cost_per_csm
    affordable = max(budget, 0.0) / loaded if loaded > 0 else 0.0
    required = r.accounts * r.fte_per_account
    total = float(required.sum())
    keep = np.zeros(len(required), dtype=bool)
    keep[list(protected)] = True
    protected_need = float(required[keep].sum())
    rest = total - protected_need
    kept = bool(protected) and affordable >= protected_need
    if kept and rest > 0:
        funded = np.where(keep, required, required * (affordable - protected_need) / rest)
    else:
        funded = required * (affordable / total if total > 0 else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(required > 0, funded / np.where(required > 0, required, 1), 1.0)
        per_csm = np.where(funded > 0, r.accounts / np.where(funded > 0, funded, 1), np.inf)
    frame = pd.DataFrame({
        "tier": list(r.tiers), "accounts": r.accounts, "required_fte": required,
        "funded_fte": funded, "funded_share": share, "accounts_per_csm": per_csm,
        "hours_per_account": r.hours_per_account * share,
    })
    return Funded(frame, float(budget), float(funded.sum()), total, kept or not protected)


def scenario_at_funding(scenario: Scenario, funded: Funded) -> Scenario:
    """The scenario with each tier's coverage set to what ``funded`` buys (for checking and
    for saving the funded option as its own scenario)."""
    tiers = []
    for tier, share in zip(scenario.tiers, funded.tiers["funded_share"], strict=True):
        share = float(share)
        if tier.mode == "ratio":
            tiers.append(replace(tier, accounts_per_csm=tier.accounts_per_csm / share
                                 if share > 0 else 1e12))
        else:
            acts = tuple(replace(a, hours_each=a.hours_each * share) for a in tier.activities)
            tiers.append(replace(tier, activities=acts))
    return replace(scenario, tiers=tuple(tiers))


def _scale_tiers(sc: Scenario, f: float, what: str) -> Scenario:
    tiers = []
    for t in sc.tiers:
        if what == "workload":
            if t.mode == "ratio":
                t = replace(t, accounts_per_csm=t.accounts_per_csm / f)
            else:
                t = replace(t, activities=tuple(replace(a, hours_each=a.hours_each * f)
                                                for a in t.activities))
        elif what == "unplanned":
            t = replace(t, unplanned_share=min(1.0, t.unplanned_share * f))
        elif what == "new_logos":
            t = replace(t, new_logos_per_month=t.new_logos_per_month * f)
        tiers.append(t)
    return replace(sc, tiers=tuple(tiers))


def _drivers(sc: Scenario, r: Resolved) -> list[tuple[str, object]]:
    """Tornado drivers that apply to ``sc``: a label and how to scale the scenario by a factor
    (drivers at zero, such as no productivity gain, are left out: +-20% of nothing is nothing)."""
    av, g = sc.availability, sc.growth
    out: list[tuple[str, object]] = [
        ("Accounts today", "accounts"),
        ("Workload per account (hours, or 1 / ratio)", lambda s, f: _scale_tiers(s, f, "workload")),
        ("Hours per week", lambda s, f: replace(s, availability=replace(
            s.availability, hours_per_week=min(168.0, av.hours_per_week * f)))),
        ("Time off", lambda s, f: replace(s, availability=replace(
            s.availability, time_off=min(1.0, av.time_off * f)))),
        ("Non-customer share of time", lambda s, f: replace(s, availability=replace(
            s.availability, non_customer_share=min(0.99, av.non_customer_share * f)))),
    ]
    if any(t.mode == "hours" and t.unplanned_share for t in sc.tiers):
        out.append(("Unplanned-work share", lambda s, f: _scale_tiers(s, f, "unplanned")))
    if av.productivity_gain:
        out.append(("Productivity gain", lambda s, f: replace(s, availability=replace(
            s.availability, productivity_gain=min(1.0, av.productivity_gain * f)))))
    if g.mode == "rate" and g.annual_growth_rate:
        out.append(("Growth rate", lambda s, f: replace(s, growth=replace(
            g, annual_growth_rate=g.annual_growth_rate * f))))
    if g.mode == "logos" and any(t.new_logos_per_month for t in sc.tiers):
        out.append(("New logos per month", lambda s, f: _scale_tiers(s, f, "new_logos")))
    if g.mode == "logos" and r.churn.any():
        out.append(("Logo churn", "churn"))
    if g.upgrade_share:
        out.append(("Share moving up a tier", lambda s, f: replace(s, growth=replace(
            g, upgrade_share=min(1.0, g.upgrade_share * f)))))
    return out


def sensitivity(scenario: Scenario, base: Base | None, step: float = 0.2) -> pd.DataFrame:
    """Tornado rows: change in required CSM FTE at the horizon when each driver moves by
    ``-step`` and ``+step`` (fractions). Columns: driver, low_fte, high_fte (changes against
    ``base_fte``), base_fte, swing; sorted by swing, largest first. Drivers that do not move
    the need are left out (hours per week and time off do not matter in ratio mode)."""
    r = resolve(scenario, base)
    end = float(need_path(r)[-1])
    rows = []
    for label, how in _drivers(scenario, r):
        values = []
        for f in (1 - step, 1 + step):
            if how == "accounts":
                moved = replace(r, accounts=r.accounts * f)
            elif how == "churn":
                moved = replace(r, churn=np.minimum(1.0, r.churn * f))
            else:
                moved = resolve(how(scenario, f), base)
            values.append(float(need_path(moved)[-1]) - end)
        rows.append({"driver": label, "low_fte": values[0], "high_fte": values[1],
                     "base_fte": end, "swing": abs(values[1] - values[0])})
    frame = pd.DataFrame(rows, columns=["driver", "low_fte", "high_fte", "base_fte", "swing"])
    frame = frame[frame["swing"] > 1e-9]
    return frame.sort_values("swing", ascending=False, kind="mergesort").reset_index(drop=True)
