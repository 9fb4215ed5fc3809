"""The Overview result (api.overview): the portfolio against a prior month that may precede
the data, the ARR trend to the as-of month and the latest complete quarter's bridge."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from pptx import Presentation

from cs_dashboard.api.overview import overview
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export.pack import PackOptions, build_pack

# tiny_frames (2025-01..2026-01) at T = 2026-01: accounts A, B, D; MRR 150 + 50 + 300 = 500.
T = dt.date(2026, 1, 1)


def test_the_overview_compares_with_the_month_asked_for(tiny_url):
    view = overview(make_engine(tiny_url), T, compare_months=3)
    assert view.prior == dt.date(2025, 10, 1)
    assert (view.now.arr, view.before.arr) == (6000.0, 12 * 600.0)
    assert view.change("arr") == -1200.0 and view.change("accounts") == 0
    assert view.average_acv == 2000.0


def test_a_prior_month_before_the_data_gives_no_comparison_instead_of_zeros(tiny_url):
    view = overview(make_engine(tiny_url), dt.date(2025, 6, 1), compare_months=12)
    assert view.prior is None and view.before is None and view.coverage_before is None
    assert view.change("arr") is None and view.change("csms", "coverage") is None


def test_the_trend_ends_at_the_as_of_month(tiny_url):
    trend = overview(make_engine(tiny_url), dt.date(2025, 6, 1)).trend
    assert list(trend.columns) == ["month", "accounts", "mrr", "arr"]
    assert trend["month"].iloc[-1].date() == dt.date(2025, 6, 1) and len(trend) == 6
    assert trend["arr"].iloc[-1] == 12 * 700.0  # A 100 + B 200 + C 100 + D 300


def test_the_quarter_bridge_is_the_latest_quarter_wholly_after_the_first_month(tiny_url):
    engine = make_engine(tiny_url)
    assert overview(engine, T).quarter["period"].tolist() == ["2025-Q4"]
    # At 2025-03 the latest complete quarter is 2025-Q1, whose first month has no month before.
    assert overview(engine, dt.date(2025, 3, 1)).quarter.empty


def test_the_deck_kpi_table_shows_dashes_without_a_prior_month(tiny_url):
    pack = build_pack(make_engine(tiny_url), PackOptions(dt.date(2025, 6, 1), ("overview",),
                                                         compare_months=12))
    slide = Presentation(io.BytesIO(pack.pptx)).slides[1]
    table = next(s.table for s in slide.shapes if s.has_table)
    assert table.cell(0, 2).text == "Prior"
    assert [table.cell(r, 2).text for r in range(1, 4)] == ["–", "–", "–"]
    assert slide.shapes.title.text == "ARR is $8.4k"
    assert "The data holds no month to compare with." in slide.notes_slide.notes_text_frame.text


def test_the_trend_headline_says_one_month_in_the_singular():
    from cs_dashboard.export.sections.overview import trend_headline

    trend = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                          "arr": [100_000.0, 103_000.0]})
    assert trend_headline(trend) == "ARR grew 3% in 1 month, from $100.0k to $103.0k"
