"""``survival``: Kaplan-Meier logo survival per group with 95% bands and a log-rank test."""

from __future__ import annotations

import argparse
import sys

from cs_dashboard import api
from cs_dashboard.api import retention
from cs_dashboard.cli import EXIT_INVALID, emit
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.months import parse_month


def register(command) -> None:
    p = command("survival", run, "Kaplan-Meier logo survival (months) per group, with 95% "
                                 "bands, median lifetime and the log-rank p-value.")
    p.add_argument("--by", choices=("tier", *retention.GROUP_COLUMNS),
                   help="group by the saved tiers or an account column (default: one group, All)")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")


def run(args: argparse.Namespace, url: str) -> int:
    engine = make_engine(url)
    rule = api.saved_tier_rule(AppState())
    try:
        result = retention.survival(engine, args.as_of, by=args.by, rule=rule)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    emit(args, result.to_json())
    return 0
