"""``cohorts``: a cohort retention table (null where a cohort has not reached an age yet)."""

from __future__ import annotations

import argparse

from cs_dashboard.api import retention
from cs_dashboard.cli import emit
from cs_dashboard.db.engine import make_engine
from cs_dashboard.months import parse_month
from cs_dashboard.retention import BASES, PERIODS


def register(command) -> None:
    p = command("cohorts", run, "Cohort retention table: logo, net or gross revenue retention "
                                "by month, quarter or year of acquisition (fractions).")
    p.add_argument("--basis", choices=BASES, default="net")
    p.add_argument("--period", choices=list(PERIODS), default="month")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")


def run(args: argparse.Namespace, url: str) -> int:
    table = retention.cohorts(make_engine(url), args.as_of, args.basis, args.period)
    emit(args, {"cohorts": table.to_json()["cohorts"]})
    return 0
