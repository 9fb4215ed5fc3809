"""Capacity: who carries what today, how many CSMs the book needs, the hiring plan and budget options.

The tabs live in ``cs_dashboard.ui.capacity``; the model in ``cs_dashboard.capacity``.
"""

from __future__ import annotations

import streamlit as st

from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import ScenarioError, evaluate
from cs_dashboard.capacity.scenario_json import shipped
from cs_dashboard.charts.theme import footnote
from cs_dashboard.months import label
from cs_dashboard.tiers import TierRuleError
from cs_dashboard.ui import cache, context, header, layout, messages
from cs_dashboard.ui.capacity import (
    KEEP,
    TAB_KEY,
    TABS,
    assumptions,
    budget,
    headline,
    plan,
    scenarios,
    today,
    widgets,
)

header.title("Capacity")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

rule = cache.tier_rule()
try:
    books = cache.run(api_capacity.current_books, ctx.url, ctx.version, ctx.as_of, ctx.filters, rule)
    churn_table = cache.run(api_capacity.churn_by_tier, ctx.url, ctx.version, ctx.as_of, ctx.filters, rule)
    roster = cache.run(api_capacity.csm_roster, ctx.url, ctx.version)
    base = api_capacity.book_from(books, churn_table, roster, ctx.as_of, bool(ctx.filters.active()))
except TierRuleError as exc:
    messages.error(exc, advice="Adjust it on the Segmentation page.")
if sum(base.accounts) == 0:
    st.info("No active accounts match the filters at this month.", icon=":material/info:")
    st.stop()
note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())
widgets.sync(base)
examples = shipped()

st.caption(f"As of {label(ctx.as_of)} · {ctx.filters.describe()} · tiers: {', '.join(base.tiers)} "
           f"(the rule saved on the Segmentation page). Required CSMs follow the working scenario below; "
           "ratios and benchmarks are presets with their sources, not an industry standard.")
top = st.container()
# only the open tab is drawn, except Assumptions: its widgets are the scenario every tab reads
tab_today, tab_inputs, tab_plan, tab_budget, tab_scen = layout.lazy_tabs(TABS, TAB_KEY, KEEP)
with tab_inputs:
    tier_notes = assumptions.render(base)

try:
    scenario = widgets.from_widgets()
    result = evaluate(scenario, base, ctx.as_of)
except ScenarioError as exc:
    with top:
        messages.error(exc)
st.session_state["cap_current_scenario"] = scenario
assumptions.show_results(tier_notes, result.coverage)

with top:
    headline.render(result)
layout.when_open(tab_today, today.render, ctx, books, roster, base, scenario, note)
layout.when_open(tab_plan, plan.render, result, note)
layout.when_open(tab_budget, budget.render, result, base, note)
layout.when_open(tab_scen, scenarios.render, scenario, base, ctx.as_of, examples, note)
