"""The board pack's Forecast section built from a database: both slides, as pictures, with
headlines computed from the data (the demo's slides: ``test_forecast_demo``)."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from cs_dashboard.charts.theme import MIN_PNG_WIDTH
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export.images import png_size
from cs_dashboard.export.pack import PackOptions, build_pack
from tests.conftest import write_duckdb
from tests.test_forecast import T, forecast_frames


def test_the_deck_carries_both_slides_as_pictures(tmp_path):
    url = write_duckdb(tmp_path, forecast_frames(), "forecast_deck")
    pack = build_pack(make_engine(url), PackOptions(T, ("forecast",)))
    prs = Presentation(io.BytesIO(pack.pptx))
    slides = list(prs.slides)[1:]
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(slides) == len(pictures) == 2
    assert all(png_size(p.image.blob)[0] >= MIN_PNG_WIDTH for p in pictures)
    assert "Model: rates by health band" in slides[0].notes_slide.notes_text_frame.text
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[0].startswith("GRR next 12 months: 80% expected, ")
    assert titles[1] == ("$17.4k of ARR renews in the next 12 months; $17.4k of it is red or "
                         "yellow ($15.6k within 90 days)")
