"""One answer per scenario, computed once: what the Capacity page, the board pack and the
``capacity`` command present (none of them runs the model itself).

``evaluate`` runs a scenario on a book and returns a ``CapacityResult``; ``evaluate_all`` runs
several (the shipped examples) on one book and returns a ``ScenarioSet``. ``to_json`` of each is
the command line's output, documented key by key in ``docs/capacity.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from cs_dashboard.capacity.compute import Base, Coverage, Resolved, coverage, resolve
from cs_dashboard.capacity.model import Scenario, ScenarioError
from cs_dashboard.capacity.projection import Projection, project
from cs_dashboard.months import label

#: Per tier in ``CapacityResult.to_json``: the ``Coverage.tiers`` columns, then the churn used.
TIER_KEYS = ("tier", "accounts", "arr", "hours_per_account", "accounts_per_csm", "fte", "heads", "churn")
#: Today's required team in ``CapacityResult.to_json`` and ``ScenarioSet.table``, in order.
TEAM_KEYS = ("available_hours", "csm_fte", "csm_heads", "manager_heads", "ops_heads", "total_heads",
             "csm_cost", "team_cost", "team_cost_share", "arr", "accounts", "arr_per_required_csm",
             "accounts_per_required_csm", "current_csms")
#: Columns of ``ScenarioSet.table`` (the board pack's data), one row per scenario.
TABLE_COLUMNS = ("scenario", "csm_fte", "csm_heads", "total_heads", "csm_cost", "team_cost",
                 "team_cost_share", "arr_per_required_csm", "accounts_per_required_csm", "source")


def _clean(value: object) -> object:
    """JSON-ready: floats to 4 decimals, NaN and infinity to ``None``, numpy scalars to Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 4)
    return value


@dataclass(frozen=True)
class CapacityResult:
    """A scenario on a book at ``as_of``: ``resolved`` (the book per tier, churn included),
    ``coverage`` (the required team today, its CSM cost and team cost) and ``projection`` (need,
    supply and the hiring plan by month from ``as_of``)."""

    scenario: Scenario
    as_of: dt.date
    resolved: Resolved
    coverage: Coverage
    projection: Projection

    @property
    def book(self) -> str:
        """``scenario`` when every tier states its own accounts, else ``data``."""
        return "scenario" if self.scenario.has_portfolio else "data"

    @property
    def need_at_horizon_fte(self) -> float:
        """Required CSM FTE (exact) in the last projected month."""
        return float(self.projection.months["need_fte"].iloc[-1])

    def to_json(self) -> dict:
        """The ``capacity --json`` output (keys documented in ``docs/capacity.md``)."""
        cov, r = self.coverage, self.resolved
        tiers = cov.tiers.assign(churn=r.churn)
        out = {"scenario": self.scenario.name, "as_of": label(self.as_of), "book": self.book,
               "tiers": [{k: _clean(row[k]) for k in TIER_KEYS} for row in tiers.to_dict("records")]}
        out.update({k: _clean(getattr(cov, k)) for k in TEAM_KEYS})
        out["churn_tiers_as_of"] = label(r.churn_tiers_as_of) if r.churn_tiers_as_of else None
        out["horizon"] = self.scenario.growth.horizon
        out["need_at_horizon_fte"] = _clean(self.need_at_horizon_fte)
        out["hiring_plan"] = [{"hire": int(h.hire), "opens": label(h.opens_date),
                               "starts": label(h.starts_date), "productive": label(h.productive_date)}
                              for h in self.projection.hires.itertuples()]
        return out


def evaluate(scenario: Scenario, base: Base | None, as_of: dt.date) -> CapacityResult:
    """Run ``scenario`` on ``base`` (the data's book; ``None`` when the scenario has its own)
    from ``as_of``. ``ScenarioError`` when the scenario does not fit the book."""
    resolved = resolve(scenario, base)
    return CapacityResult(scenario, as_of, resolved, coverage(resolved), project(resolved, as_of))


@dataclass(frozen=True)
class ScenarioSet:
    """Several scenarios on the data's book: ``results`` ordered by required CSM heads (then
    name); ``skipped``: ``(name, reason)`` of those left out (their tiers do not match the book,
    or they model a book of their own); ``current_csms``: the book's CSMs today (the roster;
    with filters, the CSMs owning the filtered accounts)."""

    results: tuple[CapacityResult, ...]
    skipped: tuple[tuple[str, str], ...]
    current_csms: float

    def table(self) -> pd.DataFrame:
        """One row per result, columns ``TABLE_COLUMNS`` (money in dollars a year, shares as
        fractions)."""
        rows = []
        for res in self.results:
            cov = res.coverage
            rows.append({"scenario": res.scenario.name,
                         **{k: getattr(cov, k) for k in TABLE_COLUMNS if hasattr(cov, k)},
                         "source": res.scenario.source})
        return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))

    def to_json(self) -> dict:
        return {"current_csms": _clean(self.current_csms),
                "skipped": [{"scenario": name, "reason": why} for name, why in self.skipped],
                "scenarios": [res.to_json() for res in self.results]}


def evaluate_all(scenarios: Iterable[Scenario], base: Base, as_of: dt.date) -> ScenarioSet:
    """Each scenario run on the data's book ``base``, ordered by required CSM heads then name;
    those that model their own book or whose tiers do not match are left out and named."""
    results, skipped = [], []
    for scenario in scenarios:
        if scenario.has_portfolio:
            skipped.append((scenario.name, "it models a book of its own"))
            continue
        try:
            results.append(evaluate(scenario, base, as_of))
        except ScenarioError:
            skipped.append((scenario.name, "its tiers do not match the tier rule"))
    results.sort(key=lambda res: (res.coverage.csm_heads, res.scenario.name))
    return ScenarioSet(tuple(results), tuple(skipped), float(base.csms))
