"""``health``: band counts and ARR, ARR at risk, ARR by tier and band, the band mix over the
last 12 months and the back-test at a month (``api.health.health_report`` presented as JSON)."""

from __future__ import annotations

import argparse
import math
import sys

from cs_dashboard import api
from cs_dashboard.api import health as api_health
from cs_dashboard.cli import EXIT_INVALID, emit
from cs_dashboard.commands import with_saved_tiers
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.filters import Filters
from cs_dashboard.health import BAND_ORDER, DEFAULT_BANDS, HealthInputError, HealthReport, check_bands
from cs_dashboard.months import label, parse_month
from cs_dashboard.tiers import TierRule


def register(command) -> None:
    p = command("health", run, "Health bands, ARR at risk and the score's back-test at a month.")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")
    p.add_argument("--weights", default="",
                   help="component weights, e.g. usage=2,nps=0.5; unlisted components keep the "
                        "score saved on the Health page (default 1); 0 drops one")
    p.add_argument("--bands", default=None,
                   help="red below, green from, e.g. 70,85 (default: the saved score's, "
                        f"else {DEFAULT_BANDS[0]:g},{DEFAULT_BANDS[1]:g})")
    p.add_argument("--backtest-from", type=parse_month,
                   help="back-test snapshot S, YYYY-MM (default: 6 months before the as-of month)")


def parse_weights(text: str) -> tuple[tuple[str, float], ...]:
    """``usage=2,nps=0.5`` -> ``(("usage", 2.0), ("nps", 0.5))``."""
    pairs = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, value = part.partition("=")
        try:
            weight = float(value)
        except ValueError:
            weight = math.nan
        if not sep or not name.strip() or math.isnan(weight):
            raise HealthInputError(f"bad weight {part!r}: use name=number, e.g. usage=2")
        pairs.append((name.strip(), weight))
    return tuple(pairs)


def parse_bands(text: str) -> tuple[float, float]:
    """``70,85`` -> ``(70.0, 85.0)``, validated."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError as exc:
        raise HealthInputError(f"bad bands {text!r}: use two numbers, e.g. 70,85") from exc
    return check_bands(values)


def _number(value: float | None, digits: int = 6) -> float | None:
    return None if value is None or math.isnan(value) else round(value, digits)


def _money(value: float) -> float:
    return round(value, 2)


def _report(engine, as_of, weights, bands, rule: TierRule) -> HealthReport:
    """The health report with the saved tier rule (``commands.with_saved_tiers``)."""
    return with_saved_tiers(
        lambda r: api_health.health_report(engine, as_of, Filters(), weights, bands, r), rule)


def payload(report: HealthReport) -> dict:
    """The report's figures as JSON-ready values: money in annual dollars to the cent, shares
    as fractions."""
    summary = report.summary
    return {
        "as_of": label(report.as_of),
        "bands": {b: {"accounts": summary.band(b).accounts, "arr": _money(summary.band(b).arr)}
                  for b in BAND_ORDER},
        "unscored": summary.unscored.accounts,
        "unscored_arr": _money(summary.unscored.arr),
        "arr_at_risk": _money(summary.arr_at_risk),
        "arr_at_risk_with_half_yellow": _money(summary.arr_at_risk_with_yellow),
        "arr_at_risk_share": _number(summary.arr_at_risk_share),
        "thresholds": {"red_below": report.thresholds[0], "green_from": report.thresholds[1]},
        "weights": dict(report.weights),
        "weight_shares": {n: _number(s) for n, s in report.weight_shares},
        "by_tier": {tier: {r.band: {"accounts": int(r.accounts), "arr": _money(r.arr)}
                           for r in rows.itertuples()}
                    for tier, rows in report.by_tier.groupby("tier", sort=False)},
        "band_mix": {label(month): {r.band: {"accounts": int(r.accounts), "arr": _money(r.arr),
                                             "share_accounts": _number(r.share_accounts),
                                             "share_arr": _number(r.share_arr)}
                                    for r in rows.itertuples()}
                     for month, rows in report.mix.groupby("month", sort=False)},
    }


def run(args: argparse.Namespace, url: str) -> int:
    try:
        given = parse_weights(args.weights)
        engine = make_engine(url)
        state = AppState()
        weights, bands = api_health.scoring(engine, api_health.saved_settings(state))
        weights = tuple({**dict(weights), **dict(given)}.items())
        bands = parse_bands(args.bands) if args.bands else bands
        as_of = api.data_month(engine, args.as_of)
        report = _report(engine, as_of, weights, bands, api.saved_tier_rule(state))
        snapshot = args.backtest_from or api_health.default_backtest_snapshot(as_of)
        if snapshot > as_of:
            raise HealthInputError("the back-test snapshot must be at or before the as-of month")
        result, _ = api_health.backtest(engine, as_of, snapshot, weights=weights, bands=bands)
    except HealthInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    emit(args, {
        **payload(report),
        "backtest": {
            "snapshot": label(result.snapshot),
            "churn_rate": {b: _number(result.churn_rate(b)) for b in BAND_ORDER},
            "auc": _number(result.auc),
            "accounts": result.accounts, "churned": result.churned,
            "reading": result.reading,
        },
    })
    return 0
