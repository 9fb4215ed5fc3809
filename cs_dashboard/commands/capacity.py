"""``capacity``: required CSMs, cost and hiring plan for a scenario file (docs/capacity.md)."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from cs_dashboard import api
from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import ScenarioError, coverage, project, resolve
from cs_dashboard.capacity.scenario_json import load_file
from cs_dashboard.cli import EXIT_INVALID, emit
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.months import label, last_complete_month, parse_month


def register(command) -> None:
    p = command("capacity", run, "Required CSMs per tier, cost and hiring plan for a scenario JSON file.")
    p.add_argument("--scenario", required=True, type=Path, help="scenario JSON (see docs/capacity.md)")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")


def _clean(value):
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 4)
    return value


def run(args: argparse.Namespace, url: str) -> int:
    try:
        scenario = load_file(args.scenario)
    except ScenarioError as exc:
        print(f"error: invalid scenario: {exc}", file=sys.stderr)
        return EXIT_INVALID
    engine = make_engine(url)
    has_data = not queries.source_is_empty(engine)
    base = None
    if has_data:
        as_of = args.as_of or api.default_as_of(engine)
        if not scenario.has_portfolio:
            base = api_capacity.base_book(engine, as_of, rule=api.saved_tier_rule(AppState()))
    elif scenario.has_portfolio:
        as_of = args.as_of or last_complete_month()
    else:
        raise api.NoData("the scenario takes its accounts from the data, but the database has none")
    try:
        resolved = resolve(scenario, base)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    cov = coverage(resolved)
    proj = project(resolved, as_of)
    out = {"scenario": scenario.name, "as_of": label(as_of),
           "book": "scenario" if scenario.has_portfolio else "data",
           "tiers": [{k: _clean(v) for k, v in row.items()} for row in cov.tiers.to_dict("records")]}
    for key in ("csm_fte", "csm_heads", "manager_heads", "ops_heads", "total_heads", "annual_cost",
                "annual_cost_fte", "arr", "accounts", "cost_share", "arr_per_csm", "accounts_per_csm",
                "current_csms", "available_hours"):
        out[key] = _clean(getattr(cov, key))
    out["horizon"] = scenario.growth.horizon
    out["need_at_horizon_fte"] = _clean(float(proj.months["need_fte"].iloc[-1]))
    out["hiring_plan"] = [{"hire": int(h.hire), "opens": label(h.opens_date), "starts": label(h.starts_date),
                           "productive": label(h.productive_date)} for h in proj.hires.itertuples()]
    emit(args, out)
    return 0
