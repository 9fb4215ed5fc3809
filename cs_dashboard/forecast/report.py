"""The forecast concern's one result and its words: what the page, the board pack and the
``forecast`` command present (pure).

``api.forecast.forecast_report`` builds a ``ForecastReport``; its parts are ``None`` (with a
note saying why) when the history is too short for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cs_dashboard.fmt import fmt_money, fmt_pct
from cs_dashboard.forecast.calibration import Calibration
from cs_dashboard.forecast.model import Rates
from cs_dashboard.forecast.projection import Projection
from cs_dashboard.forecast.record import TrackRecord
from cs_dashboard.forecast.renewals import Renewals
from cs_dashboard.months import label


def method(horizon: int, level: float) -> str:
    """The method in a paragraph (the deck's notes, the page's caption, the docs)."""
    return (
        f"Model: rates by health band. For each band (red, yellow, green, unscored) we measure, "
        f"on the accounts active {horizon} months before the as-of month and scored then (the "
        f"back-test's way), the share of the band's ARR lost to churn (a month without revenue "
        f"by then), lost to contraction and gained by expansion 1 to {horizon} months later. "
        f"Applied to today's accounts in their band today, they give the expected churn, "
        f"contraction and expansion ARR for each month ahead; GRR and NRR follow with today's "
        f"book as the base. The {level:.0%} interval adds the uncertainty of the rates (a "
        f"bootstrap: the rates measured again on each band's accounts drawn with replacement) "
        f"and the luck of which accounts leave (each band's outcome drawn with the variance of "
        f"its accounts' outcomes). A band with no account then uses the rates of all accounts. "
        f"The track record runs the same method as of 6 and 12 months ago on the data "
        f"available then.")


@dataclass(frozen=True)
class ForecastReport:
    """Every forecast figure at ``as_of`` for the next ``horizon`` months.

    - ``rates`` and ``projection``: the rates by band (measured from ``as_of - horizon``) and
      today's book projected with them; ``None`` with ``note`` when the history is too short.
    - ``record``: the forecasts made 6 and 12 months ago against what happened.
    - ``calibration``: predicted against observed churn by decile (the forecast made
      ``horizon`` months ago); ``None`` when the history is too short.
    - ``renewals``: ARR up for renewal in the months ahead and the 90-day watch list.
    """

    as_of: dt.date
    horizon: int
    level: float
    first_month: dt.date
    rates: Rates | None
    projection: Projection | None
    record: TrackRecord | None
    calibration: Calibration | None
    renewals: Renewals
    note: str | None = None
    calibration_note: str | None = None

    @property
    def available(self) -> bool:
        return self.projection is not None

    @property
    def method(self) -> str:
        return method(self.horizon, self.level)

    def headline(self) -> str:
        """``GRR next 12 months: 88% expected, 85-91%; last year's forecast was off by 1.2
        points`` (as much as the history allows; the error is that of the earliest forecast
        of the track record at the as-of month)."""
        if self.projection is None:
            return f"Not enough history to forecast retention as of {label(self.as_of)}"
        row = self.projection.at()
        ahead = "next month" if self.horizon == 1 else f"next {self.horizon} months"
        text = (f"GRR {ahead}: {fmt_pct(row['grr'], 0)} expected, "
                f"{row['grr_low'] * 100:.0f}-{fmt_pct(row['grr_high'], 0)}")
        earliest = self.record.longest if self.record else None
        if earliest is not None:
            error = abs(float(earliest.last()["grr_error"])) * 100
            which = "last year's forecast" if earliest.months_back == 12 else \
                f"the forecast of {earliest.months_back} months ago"
            text += f"; {which} was off by {error:.1f} points"
        return text

    def summary(self) -> str:
        """Expected churn and contraction ARR over the horizon, in a sentence."""
        if self.projection is None:
            return self.note or ""
        row = self.projection.at()
        return (f"Of today's {fmt_money(self.projection.book_arr)} ARR, "
                f"{fmt_money(row['churn_arr'])} is expected to churn and "
                f"{fmt_money(row['contraction_arr'])} to contract over the next {self.horizon} "
                f"months, with {fmt_money(row['expansion_arr'])} of expansion: NRR "
                f"{fmt_pct(row['nrr'])} ({fmt_pct(row['nrr_low'])}-{fmt_pct(row['nrr_high'])}).")
