"""Capacity model: how many CSMs the book needs, what they cost, when to hire.

Pure (no streamlit, plotly or sqlalchemy). Map of the parts:

- ``model``: the inputs as frozen dataclasses (``Scenario`` = tiers' coverage and growth,
  ``Availability``, ``Team``, ``Growth``), validated on construction (``ScenarioError``).
- ``compute``: ``Base`` (the data's book), ``resolve`` (scenario + book), ``available_hours``
  and ``coverage`` (required FTE, heads, CSM cost, team cost and productivity today).
- ``projection``: accounts, need and supply by month and the hiring plan (``project``).
- ``result``: ``evaluate`` (one scenario -> ``CapacityResult``: coverage and projection, with
  ``to_json``) and ``evaluate_all`` (several on one book -> ``ScenarioSet``): what the page, the
  board pack and the command line present.
- ``analysis``: ``coverage_for_budget`` (the inverse question) and ``sensitivity`` (tornado).
- ``books``: each CSM's load today (``csm_loads``).
- ``presets``: benchmark figures and coverage presets with their sources.
- ``scenario_json``: the scenario file format (strict reading, clear errors).
- ``compare``: side-by-side comparison and the plain-words summary (and the budget sentence).
- ``working``: the page's working scenario: its default on the data's tiers and small rules
  (replacement logos, copy names, the staffing gap in words).
"""

from cs_dashboard.capacity.analysis import Funded, coverage_for_budget, scenario_at_funding, sensitivity
from cs_dashboard.capacity.books import csm_loads
from cs_dashboard.capacity.compute import (
                                           Base,
                                           Coverage,
                                           Resolved,
                                           available_hours,
                                           ceil_heads,
                                           coverage,
                                           resolve,
)
from cs_dashboard.capacity.model import (
                                           Activity,
                                           Availability,
                                           Growth,
                                           Scenario,
                                           ScenarioError,
                                           Team,
                                           TierPlan,
)
from cs_dashboard.capacity.projection import Projection, accounts_path, need_path, project
from cs_dashboard.capacity.result import CapacityResult, ScenarioSet, evaluate, evaluate_all

__all__ = [
    "Activity", "Availability", "Base", "CapacityResult", "Coverage", "Funded", "Growth",
    "Projection", "Resolved", "Scenario", "ScenarioError", "ScenarioSet", "Team", "TierPlan",
    "accounts_path", "available_hours", "ceil_heads", "coverage", "coverage_for_budget",
    "csm_loads", "evaluate", "evaluate_all", "need_path", "project", "resolve",
    "scenario_at_funding", "sensitivity",
]
