"""``health``: band counts and ARR, ARR at risk and the back-test at a month."""

from __future__ import annotations

import argparse
import math
import sys

from cs_dashboard import api
from cs_dashboard.api import health as api_health
from cs_dashboard.cli import EXIT_INVALID, emit
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.health import BAND_ORDER, DEFAULT_BANDS, HealthInputError, check_bands
from cs_dashboard.months import label, parse_month


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


def run(args: argparse.Namespace, url: str) -> int:
    try:
        given = parse_weights(args.weights)
        engine = make_engine(url)
        weights, bands = api_health.scoring(engine, api_health.saved_settings(AppState()))
        weights = tuple({**dict(weights), **dict(given)}.items())
        bands = parse_bands(args.bands) if args.bands else bands
        as_of = args.as_of or api.default_as_of(engine)
        api_health.resolved_weights(engine, weights)
        summary = api_health.health_summary(engine, as_of, weights=weights, bands=bands)
        snapshot = args.backtest_from or api_health.default_backtest_snapshot(as_of)
        if snapshot > as_of:
            raise HealthInputError("the back-test snapshot must be at or before the as-of month")
        result, _ = api_health.backtest(engine, as_of, snapshot, weights=weights, bands=bands)
    except HealthInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    emit(args, {
        "as_of": label(as_of),
        "bands": {b: {"accounts": summary.band(b).accounts, "arr": round(summary.band(b).arr, 2)}
                  for b in BAND_ORDER},
        "unscored": summary.unscored.accounts,
        "unscored_arr": round(summary.unscored.arr, 2),
        "arr_at_risk": round(summary.arr_at_risk, 2),
        "arr_at_risk_with_half_yellow": round(summary.arr_at_risk_with_yellow, 2),
        "thresholds": {"red_below": bands[0], "green_from": bands[1]},
        "weights": dict(api_health.resolved_weights(engine, weights)),
        "backtest": {
            "snapshot": label(result.snapshot),
            "churn_rate": {b: _number(result.churn_rate(b)) for b in BAND_ORDER},
            "auc": _number(result.auc),
            "accounts": result.accounts, "churned": result.churned,
            "reading": result.reading,
        },
    })
    return 0
