"""``forecast``: expected GRR and NRR for each month ahead with intervals, renewals by month and
band, the track record and the calibration (``api.forecast.forecast_report`` as JSON)."""

from __future__ import annotations

import argparse
import math
import sys

from cs_dashboard import api
from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.api import health as api_health
from cs_dashboard.cli import EXIT_INVALID, emit
from cs_dashboard.commands import with_saved_tiers
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.filters import Filters
from cs_dashboard.forecast import BANDS, ForecastInputError, ForecastReport
from cs_dashboard.forecast.renewals import APART
from cs_dashboard.months import label, parse_month
from cs_dashboard.tiers import TierRule

#: Dollar keys of this result that the shared rules would read as rates (``churn*``).
MONEY = ("churn_arr*", "contraction_arr*", "expansion_arr*", "*_arr", "arr", "book_arr")


def register(command) -> None:
    p = command("forecast", run, "Expected GRR and NRR for each month ahead with intervals, "
                                 "renewals ahead, and the forecast's track record.")
    p.add_argument("--as-of", type=parse_month, help="YYYY-MM (default: latest month)")
    p.add_argument("--months", type=int, default=api_forecast.MONTHS,
                   help=f"months ahead, 1-24 (default {api_forecast.MONTHS})")


def _number(value: float | None, digits: int = 6) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) \
        else round(float(value), digits)


def _money(value: float) -> float:
    return round(float(value), 2)


def _forecast(report: ForecastReport) -> dict | None:
    if report.projection is None:
        return None
    projection, rates = report.projection, report.rates
    at_horizon = rates.table[rates.table["k"] == report.horizon]
    return {
        "rates_from": label(projection.rates_start),
        "book_arr": _money(projection.book_arr),
        "book_accounts": projection.book_accounts,
        "rates": {r.band: {"accounts": int(r.accounts), "arr": _money(r.arr),
                           "logo_churn_rate": _number(r.logo_churn_rate),
                           "churn_rate": _number(r.churn_rate),
                           "contraction_rate": _number(r.contraction_rate),
                           "expansion_rate": _number(r.expansion_rate),
                           "grr": _number(r.grr), "nrr": _number(r.nrr)}
                  for r in at_horizon.itertuples()},
        "bands": {r.band: {"accounts": int(r.accounts), "arr": _money(r.arr),
                           "rates_from": r.rates_from, "churn_arr": _money(r.churn_arr),
                           "contraction_arr": _money(r.contraction_arr),
                           "expansion_arr": _money(r.expansion_arr)}
                  for r in projection.by_band.itertuples()},
        "monthly": [{"month": label(r.month), "churn_arr": _money(r.churn_arr),
                     "churn_arr_low": _money(r.churn_arr_low),
                     "churn_arr_high": _money(r.churn_arr_high),
                     "contraction_arr": _money(r.contraction_arr),
                     "expansion_arr": _money(r.expansion_arr),
                     "grr": _number(r.grr), "grr_low": _number(r.grr_low),
                     "grr_high": _number(r.grr_high), "nrr": _number(r.nrr),
                     "nrr_low": _number(r.nrr_low), "nrr_high": _number(r.nrr_high)}
                    for r in projection.monthly.itertuples()],
    }


def _renewals(report: ForecastReport) -> dict:
    ahead = report.renewals

    def periods(period: str) -> list[dict]:
        rows = ahead.split(period, "band")
        out = []
        for (_, name), part in rows.groupby(["order", "label"], sort=True):
            arr = dict(zip(part["group"], part["arr"], strict=True))
            out.append({period: name, "accounts": int(part["accounts"].sum()),
                        "arr": _money(part["arr"].sum()),
                        **{f"{b}_arr": _money(arr.get(b, 0.0)) for b in BANDS if b in arr}})
        return out

    watch = ahead.watch.assign(renewal_date=ahead.watch["renewal_date"].dt.strftime("%Y-%m-%d")) \
        if "renewal_date" in ahead.watch else ahead.watch
    return {
        "by_month": periods("month"),
        "by_quarter": periods("quarter"),
        "apart": {reason: {"accounts": n, "arr": _money(arr), "meaning": APART[reason]}
                  for reason, n, arr in ((r, *ahead.apart_of(r)) for r in APART)},
        "watch_list": [{k: (_number(v, 2) if k == "score" else _money(v) if k == "arr"
                            else None if v is None or v != v else v)
                        for k, v in row.items()}
                       for row in watch.astype(object).to_dict("records")],
    }


def _record(report: ForecastReport) -> list[dict]:
    if report.record is None:
        return []
    out = []
    for origin in report.record.origins:
        entry = {"origin": label(origin.origin), "months_back": origin.months_back,
                 "note": origin.note}
        if origin.available:
            entry.update({
                "grr_mae": _number(origin.mae("grr")), "nrr_mae": _number(origin.mae("nrr")),
                "grr_inside_share": _number(origin.inside_share("grr")),
                "nrr_inside_share": _number(origin.inside_share("nrr")),
                "months": [{"month": label(r.month), "grr": _number(r.grr),
                            "grr_low": _number(r.grr_low), "grr_high": _number(r.grr_high),
                            "grr_actual": _number(r.grr_actual), "grr_inside": bool(r.grr_inside),
                            "nrr": _number(r.nrr), "nrr_low": _number(r.nrr_low),
                            "nrr_high": _number(r.nrr_high), "nrr_actual": _number(r.nrr_actual),
                            "nrr_inside": bool(r.nrr_inside)}
                           for r in origin.rows.itertuples()],
            })
        out.append(entry)
    return out


def _calibration(report: ForecastReport) -> dict:
    cal = report.calibration
    if cal is None:
        return {"note": report.calibration_note}
    return {"origin": label(cal.origin), "note": None,
            "deciles": [{"decile": int(r.decile), "accounts": int(r.accounts),
                         "arr": _money(r.arr), "predicted_churn_share": _number(r.predicted),
                         "observed_churn_share": _number(r.observed),
                         "observed_logo_churn_share": _number(r.observed_logo)}
                        for r in cal.deciles.itertuples()]}


def payload(report: ForecastReport) -> dict:
    """The report as JSON-ready values: money in annual dollars to the cent, ratios as
    fractions, months as ``YYYY-MM``."""
    return {
        "as_of": label(report.as_of), "months": report.horizon, "level": report.level,
        "headline": report.headline(), "note": report.note, "method": report.method,
        "forecast": _forecast(report), "renewals": _renewals(report),
        "track_record": _record(report), "calibration": _calibration(report),
    }


def _report(engine, as_of, weights, bands, rule: TierRule, months: int) -> ForecastReport:
    """The report with the saved tier rule (``commands.with_saved_tiers``)."""
    return with_saved_tiers(lambda r: api_forecast.forecast_report(
        engine, as_of, Filters(), weights, bands, r, months), rule)


def run(args: argparse.Namespace, url: str) -> int:
    engine = make_engine(url)
    state = AppState()
    weights, bands = api_health.scoring(engine, api_health.saved_settings(state))
    try:
        report = _report(engine, api.data_month(engine, args.as_of), weights, bands,
                         api.saved_tier_rule(state), args.months)
    except ForecastInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if report.note:
        print(f"warning: {report.note}", file=sys.stderr)
    emit(args, payload(report), money=MONEY)
    return 0
