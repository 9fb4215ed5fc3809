"""The forecast on the demo portfolio (ending 2026-11): the track record's actuals are the
metrics' trailing GRR and NRR, its error is small, the rates are the back-test's, the
calibration ranks churn, and the deck's slides present the same report."""

from __future__ import annotations

import pytest

from cs_dashboard import api
from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.api import health as api_health
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export.sections import Request
from cs_dashboard.export.sections import forecast as forecast_section
from cs_dashboard.filters import Filters
from cs_dashboard.fmt import fmt_money
from cs_dashboard.months import add_months
from tests.conftest import DEMO_END


@pytest.fixture(scope="module")
def report(demo_url):
    return api_forecast.forecast_report(make_engine(demo_url), DEMO_END, draws=200)


def test_the_track_record_compares_the_forecasts_of_12_and_6_months_ago_month_by_month(report):
    twelve, six = report.record.at(12), report.record.at(6)
    assert (twelve.origin, six.origin) == (add_months(DEMO_END, -12), add_months(DEMO_END, -6))
    assert list(twelve.rows["month"]) == [add_months(twelve.origin, k) for k in range(1, 13)]
    assert len(six.rows) == 6 and six.rows["month"].iloc[-1] == DEMO_END


def test_the_actual_a_year_on_is_the_trailing_12_month_grr_and_nrr(report, demo_url):
    last = report.record.at(12).last()
    kpis = api.portfolio_at(make_engine(demo_url), DEMO_END)
    assert last["grr_actual"] == pytest.approx(kpis.grr_12m, abs=1e-9)
    assert last["nrr_actual"] == pytest.approx(kpis.nrr_12m, abs=1e-9)


def test_last_years_forecast_was_close_and_mostly_inside_its_interval(report):
    for origin in report.record.available:
        assert origin.mae("grr") < 0.03
        assert origin.mae("nrr") < 0.05
        assert origin.inside_share("grr") >= 0.5
    assert "last year's forecast was off by" in report.headline()


def test_the_logo_churn_rates_are_the_health_back_tests(report, demo_url):
    result, _ = api_health.backtest(make_engine(demo_url), DEMO_END, add_months(DEMO_END, -12))
    for band in ("red", "yellow", "green"):
        assert report.rates.rate(band, "logo_churn_rate") == pytest.approx(result.churn_rate(band))


def test_red_accounts_lose_more_of_their_arr_than_green_ones(report):
    assert report.rates.rate("red") > report.rates.rate("yellow") > report.rates.rate("green")
    assert report.projection.at()["grr"] < report.projection.at()["nrr"]


def test_the_calibration_covers_the_book_of_a_year_ago_and_ranks_churn(report, demo_url):
    cal = report.calibration
    kpis = api.portfolio_at(make_engine(demo_url), add_months(DEMO_END, -12))
    assert list(cal.deciles["decile"]) == list(range(1, 11))
    assert cal.deciles["accounts"].sum() == kpis.accounts
    assert (cal.deciles["predicted"].diff().dropna() <= 1e-12).all()  # riskiest first
    riskiest, safest = cal.spread
    assert riskiest > 3 * safest


def test_filters_narrow_the_book_the_forecast_applies_to(report, demo_url):
    engine = make_engine(demo_url)
    _, projection, _ = api_forecast.retention_forecast(
        engine, DEMO_END, Filters(segment=("Enterprise",)), draws=50)
    kpis = api.portfolio_at(engine, DEMO_END, Filters(segment=("Enterprise",)))
    assert projection.book_accounts == kpis.accounts
    assert projection.book_arr == pytest.approx(kpis.arr)
    assert projection.book_arr < report.projection.book_arr


def test_the_deck_slides_present_the_report_with_the_method_in_the_notes(report):
    found = forecast_section.slides(report, Request(DEMO_END))
    assert [s.name for s in found] == ["retention_forecast", "renewals_ahead"]
    assert found[0].headline == report.headline()
    assert found[0].data is report.projection.monthly
    notes = found[0].notes
    assert "Model: rates by health band" in notes and "bootstrap" in notes
    assert "Track record: the forecast made in November 2025" in notes
    assert "Data as of 2026-11" in notes
    assert found[1].headline.startswith(
        f"{fmt_money(report.renewals.upcoming_arr)} of ARR renews in the next 12 months")
    assert "no renewal date" in found[1].notes
