"""The board pack's Forecast section: the page's and the CLI's numbers, the method in the notes."""

from __future__ import annotations

import io

from pptx import Presentation

from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export import sections
from cs_dashboard.export.pack import PackOptions, build_pack
from cs_dashboard.export.sections import Request
from tests.conftest import DEMO_END, write_duckdb
from tests.test_forecast import T, forecast_frames


def test_the_forecast_slides_state_the_reports_headlines_and_the_method(demo_url):
    engine = make_engine(demo_url)
    slides = sections.build(engine, "forecast", Request(DEMO_END))
    report = api_forecast.forecast_report(engine, DEMO_END)
    assert [s.name for s in slides] == ["retention_forecast", "renewals_ahead"]
    assert slides[0].headline == report.headline()
    assert slides[0].headline.startswith("GRR next 12 months: ")
    assert "last year's forecast was off by" in slides[0].headline
    notes = slides[0].notes
    assert "Model: rates by health band" in notes and "bootstrap" in notes
    assert "Track record: the forecast made in November 2025" in notes
    assert "Data as of 2026-11" in notes
    assert slides[1].headline.startswith("$40.6M of ARR renews in the next 12 months")
    assert "no renewal date" in slides[1].notes


def test_the_deck_carries_both_slides_as_pictures(tmp_path):
    url = write_duckdb(tmp_path, forecast_frames(), "forecast_deck")
    pack = build_pack(make_engine(url), PackOptions(T, ("forecast",)))
    prs = Presentation(io.BytesIO(pack.pptx))
    titles = [slide.shapes.title.text for slide in list(prs.slides)[1:]]
    assert titles[0].startswith("GRR next 12 months: 80% expected, ")
    assert titles[1] == ("$17.4k of ARR renews in the next 12 months; $17.4k of it is red or "
                         "yellow ($15.6k within 90 days)")
