"""Forecast: renewals ahead, the retention forecast with its track record, and what acting is
worth (pure: no streamlit, plotly, altair or sqlalchemy). Method: ``docs/forecast.md``.

Map of the parts:

- ``model``: rates by health band measured from a start month (``fit_rates`` -> ``Rates``,
  with bootstrap replicates); the declared defaults (horizon, interval level, draws).
- ``projection``: a book per band (``book_of``) projected month by month with intervals
  (``project`` -> ``Projection``), and the value of moving accounts between bands.
- ``paths``: the database's outcome sums computed in memory from MRR paths (tests, simulations).
- ``record``: the same method as of 6 and 12 months ago against the actuals (``TrackRecord``).
- ``calibration``: predicted against observed churn by decile of predicted risk.
- ``renewals``: ARR up for renewal by month and quarter, split by band, tier and CSM, and the
  90-day watch list (``Renewals``).
- ``whatif``: moving red accounts to yellow or green, and the CSM hours it takes.
- ``report``: ``ForecastReport``, the one result the page, the board pack and the CLI present,
  its headline and the method in words.
"""

from cs_dashboard.forecast.calibration import Calibration, calibration_from
from cs_dashboard.forecast.model import (
    BANDS,
    DEFAULTS,
    DRAWS,
    HORIZON,
    LEVEL,
    POOLED,
    ForecastInputError,
    Rates,
    check_options,
    fit_rates,
)
from cs_dashboard.forecast.projection import Book, Projection, book_of, project
from cs_dashboard.forecast.record import ORIGINS, Origin, TrackRecord, build_record
from cs_dashboard.forecast.renewals import WATCH_DAYS, Renewals, build_renewals
from cs_dashboard.forecast.report import ForecastReport, method
from cs_dashboard.forecast.whatif import CSM_HOURS, RESCUE_HOURS, WhatIf, choose, kept_curve, what_if

__all__ = [
    "BANDS", "CSM_HOURS", "DEFAULTS", "DRAWS", "HORIZON", "LEVEL", "ORIGINS", "POOLED",
    "RESCUE_HOURS", "WATCH_DAYS", "Book", "Calibration", "ForecastInputError", "ForecastReport",
    "Origin", "Projection", "Rates", "Renewals", "TrackRecord", "WhatIf", "book_of",
    "build_record", "build_renewals", "calibration_from", "check_options", "choose", "fit_rates",
    "kept_curve", "method", "project", "what_if",
]
