"""Exports: formula-safe CSV, safe file names, chart images (PNG >= 1600 px, valid SVG)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

import altair as alt
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_dashboard.charts import board
from cs_dashboard.charts.theme import FOOTNOTE_AXIS_TITLE, FOOTNOTE_GAP, MIN_PNG_WIDTH, split_footnote, style
from cs_dashboard.export import images
from cs_dashboard.export.files import FORMULA_PREFIXES, neutralise, safe_csv, safe_filename, zip_bytes
from tests.conftest import require


@pytest.mark.parametrize(("cell", "expected"), [
    ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@cmd", "'@cmd"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Acme = best", "Acme = best"),
    ("plain", "plain"),
    ("", ""),
    (42, 42),
    (-3.5, -3.5),
    (None, None),
])
def test_text_cells_that_spreadsheets_would_run_are_prefixed_with_a_quote(cell, expected):
    assert neutralise(cell) == expected


def test_csv_neutralises_text_and_headers_but_keeps_numbers_numeric():
    data = pd.DataFrame({"account": ["=HYPERLINK(\"x\")", "Beta", "-dash"],
                         "mrr": [-120.5, 300.0, 0.0], "=evil": [1, 2, 3]})
    text = safe_csv(data).decode("utf-8")
    assert text.splitlines() == [
        "account,mrr,'=evil",
        "\"'=HYPERLINK(\"\"x\"\")\",-120.5,1",
        "Beta,300.0,2",
        "'-dash,0.0,3",
    ]
    back = pd.read_csv(io.BytesIO(safe_csv(data)))
    assert back["mrr"].tolist() == [-120.5, 300.0, 0.0]


def test_csv_neutralises_categorical_cells_and_writes_dates_as_iso():
    data = pd.DataFrame({"tier": pd.Categorical(["@top", "rest"]),
                         "month": pd.to_datetime(["2026-01-01", "2026-02-01"])})
    assert safe_csv(data).decode().splitlines() == ["tier,month", "'@top,2026-01-01",
                                                    "rest,2026-02-01"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
def test_no_csv_cell_starts_with_a_formula_character(cells):
    frame = pd.read_csv(io.BytesIO(safe_csv(pd.DataFrame({"c": cells}))), dtype=str,
                        keep_default_na=False)
    assert not any(v.startswith(FORMULA_PREFIXES) for v in frame["c"])


@pytest.mark.parametrize(("name", "expected"), [
    ("ARR trend", "arr_trend"),
    ("../../etc/passwd", "etc_passwd"),
    ("Région Île-de-France", "region_ile-de-france"),
    ("Q1 2026: board pack.pptx", "q1_2026_board_pack_pptx"),
    ("", "chart"),
    ("***", "chart"),
    ("a" * 200, "a" * 80),
])
def test_file_names_are_plain_ascii_stems(name, expected):
    assert safe_filename(name) == expected


def test_zip_entries_have_safe_unique_names():
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(
        [("../x.csv", b"1"), ("x.csv", b"2"), ("Chart é.png", b"3")])))
    assert archive.namelist() == ["x.csv", "x_2.csv", "chart_e.png"]
    assert archive.read("x_2.csv") == b"2"


@pytest.fixture
def trend() -> pd.DataFrame:
    months = pd.date_range("2025-01-01", periods=6, freq="MS")
    return pd.DataFrame({"month": months, "arr": [1e6, 1.1e6, 1.2e6, 1.25e6, 1.3e6, 1.4e6]})


def test_altair_png_is_at_least_1600_pixels_wide(trend):
    png = images.altair_png(board.arr_trend_chart(trend, "Data as of 2025-06 · source: test"))
    width, height = images.png_size(png)
    assert width >= MIN_PNG_WIDTH
    assert 0 < height < width


def test_a_small_container_width_chart_is_scaled_up_to_1600_pixels():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_bar().encode(
        x="x:Q", y="y:Q").properties(width="container", height=200)
    small = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_bar().encode(
        x="x:Q", y="y:Q").properties(width=300, height=200)
    assert images.png_size(images.altair_png(chart))[0] >= MIN_PNG_WIDTH
    assert images.png_size(images.altair_png(small))[0] >= MIN_PNG_WIDTH


def test_altair_svg_is_valid_xml_with_the_title_and_footnote_as_text(trend):
    svg = images.altair_svg(board.arr_trend_chart(trend, "Data as of 2025-06 · source: test"))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = "".join(root.itertext())
    assert "Annual recurring revenue by month" in texts
    assert "Data as of 2025-06" in texts
    assert "ARR (USD, 12 × MRR)" in texts


@pytest.mark.parametrize("data", [b"", b"GIF89a" + b"\0" * 30, b"\x89PNG\r\n\x1a\n" + b"\0" * 8])
def test_png_size_rejects_what_is_not_a_png(data):
    with pytest.raises(ValueError):
        images.png_size(data)


def test_plotly_png_goes_through_kaleido_and_the_local_chromium():
    require(images.plotly_images_available(), "kaleido or a local Chromium is missing")
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    fig.update_layout(height=400)
    width, height = images.png_size(images.plotly_png(fig))
    assert (width, height) == (2 * images.PLOTLY_WIDTH, 800)
    assert ET.fromstring(images.plotly_svg(fig)).tag.endswith("svg")


# --- Text that fits: footnotes below the axis, labels clear of reference lines ---------------

NOTE = "Data as of 2026-11 · all accounts · source: Demo portfolio"


def test_a_plotly_footnote_sits_a_fixed_gap_below_the_axis_title_and_pages_take_it_out():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    fig.update_xaxes(title_text="Month")
    style(fig, "Title", NOTE)
    note = fig.layout.annotations[0]
    assert (note.name, note.text, note.y, note.yanchor) == ("footnote", NOTE, 0, "top")
    assert note.yshift == -(FOOTNOTE_GAP + FOOTNOTE_AXIS_TITLE)
    assert fig.layout.margin.b > FOOTNOTE_GAP + FOOTNOTE_AXIS_TITLE + 11
    shown, text = split_footnote(fig)
    assert text == NOTE and not shown.layout.annotations and shown.layout.margin.b == 50
    assert fig.layout.annotations[0].text == NOTE  # the exported figure keeps it
    assert split_footnote(style(go.Figure(), "No footnote"))[1] is None


def test_scenario_labels_start_right_of_the_today_rule():
    frame = pd.DataFrame({"scenario": ["Lean", "Full"], "csm_heads": [6, 28],
                          "team_cost": [1.3e6, 5.6e6], "team_cost_share": [0.032, 0.138]})
    spec = board.scenario_heads_chart(frame, 20, NOTE).to_dict()
    rows = next(rows for rows in spec["datasets"].values() if rows and "label_at" in rows[0])
    assert [(r["csm_heads"], r["label_at"]) for r in rows] == [(6, 20), (28, 28)]
    assert spec["title"]["text"] == NOTE


def test_nrr_per_csm_and_component_labels_sit_inside_the_bars_base_away_from_the_lines():
    from cs_dashboard.charts.health import component_means
    from cs_dashboard.charts.retention import csm_nrr_chart

    csm = csm_nrr_chart(pd.DataFrame({"csm": ["Ann", "Bob"], "nrr": [0.96, 1.02],
                                      "grr": [0.9, 0.95], "base_accounts": [10, 12],
                                      "base_mrr": [1000.0, 2000.0]}), NOTE)
    means = component_means(pd.DataFrame({"tier": ["High touch", "Low touch"],
                                          "component": ["usage", "usage"],
                                          "average": [84.0, 86.0], "accounts": [5, 6]}),
                            NOTE, bands=(70, 85))
    for trace in (*csm.data, *means.data):
        assert (trace.textposition, trace.insidetextanchor) == ("inside", "start")
    assert means.layout.margin.r >= 100  # the threshold labels right of the plot fit
