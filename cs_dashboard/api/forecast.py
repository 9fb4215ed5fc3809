"""Forecast entry points: engine first, hashable arguments (pages cache them with ``cache.run``).

``weights`` and ``bands`` are the health score's (``api.health.scoring`` of the saved
settings), so an account is in the same band here as on every other page. ``months`` is the
horizon (1 to 24, default 12). Money is annual (ARR = 12 x MRR); fractions stay fractions.
An as-of month outside the data raises ``api.OutsideData``; a history too short for a part
leaves that part out with a note, it is never answered with zeros.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from cs_dashboard import api, forecast, health
from cs_dashboard.api import health as api_health
from cs_dashboard.db import forecast as db
from cs_dashboard.filters import Filters
from cs_dashboard.forecast import (
    DRAWS,
    HORIZON,
    LEVEL,
    Calibration,
    ForecastReport,
    Projection,
    Rates,
    Renewals,
    TrackRecord,
)
from cs_dashboard.forecast.model import BLOCKS, SEED
from cs_dashboard.forecast.record import starts as record_starts
from cs_dashboard.forecast.record import too_short
from cs_dashboard.health import DEFAULT_BANDS, views
from cs_dashboard.months import add_months, label
from cs_dashboard.tiers import TierRule

MONTHS = int(HORIZON.value)
#: The horizons a page offers (months ahead).
HORIZONS = (3, 6, 12, 18, 24)


def _setup(engine: sa.Engine, as_of: dt.date | None, weights: tuple, bands: tuple, months: int,
           draws: int = int(DRAWS.value), level: float = LEVEL.value):
    """(as-of month, first month of the data, resolved weights, checked bands)."""
    forecast.check_options(months, draws, level)
    as_of = api.data_month(engine, as_of)
    first = api.data_window(engine)[0]
    return as_of, first, api_health.resolved_weights(engine, weights), health.check_bands(bands)


def _core(engine: sa.Engine, as_of: dt.date, first: dt.date, filters: Filters, weights, bands,
          months: int, draws: int, level: float,
          sums=None) -> tuple[Rates | None, Projection | None, str | None]:
    start = add_months(as_of, -months)
    if start < first:
        return None, None, too_short(first, start, months, f"A forecast as of {label(as_of)}")
    if sums is None:
        sums = db.outcome_sums(engine, {start: months, as_of: 0}, filters, weights, bands,
                               int(BLOCKS.value))
    book = forecast.book_of(sums, as_of)
    if book.arr <= 0:
        return None, None, f"No account is active in {label(as_of)} with these filters."
    if sums[(sums["start"] == start) & (sums["k"] == 0)]["mrr0"].sum() <= 0:
        return None, None, (f"No account was active in {label(start)} with these filters, so "
                            "there is nothing to measure rates on.")
    rates = forecast.fit_rates(sums, start, months, draws, int(SEED.value))
    return rates, forecast.project(rates, book, months, level, int(SEED.value)), None


def retention_forecast(engine: sa.Engine, as_of: dt.date | None = None,
                       filters: Filters = Filters(), weights: tuple = (),
                       bands: tuple = DEFAULT_BANDS, months: int = MONTHS,
                       draws: int = int(DRAWS.value),
                       level: float = LEVEL.value) -> tuple[Rates | None, Projection | None,
                                                            str | None]:
    """``(rates, projection, note)``: the rates by band measured from ``as_of - months`` and
    today's book projected for each of the next ``months`` months with ``level`` intervals
    (one SQL query); ``(None, None, note)`` when the history is too short. Raises
    ``ForecastInputError`` for bad options and ``OutsideData`` for a month outside the data."""
    as_of, first, weights, bands = _setup(engine, as_of, weights, bands, months, draws, level)
    return _core(engine, as_of, first, filters, weights, bands, months, draws, level)


def _record(sums, as_of: dt.date, first: dt.date, months: int, draws: int, level: float,
            fitted: dict | None = None) -> TrackRecord:
    return forecast.build_record(sums, as_of, months, first, forecast.ORIGINS, draws,
                                 int(SEED.value), level, fitted)


def track_record(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
                 weights: tuple = (), bands: tuple = DEFAULT_BANDS, months: int = MONTHS,
                 draws: int = int(DRAWS.value), level: float = LEVEL.value) -> TrackRecord:
    """The same method run as of 6 and 12 months before ``as_of`` on the data available then,
    against what happened since (one SQL query)."""
    as_of, first, weights, bands = _setup(engine, as_of, weights, bands, months, draws, level)
    needed = record_starts(as_of, months, first)
    sums = db.outcome_sums(engine, needed, filters, weights, bands, int(BLOCKS.value)) \
        if needed else None
    return _record(sums, as_of, first, months, draws, level)


def _calibration(engine: sa.Engine, as_of: dt.date, first: dt.date, filters: Filters, weights,
                 bands, months: int, rates: Rates | None) -> tuple[Calibration | None, str | None]:
    """Calibration of the forecast made ``months`` before ``as_of`` (``rates``: its rates,
    measured from ``as_of - 2 x months``)."""
    origin = add_months(as_of, -months)
    start = add_months(origin, -months)
    if start < first or rates is None:
        return None, too_short(first, start, months, f"Calibration of the forecast made in "
                                                     f"{label(origin)}")
    predicted = {band: float(d.mean["churn"][-1]) for band, d in rates.bands.items()}
    pooled = float(rates.pooled.mean["churn"][-1])
    rows = db.calibration_deciles(engine, origin, months, filters, weights, bands, predicted,
                                  pooled)
    if rows.empty:
        return None, f"No account was active in {label(origin)} with these filters."
    return forecast.calibration_from(rows, origin, as_of), None


def calibration(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
                weights: tuple = (), bands: tuple = DEFAULT_BANDS,
                months: int = MONTHS) -> tuple[Calibration | None, str | None]:
    """``(calibration, note)``: predicted against observed churn by decile of predicted risk,
    for the forecast made ``months`` before ``as_of`` (out of sample)."""
    as_of, first, weights, bands = _setup(engine, as_of, weights, bands, months)
    origin = add_months(as_of, -months)
    start = add_months(origin, -months)
    rates = None
    if start >= first:
        sums = db.outcome_sums(engine, {start: months}, filters, weights, bands,
                               int(BLOCKS.value))
        if sums[sums["k"] == 0]["mrr0"].sum() > 0:
            rates = forecast.fit_rates(sums, start, months, int(DRAWS.value), int(SEED.value))
    return _calibration(engine, as_of, first, filters, weights, bands, months, rates)


def renewals(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
             weights: tuple = (), bands: tuple = DEFAULT_BANDS, rule: TierRule = TierRule(),
             months: int = MONTHS) -> Renewals:
    """ARR up for renewal in the ``months`` calendar months after ``as_of`` by month and quarter,
    split by band, tier (``rule`` at ``as_of``) and CSM; the red and yellow renewals of the
    next 90 days; every red account (the what-if's candidates). Raises ``TierRuleError`` for a
    rule the data cannot follow."""
    as_of, _, weights, bands = _setup(engine, as_of, weights, bands, months)
    accounts = api_health.account_health(engine, as_of, filters, weights, bands)
    tiers = api.tier_frame(engine, accounts[["account_id", "mrr"]], rule)
    return forecast.build_renewals(views.with_tiers(accounts, tiers), as_of, months)


def forecast_report(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
                    weights: tuple = (), bands: tuple = DEFAULT_BANDS, rule: TierRule = TierRule(),
                    months: int = MONTHS, draws: int = int(DRAWS.value),
                    level: float = LEVEL.value) -> ForecastReport:
    """Every forecast figure the Forecast page, the board pack and the ``forecast`` command show,
    computed once: the forecast, its track record (6 and 12 months ago), the calibration and
    the renewals ahead. One query follows every start month the parts need."""
    as_of, first, resolved, checked = _setup(engine, as_of, weights, bands, months, draws, level)
    needed = record_starts(as_of, months, first)
    start = add_months(as_of, -months)
    if start >= first:
        needed[start] = max(needed.get(start, 0), months)
    needed[as_of] = needed.get(as_of, 0)
    sums = db.outcome_sums(engine, needed, filters, resolved, checked, int(BLOCKS.value))
    rates, projection, note = _core(engine, as_of, first, filters, resolved, checked, months,
                                    draws, level, sums)
    # each start month's rates are fitted once: the calibration's are the track record's
    fitted = {}
    for back in forecast.ORIGINS:
        start = add_months(as_of, -back - months)
        if start >= first and sums[(sums["start"] == start) & (sums["k"] == 0)]["mrr0"].sum() > 0:
            fitted[start] = forecast.fit_rates(sums, start, months, draws, int(SEED.value))
    record = _record(sums, as_of, first, months, draws, level, fitted)
    then = fitted.get(add_months(as_of, -2 * months))
    if then is None and add_months(as_of, -2 * months) >= first:
        then_sums = db.outcome_sums(engine, {add_months(as_of, -2 * months): months}, filters,
                                    resolved, checked, int(BLOCKS.value))
        if then_sums["mrr0"].sum() > 0:
            then = forecast.fit_rates(then_sums, add_months(as_of, -2 * months), months, draws,
                                      int(SEED.value))
    cal, cal_note = _calibration(engine, as_of, first, filters, resolved, checked, months, then)
    ahead = renewals(engine, as_of, filters, weights, bands, rule, months)
    return ForecastReport(as_of, months, float(level), first, rates, projection, record, cal,
                          ahead, note, cal_note)
