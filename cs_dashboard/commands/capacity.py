"""``capacity``: required CSMs, cost and hiring plan for a scenario file (docs/capacity.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cs_dashboard import api
from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import ScenarioError
from cs_dashboard.capacity.scenario_json import load_file
from cs_dashboard.cli import EXIT_INVALID, emit
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.months import last_complete_month, parse_month


def register(command) -> None:
    p = command("capacity", run, "Required CSMs per tier, cost and hiring plan for a scenario JSON file.")
    p.add_argument("--scenario", required=True, type=Path, help="scenario JSON (see docs/capacity.md)")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")


def run(args: argparse.Namespace, url: str) -> int:
    try:
        scenario = load_file(args.scenario)
    except ScenarioError as exc:
        print(f"error: invalid scenario: {exc}", file=sys.stderr)
        return EXIT_INVALID
    engine = make_engine(url)
    if not queries.source_is_empty(engine):
        as_of = api.data_month(engine, args.as_of)
    elif scenario.has_portfolio:
        as_of = args.as_of or last_complete_month()
    else:
        raise api.NoData("the scenario takes its accounts from the data, but the database has none")
    try:
        result = api_capacity.scenario_result(engine, scenario, as_of, rule=api.saved_tier_rule(AppState()))
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    emit(args, result.to_json())
    return 0
