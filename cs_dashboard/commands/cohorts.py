"""``cohorts``: a cohort retention table (null where a cohort has not reached an age yet), each
cohort's size and the weighted-average row."""

from __future__ import annotations

import argparse

from cs_dashboard.api import retention
from cs_dashboard.cli import emit
from cs_dashboard.db.engine import make_engine
from cs_dashboard.months import parse_month
from cs_dashboard.retention.cohorts import BASES, PERIODS, CohortTable

WEIGHTS = {"accounts": "its accounts", "start_mrr": "its starting MRR"}


def register(command) -> None:
    p = command("cohorts", run, "Cohort retention table: logo, net or gross revenue retention "
                                "by month, quarter or year of acquisition (fractions), with each "
                                "cohort's size and the weighted average per age.")
    p.add_argument("--basis", choices=BASES, default="net")
    p.add_argument("--period", choices=list(PERIODS), default="month")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")


def run(args: argparse.Namespace, url: str) -> int:
    table = retention.cohorts(make_engine(url), args.as_of, args.basis, args.period)
    data = table.to_json()
    emit(args, data, text=_as_text(table, data))
    return 0


def _as_text(table: CohortTable, data: dict) -> dict:
    """The table with the weighted average as its bottom row and a note on reading it."""
    if not data["cohorts"]:
        return {"basis": data["basis"], "period": data["period"], "cohorts": []}
    average = {"cohort": "Weighted average", "accounts": None, "start_mrr": None,
               "values": data["average"]["values"]}
    note = (f"Columns 0, 1, 2, ...: age in {table.period}s since first revenue; blank: not "
            f"reached yet. The weighted average weights each cohort by "
            f"{WEIGHTS[data['average']['weights']]}, over the cohorts that reached the age. "
            + table.period_note).strip()
    return {"basis": data["basis"], "period": data["period"],
            "cohorts": [*data["cohorts"], average], "note": note}
