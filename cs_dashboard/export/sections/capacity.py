"""Capacity scenarios: the shipped scenarios (``data/scenarios``) applied to the data's book."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import capacity
from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import scenario_json
from cs_dashboard.charts.board import scenario_heads_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_money

KEY = "capacity"
TITLE = "Capacity scenarios"

DEFINITIONS = (
    "Available customer hours per CSM a year = weeks x hours per week x (1 - time off) x "
    "(1 - non-customer share). Required FTE per tier = accounts x hours per account / available "
    "hours (or accounts / accounts per CSM in ratio mode); whole heads = ceil of the total. "
    "Annual cost = heads x fully loaded cost, plus managers and operations; CS cost / ARR uses "
    "ARR = 12 x MRR at the as-of month. Accounts per tier come from the data and the saved tier "
    "rule.")


def available() -> bool:
    return True


def scenario_table(engine: sa.Engine, request: Request) -> tuple[pd.DataFrame, float, list[str]]:
    """Per shipped scenario that fits the data's tiers: ``scenario``, ``csm_fte``,
    ``csm_heads``, ``total_heads``, ``annual_cost`` (dollars a year), ``cost_share`` (fraction of
    ARR), ``arr_per_csm``, ``accounts_per_csm``; also today's CSMs and the scenarios left out."""
    base = api_capacity.base_book(engine, request.as_of, request.filters, request.rule)
    rows, skipped = [], []
    for scenario in scenario_json.shipped().values():
        try:
            cov = capacity.coverage(capacity.resolve(scenario, base))
        except capacity.ScenarioError:
            skipped.append(scenario.name)
            continue
        rows.append({"scenario": scenario.name, "csm_fte": cov.csm_fte, "csm_heads": cov.csm_heads,
                     "total_heads": cov.total_heads, "annual_cost": cov.annual_cost,
                     "cost_share": cov.cost_share, "arr_per_csm": cov.arr_per_csm,
                     "accounts_per_csm": cov.accounts_per_csm, "source": scenario.source})
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame = frame.sort_values(["csm_heads", "scenario"], kind="mergesort", ignore_index=True)
    return frame, float(base.csms), skipped


def headline(frame: pd.DataFrame, current: float) -> str:
    low, high = frame.iloc[0], frame.iloc[-1]
    if len(frame) == 1:
        return (f"{low['scenario']} needs {low['csm_heads']:,} CSMs "
                f"({fmt_money(low['annual_cost'])} a year) against {current:,.0f} today")
    return (f"The scenarios need {low['csm_heads']:,} to {high['csm_heads']:,} CSMs "
            f"({fmt_money(low['annual_cost'])} to {fmt_money(high['annual_cost'])} a year) "
            f"against {current:,.0f} today")


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    frame, current, skipped = scenario_table(engine, request)
    if frame.empty or frame["csm_heads"].sum() == 0:
        return []
    left_out = f" Left out (their tiers do not match the tier rule): {', '.join(skipped)}." \
        if skipped else ""
    sources = "; ".join(f"{r.scenario}: {r.source}" for r in frame.itertuples() if r.source)
    notes = (f"{DEFINITIONS} Scenarios from data/scenarios; sources: {sources}.{left_out} "
             f"Today's CSMs: the roster (with filters, the CSMs owning the filtered accounts). "
             f"{request.context_note()}")
    return [ChartSlide("scenarios", TITLE, headline(frame, current),
                       scenario_heads_chart(frame, current, request.footnote()), frame, notes)]
