"""Forecast: expected GRR and NRR for the months ahead with the forecast's track record, and the
ARR up for renewal by month and health band.

Both slides present one ``ForecastReport`` (``api.forecast.forecast_report``), the one the
Forecast page and the ``forecast`` command show; the method is in the speaker notes.
"""

from __future__ import annotations

import sqlalchemy as sa

from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.api import health as api_health
from cs_dashboard.charts.forecast import forecast_board_chart, renewals_board_chart
from cs_dashboard.export.sections import ChartSlide, Request
from cs_dashboard.fmt import fmt_money, fmt_pct
from cs_dashboard.forecast import BANDS, ForecastReport
from cs_dashboard.forecast.renewals import window_label

KEY = "forecast"
TITLE = "Forecast"



def record_note(report: ForecastReport) -> str:
    """The track record in a sentence for the notes."""
    if report.record is None or not report.record.available:
        notes = [o.note for o in (report.record.origins if report.record else ()) if o.note]
        return notes[0] if notes else "No track record yet."
    parts = []
    for origin in report.record.available:
        last = origin.last()
        parts.append(f"the forecast made in {origin.origin:%B %Y} expected GRR "
                     f"{fmt_pct(last['grr'])} by {last['month']:%B %Y}, actual "
                     f"{fmt_pct(last['grr_actual'])} (mean error over its "
                     f"{len(origin.rows)} months {origin.mae('grr') * 100:.1f} points of GRR, "
                     f"{origin.mae('nrr') * 100:.1f} of NRR; the actual inside the interval in "
                     f"{origin.inside_share('grr'):.0%} of months for GRR)")
    return "Track record: " + "; ".join(parts) + "."


def renewals_headline(report: ForecastReport) -> str:
    ahead = report.renewals
    split = ahead.split("month", "band")
    risky = float(split.loc[split["group"].isin(["red", "yellow"]), "arr"].sum())
    text = (f"{fmt_money(ahead.upcoming_arr)} of ARR renews in the next {report.horizon} months; "
            f"{fmt_money(risky)} of it is red or yellow")
    watch = ahead.watch
    if not watch.empty:
        text += f" ({fmt_money(watch['arr'].sum())} within 90 days)"
    return text


def build(engine: sa.Engine, request: Request) -> list[ChartSlide]:
    weights, bands = api_health.scoring(engine, request.score)
    report = api_forecast.forecast_report(engine, request.as_of, request.filters, weights, bands,
                                          request.rule)
    return slides(report, request)


def slides(report: ForecastReport, request: Request) -> list[ChartSlide]:
    """The section's slides presenting ``report`` (none for a part the history lacks)."""
    found = []
    if report.projection is not None:
        origin = report.record.longest if report.record else None
        notes = (f"{report.summary()} {report.method} {record_note(report)} "
                 f"{request.context_note()}")
        found.append(ChartSlide("retention_forecast", TITLE, report.headline(),
                                 forecast_board_chart(report.projection, origin,
                                                      request.footnote()),
                                 report.projection.monthly, notes))
    ahead = report.renewals
    if ahead.upcoming_arr > 0:
        bands_present = [b for b in BANDS if b in set(ahead.split("month", "band")["group"])]
        n_none, arr_none = ahead.apart_of("no_date")
        notes = (f"ARR at the as-of month of the accounts whose renewal date falls in "
                 f"{window_label(report.as_of, report.horizon)}, by the month of that date and "
                 f"the account's health band now (scored from its latest snapshot). "
                 f"{n_none:,} accounts ({fmt_money(arr_none)} ARR) have no renewal date and are "
                 f"counted apart. {request.context_note()}")
        found.append(ChartSlide("renewals_ahead", TITLE, renewals_headline(report),
                                 renewals_board_chart(ahead, bands_present, request.footnote()),
                                 ahead.split("month", "band"), notes))
    return found
