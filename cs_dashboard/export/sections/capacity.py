"""Capacity scenarios: the shipped scenarios (``data/scenarios``) on the data's book, as the
API computes them (``api.capacity.shipped_scenarios``); this module only presents."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import ScenarioSet
from cs_dashboard.charts.board import scenario_heads_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_money

KEY = "capacity"
TITLE = "Capacity scenarios"

DEFINITIONS = (
    "Available customer hours per CSM a year = weeks x hours per week x (1 - time off) x "
    "(1 - non-customer share). Required FTE per tier = accounts x hours per account / available "
    "hours (or accounts / accounts per CSM in ratio mode); required CSMs = whole heads, the "
    "ceiling of the total. CSM cost (csm_cost) = required CSM FTE x fully loaded cost per CSM "
    "(the model). Team cost (team_cost) = whole CSM heads plus managers and CS operations, each at "
    "their own cost (the budget); the bars' labels show it. Team cost / ARR (team_cost_share) "
    "divides the team cost by ARR = 12 x MRR at the as-of month. ARR and accounts per required "
    "CSM divide by the required CSM heads, not by the CSMs who hold a book today (the Overview's "
    "ARR per CSM). Accounts per tier come from the data and the saved tier rule.")



def scenario_table(engine: sa.Engine, request: Request) -> tuple[pd.DataFrame, float, list[str]]:
    """The slide's data (``ScenarioSet.table`` columns), today's CSMs and the names left out."""
    scenarios = api_capacity.shipped_scenarios(engine, request.as_of, request.filters, request.rule)
    return scenarios.table(), scenarios.current_csms, [name for name, _ in scenarios.skipped]


def headline(frame: pd.DataFrame, current: float) -> str:
    """E.g. "The scenarios need 6 to 33 CSMs (team cost $1.3M to $6.6M a year) against 20 today";
    ``frame``: ``ScenarioSet.table()``, ordered by required CSM heads."""
    heads, cost = frame["csm_heads"], frame["team_cost"]
    low, high = int(heads.min()), int(heads.max())
    csms = f"{low:,} CSM{'' if low == 1 else 's'}"
    money = fmt_money(cost.min()) if fmt_money(cost.min()) == fmt_money(cost.max()) else \
        f"{fmt_money(cost.min())} to {fmt_money(cost.max())}"
    if len(frame) == 1:
        who = f"{frame['scenario'].iloc[0]} needs {csms}"
    elif low == high:
        who = f"Every scenario needs {csms}"
    else:
        who = f"The scenarios need {low:,} to {high:,} CSMs"
    return f"{who} (team cost {money} a year) against {current:,.0f} today"


def notes(scenarios: ScenarioSet, request: Request) -> str:
    left_out = "".join(f" Left out: {name} ({why})." for name, why in scenarios.skipped)
    sources = "; ".join(f"{r.scenario.name}: {r.scenario.source}" for r in scenarios.results
                        if r.scenario.source)
    return (f"{DEFINITIONS} Scenarios: the examples shipped with CS Dashboard; sources: "
            f"{sources}.{left_out} "
            f"Today's CSMs: the roster (with filters, the CSMs owning the filtered accounts). "
            f"{request.context_note()}")


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    scenarios = api_capacity.shipped_scenarios(engine, request.as_of, request.filters, request.rule)
    frame = scenarios.table()
    if frame.empty or frame["csm_heads"].sum() == 0:
        return []
    current = scenarios.current_csms
    return [ChartSlide("scenarios", TITLE, headline(frame, current),
                       scenario_heads_chart(frame, current, request.footnote()), frame,
                       notes(scenarios, request))]
