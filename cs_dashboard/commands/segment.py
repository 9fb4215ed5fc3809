"""``segment``: tiers and revenue concentration at a month under a given rule."""

from __future__ import annotations

import argparse

from cs_dashboard import api
from cs_dashboard.api import segmentation as seg_api
from cs_dashboard.cli import emit
from cs_dashboard.db.engine import make_engine
from cs_dashboard.months import parse_month
from cs_dashboard.tiers import SUGGESTED_NAMES, TierRule, TierRuleError


def register(command) -> None:
    p = command("segment", run, "Touch tiers and revenue concentration at a month.")
    p.add_argument("--rule", choices=["accounts", "revenue", "floor", "segment"],
                   default="accounts", help="tier by share of accounts, revenue coverage, MRR "
                                            "floors or the accounts' own segment column")
    p.add_argument("--cuts", type=parse_cuts, help="comma-separated: percents for accounts and "
                                                   "revenue (e.g. 10,30), MRR dollars for floor "
                                                   "(e.g. 5000,1700); default: the rule's")
    p.add_argument("--names", type=lambda s: tuple(n.strip() for n in s.split(",")),
                   help="comma-separated tier names, one more than the cuts")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")


def parse_cuts(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(c.replace("$", "").replace("%", "").strip()) for c in text.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"cuts must be numbers separated by commas: {text!r}") \
            from exc


def rule_from(args: argparse.Namespace) -> TierRule:
    if args.rule == "segment":
        return TierRule("segment", (), ())
    cuts = args.cuts if args.cuts is not None else TierRule.default(args.rule).cuts
    names = args.names or SUGGESTED_NAMES.get(len(cuts) + 1)
    if names is None:
        raise TierRuleError("choose between two and four tiers (one to three cuts)")
    return TierRule(args.rule, cuts, names)


def run(args: argparse.Namespace, url: str) -> int:
    engine = make_engine(url)
    rule = rule_from(args)
    as_of = args.as_of or api.default_as_of(engine)
    emit(args, seg_api.tiers_json(engine, as_of, rule))
    return 0
