"""Forecast page: the retention forecast (target < 1 s at 200k: one SQL query that follows the
book a year back, then the bootstrap), its track record, the calibration, the renewals ahead,
and the whole report the page, the deck and the CLI present (each cached by the page)."""

from __future__ import annotations

from benchmarks.harness import Case
from cs_dashboard import api
from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.db.engine import make_engine


def cases(size: int, url: str) -> list[Case]:
    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    return [
        Case("forecast", "retention forecast: rates by band + 12 months with 90% intervals "
             "(1,000 bootstrap draws)",
             lambda: api_forecast.retention_forecast(engine, as_of), target_s=1.0),
        Case("forecast", "track record: the forecasts of 6 and 12 months ago against the actuals",
             lambda: api_forecast.track_record(engine, as_of), target_s=1.0),
        Case("forecast", "calibration by decile of predicted risk",
             lambda: api_forecast.calibration(engine, as_of), target_s=1.0),
        Case("forecast", "renewals ahead by month, band, tier and CSM, and the watch list",
             lambda: api_forecast.renewals(engine, as_of), target_s=1.0),
        Case("forecast", "forecast report (page, deck and forecast --json; all of the above "
             "from one query)", lambda: api_forecast.forecast_report(engine, as_of), repeat=3),
    ]
