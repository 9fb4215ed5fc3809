"""``movements``: the MRR bridge per month (contraction and churn negative), with the accounts
at start and end and the number of accounts behind each movement (``n_new``, ...)."""

from __future__ import annotations

import argparse
import sys

from cs_dashboard.api import retention
from cs_dashboard.cli import EXIT_INVALID, emit
from cs_dashboard.db.engine import make_engine
from cs_dashboard.months import month_index, parse_month
from cs_dashboard.retention.movements import AMOUNTS, COUNTS


def register(command) -> None:
    p = command("movements", run, "MRR bridge per month: start, new, reactivation, expansion, "
                                  "contraction, churn, end, with account counts (default: the 12 "
                                  "months to the latest).")
    p.add_argument("--from", dest="first", type=parse_month, help="first month, YYYY-MM")
    p.add_argument("--to", dest="last", type=parse_month,
                   help="last month, YYYY-MM (default: latest month)")


def run(args: argparse.Namespace, url: str) -> int:
    if args.first and args.last and month_index(args.first) > month_index(args.last):
        print("error: --from is after --to", file=sys.stderr)
        return EXIT_INVALID
    # months outside the data are refused by the API (api.OutsideData, exit 2)
    frame = retention.movement_bridge(make_engine(url), args.last, first=args.first)
    rows = [{"month": r["period"], **{k: float(r[k]) for k in AMOUNTS},
             **{k: int(r[k]) for k in COUNTS}} for _, r in frame.iterrows()]
    emit(args, rows, money=AMOUNTS)
    return 0
