"""The board-pack deck opened with python-pptx: slides per section, pictures, KPI table, notes;
and the deck converts to PDF with LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from cs_dashboard import api
from cs_dashboard.charts.theme import MIN_PNG_WIDTH
from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export import sections
from cs_dashboard.export.images import png_size
from cs_dashboard.export.pack import EmptySelection, PackOptions, build_pack
from cs_dashboard.filters import Filters
from tests.conftest import SHOTS, require

#: Slides each section contributes (the title slide comes on top).
SLIDES_PER_SECTION = {"overview": 2, "segmentation": 2, "health": 2, "retention": 2,
                      "forecast": 2, "capacity": 1}
T = dt.date(2026, 1, 1)


def deck(url: str, keys: tuple[str, ...], **options) -> tuple[Presentation, bytes]:
    pack = build_pack(make_engine(url), PackOptions(options.pop("as_of", T), keys, **options))
    return Presentation(io.BytesIO(pack.pptx)), pack.zip


def metrics_json(url: str, capsys) -> dict:
    capsys.readouterr()
    assert main(["metrics", "--db", url, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def number(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text))


def kpi_table(prs: Presentation):
    tables = [s.table for slide in prs.slides for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    return tables[0]


def test_every_available_section_is_in_the_registry_order():
    found = list(sections.available())
    assert found[:2] == ["overview", "segmentation"]
    assert found == [k for k in sections.SECTION_KEYS if k in found]


@pytest.mark.parametrize("keys", [("overview",), ("segmentation",), ("overview", "segmentation")])
def test_slide_count_is_the_title_slide_plus_each_sections_slides(tiny_url, keys):
    prs, _ = deck(tiny_url, keys)
    assert len(prs.slides) == 1 + sum(SLIDES_PER_SECTION[k] for k in keys)


def test_every_picture_is_a_png_at_least_1600_pixels_wide(demo_url):
    prs, _ = deck(demo_url, tuple(sections.available()),
                  as_of=api.default_as_of(make_engine(demo_url)))
    pictures = [s for slide in prs.slides for s in slide.shapes
                if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == sum(SLIDES_PER_SECTION[k] for k in sections.available()) - 1
    for picture in pictures:
        assert picture.image.content_type == "image/png"
        assert png_size(picture.image.blob)[0] >= MIN_PNG_WIDTH
        assert picture.left + picture.width <= prs.slide_width


@pytest.mark.parametrize("fixture", ["tiny_url", "demo_url"])
def test_kpi_table_numbers_equal_metrics_json(request, capsys, fixture):
    url = request.getfixturevalue(fixture)
    expected = metrics_json(url, capsys)
    as_of = api.default_as_of(make_engine(url))
    prs, _ = deck(url, ("overview",), as_of=as_of)
    table = kpi_table(prs)
    cells = {table.cell(r, 0).text: table.cell(r, 1).text for r in range(1, len(table.rows))}
    assert number(cells["ARR"]) == pytest.approx(expected["arr"], abs=0.5)
    assert number(cells["MRR"]) == pytest.approx(expected["mrr"], abs=0.5)
    assert number(cells["Active accounts"]) == expected["accounts"]
    for name, key in (("NRR (trailing 12 months)", "nrr_12m"), ("GRR (trailing 12 months)",
                                                                  "grr_12m"),
                      ("Logo retention (trailing 12 months)", "logo_retention_12m")):
        assert number(cells[name]) / 100 == pytest.approx(expected[key], abs=0.0005)


def test_kpi_table_compares_with_the_prior_quarter_on_the_tiny_portfolio(tiny_url):
    """At 2026-01 MRR is 500 (A 150, B 50, D 300); at 2025-10 it was 600 (A 100, B 200, D 300)."""
    table = kpi_table(deck(tiny_url, ("overview",))[0])
    rows = [[table.cell(r, c).text for c in range(4)] for r in range(len(table.rows))]
    assert rows[0] == ["Metric", "Jan 2026", "Oct 2025", "Change"]
    assert rows[1] == ["ARR", "$6,000", "$7,200", "-$1,200 (-16.7%)"]
    assert rows[3] == ["Active accounts", "3", "3", "+0 (+0.0%)"]
    assert rows[4][1] == "50.0%"


def test_headlines_are_computed_from_the_data(tiny_url):
    prs, _ = deck(tiny_url, ("overview", "segmentation"))
    titles = [slide.shapes.title.text for slide in list(prs.slides)[1:]]
    assert titles[0] == ("ARR is $6.0k, down $1.2k (-16.7%) since October 2025; "
                         "net revenue retention 50.0%")
    assert titles[2] == "The largest account holds 60% of ARR"


def test_every_chart_slide_has_notes_with_definitions_and_the_as_of_month(tiny_url):
    prs, _ = deck(tiny_url, ("overview", "segmentation"))
    for slide in list(prs.slides)[1:]:
        notes = slide.notes_slide.notes_text_frame.text
        assert "Data as of 2026-01" in notes
        assert "ARR = 12 x MRR" in notes


def test_title_slide_carries_the_company_and_accent_colour(tiny_url):
    prs, _ = deck(tiny_url, ("overview",), company="Acme Analytics", accent="#aa3300")
    texts = [s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame]
    assert "Acme Analytics" in texts
    assert "Data as of January 2026 · all accounts" in texts
    header = kpi_table(prs).cell(0, 0)
    assert str(header.fill.fore_color.rgb) == "AA3300"


def test_the_title_slide_says_demo_data_on_the_demo_only_and_names_the_source_label(tiny_url):
    demo, _ = deck(tiny_url, ("overview",), source_label="Demo portfolio", demo=True)
    own, _ = deck(tiny_url, ("overview",), source_label="tiny", company="Acme Analytics")
    demo_texts = [s.text_frame.text for s in demo.slides[0].shapes if s.has_text_frame]
    own_texts = [s.text_frame.text for s in own.slides[0].shapes if s.has_text_frame]
    assert "Demo data" in demo_texts and "Source: Demo portfolio" in demo_texts
    assert "Demo data" not in own_texts and "Source: tiny" in own_texts
    footers = [[s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame][-2]
               for prs in (demo, own)]
    assert footers == ["Customer Success · data as of January 2026",
                       "Acme Analytics · Customer Success · data as of January 2026"]


def test_the_zip_holds_a_png_svg_and_csv_per_chart_and_the_kpi_csv(tiny_url):
    _, archive = deck(tiny_url, ("overview", "segmentation"))
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert names == ["02_overview_kpis.csv",
                     "03_overview_arr_trend.png", "03_overview_arr_trend.svg",
                     "03_overview_arr_trend.csv",
                     "04_segmentation_pareto.png", "04_segmentation_pareto.svg",
                     "04_segmentation_pareto.csv",
                     "05_segmentation_arr_by_tier.png", "05_segmentation_arr_by_tier.svg",
                     "05_segmentation_arr_by_tier.csv"]


def test_an_empty_selection_explains_itself(tiny_url):
    with pytest.raises(EmptySelection, match="at least one section"):
        deck(tiny_url, ())


def test_filters_that_match_no_account_explain_themselves(tiny_url):
    with pytest.raises(EmptySelection, match="no data"):
        deck(tiny_url, ("segmentation",), filters=Filters.of(region=["Nowhere"]))


def test_an_unknown_section_is_refused(tiny_url):
    with pytest.raises(KeyError, match="unknown section"):
        deck(tiny_url, ("weather",))


def test_the_deck_converts_to_pdf_with_libreoffice(demo_url, tmp_path):
    require(shutil.which("soffice") is not None, "LibreOffice (soffice) is not installed")
    require(shutil.which("pdftoppm") is not None, "poppler-utils (pdftoppm) is not installed")
    keys = tuple(sections.available())
    prs_bytes = build_pack(make_engine(demo_url), PackOptions(
        api.default_as_of(make_engine(demo_url)), keys, company="Acme Analytics")).pptx
    source = tmp_path / "deck.pptx"
    source.write_bytes(prs_bytes)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "deck.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SHOTS / "board_pack_slide")],
                   check=True, timeout=120)
    rendered = sorted(SHOTS.glob("board_pack_slide-*.png"))
    assert len(rendered) >= 1 + sum(SLIDES_PER_SECTION[k] for k in keys)


def test_the_cli_writes_the_deck_and_zip_headless(tiny_url, tmp_path, capsys):
    out, archive = tmp_path / "deck.pptx", tmp_path / "pack.zip"
    code = main(["board-pack", "--db", tiny_url, "--out", str(out), "--zip", str(archive),
                 "--as-of", "2026-01", "--sections", "segmentation", "overview", "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["sections"] == ["overview", "segmentation"]
    assert report["slides"] == len(Presentation(str(out)).slides) == 5
    assert zipfile.ZipFile(archive).testzip() is None


def test_the_cli_kpi_table_matches_metrics_json(demo_url, tmp_path, capsys):
    expected = metrics_json(demo_url, capsys)
    out = tmp_path / "deck.pptx"
    assert main(["board-pack", "--db", demo_url, "--out", str(out), "--sections", "overview"]) == 0
    cells = {r.cells[0].text: r.cells[1].text for r in list(kpi_table(Presentation(str(out))).rows)[1:]}
    assert number(cells["ARR"]) == pytest.approx(expected["arr"], abs=0.5)
    assert number(cells["Active accounts"]) == expected["accounts"]


def test_the_cli_refuses_an_unknown_section(tiny_url, tmp_path, capsys):
    assert main(["board-pack", "--db", tiny_url, "--out", str(tmp_path / "d.pptx"),
                 "--sections", "weather"]) == 2
    assert "not available: weather" in capsys.readouterr().err
    assert not (tmp_path / "d.pptx").exists()


def test_the_health_headline_states_red_arr_and_its_share_of_the_book(demo_url):
    from cs_dashboard.api import health as api_health

    engine = make_engine(demo_url)
    as_of = api.default_as_of(engine)
    summary = api_health.health_summary(engine, as_of)
    prs, _ = deck(demo_url, ("health",), as_of=as_of)
    share = summary.arr_at_risk / summary.total_arr
    assert len(prs.slides) == 1 + SLIDES_PER_SECTION["health"]
    assert prs.slides[1].shapes.title.text == (
        f"Red accounts hold ${summary.arr_at_risk / 1e6:.1f}M of ARR, {share:.0%} of the book")


def test_a_section_without_its_data_is_left_out_and_named(tiny_url):
    """The tiny portfolio has no health table."""
    pack = build_pack(make_engine(tiny_url), PackOptions(T, ("overview", "health")))
    assert pack.skipped == ("health",)
    assert len(Presentation(io.BytesIO(pack.pptx)).slides) == 1 + SLIDES_PER_SECTION["overview"]


def test_the_capacity_headline_spans_the_shipped_scenarios(demo_url):
    from cs_dashboard.export.sections import Request
    from cs_dashboard.export.sections.capacity import scenario_table

    engine = make_engine(demo_url)
    as_of = api.default_as_of(engine)
    frame, current, _ = scenario_table(engine, Request(as_of))
    assert frame["csm_heads"].is_monotonic_increasing
    prs, _ = deck(demo_url, ("capacity",), as_of=as_of)
    title = prs.slides[1].shapes.title.text
    assert title.startswith(f"The scenarios need {frame['csm_heads'].iloc[0]:,} to "
                            f"{frame['csm_heads'].iloc[-1]:,} CSMs")
    assert title.endswith(f"against {current:,.0f} today")


def test_the_retention_headline_states_the_latest_trailing_nrr_and_grr(demo_url):
    from cs_dashboard.api import retention as api_retention

    engine = make_engine(demo_url)
    as_of = api.default_as_of(engine)
    now = api.portfolio_at(engine, as_of)
    prs, _ = deck(demo_url, ("retention",), as_of=as_of)
    title = prs.slides[1].shapes.title.text
    assert title.startswith(f"Net revenue retention is {now.nrr_12m * 100:.1f}%")
    assert title.endswith(f"gross revenue retention {now.grr_12m * 100:.1f}%")
    assert len(api_retention.trends(engine, as_of)) == 24


def test_the_survival_slide_compares_the_first_and_last_tier_at_24_months(demo_url):
    from cs_dashboard.api import retention as api_retention

    engine = make_engine(demo_url)
    as_of = api.default_as_of(engine)
    result = api_retention.survival(engine, as_of, by="tier")
    first, last = result.groups[0], result.groups[-1]
    prs, archive = deck(demo_url, ("retention",), as_of=as_of)
    slide = prs.slides[2]
    assert slide.shapes.title.text == (
        f"{first.at(24):.0%} of {first.group} accounts are still customers after 24 months, "
        f"against {last.at(24):.0%} of {last.group}")
    notes = slide.notes_slide.notes_text_frame.text
    assert "Kaplan-Meier" in notes and f"p = {result.logrank_p:.3g}" in notes
    csv = zipfile.ZipFile(io.BytesIO(archive)).read("03_retention_logo_survival_by_tier.csv")
    assert csv.decode().splitlines()[0] == "group,accounts,timeline,survival,lower,upper"


def test_the_health_section_uses_the_score_it_is_given(tmp_path):
    """health_frames at 2025-07 with bands 50 / 90: no red account; notes give the bands and
    the weights as shares."""
    from cs_dashboard.health import ScoreSettings
    from tests.conftest import write_duckdb
    from tests.test_db_health import health_frames

    url = write_duckdb(tmp_path, health_frames(), "deck_health")
    score = ScoreSettings((("usage", 3.0),), (50.0, 90.0))
    prs, _ = deck(url, ("health",), as_of=dt.date(2025, 7, 1), score=score)
    slide = prs.slides[1]
    assert slide.shapes.title.text == "Red accounts hold $0 of ARR, 0% of the book"
    notes = slide.notes_slide.notes_text_frame.text
    assert "red below 50" in notes and "green 90 and above" in notes
    assert "Weights: usage 75%, adoption 25%." in notes
