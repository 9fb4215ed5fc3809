"""The "Data source" label and the demo mark: what slides, notes and chart footnotes call the
data, and how the app knows it is the demo portfolio."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pptx import Presentation

from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine, mask_url
from cs_dashboard.db.state import DEMO_LABEL, MAX_LABEL_LENGTH, AppState, database_name
from cs_dashboard.db.writer import replace_source
from cs_dashboard.export import images, sections
from tests.conftest import write_duckdb
from tests.test_deck import SLIDES_PER_SECTION


@pytest.mark.parametrize(("url", "name"), [
    ("postgresql+psycopg2://analyst:s3cret@db.internal.example.com:5432/sales", "sales"),
    ("postgresql+psycopg2://analyst:***@db.internal.example.com:5432/sales", "sales"),
    ("postgresql://db.internal.example.com", "PostgreSQL database"),
    ("duckdb:////srv/customers/acme/cs_dashboard.duckdb", "cs_dashboard"),
    ("duckdb:///data/acme.duckdb", "acme"),
    ("duckdb:///:memory:", "DuckDB database"),
    ("sqlite:///C:\\Users\\ann\\crm.sqlite", "crm"),
    ("sqlite:///file:/srv/crm.db?mode=ro&uri=true", "crm"),
    ("snowflake://ann:pw@acme-xy123/CRM/PUBLIC?warehouse=WH", "CRM.PUBLIC"),
    ("bigquery://my-project/cs_dataset", "cs_dataset"),
    ("not a url", "database"),
])
def test_the_database_name_has_no_driver_host_port_user_password_or_folder(url, name):
    assert database_name(url) == name


@pytest.fixture
def state(tmp_path) -> AppState:
    return AppState(f"sqlite:///{tmp_path / 'state.sqlite'}")


SOURCE = "duckdb:////srv/customers/acme.duckdb"


def test_the_default_label_is_the_database_name_and_no_demo_mark(state):
    assert state.demo_accounts(SOURCE) is None
    assert state.source_label(SOURCE) == "acme"


def test_a_demo_load_marks_the_source_and_labels_it_demo_portfolio(state):
    state.bump_data_version(SOURCE, demo_accounts=2000)
    assert state.demo_accounts(SOURCE) == 2000
    assert state.source_label(SOURCE) == DEMO_LABEL == "Demo portfolio"


def test_an_import_after_the_demo_clears_the_mark(state):
    state.bump_data_version(SOURCE, demo_accounts=2000)
    version = state.bump_data_version(SOURCE)
    assert version == 2
    assert state.demo_accounts(SOURCE) is None
    assert state.source_label(SOURCE) == "acme"


def test_a_saved_label_wins_is_tidied_and_an_empty_one_restores_the_default(state):
    state.bump_data_version(SOURCE, demo_accounts=50)
    assert state.set_source_label(SOURCE, "  CRM export,\n March ") == "CRM export, March"
    assert state.source_label(SOURCE) == "CRM export, March"
    assert state.set_source_label(SOURCE, "x" * 200) == "x" * MAX_LABEL_LENGTH
    assert state.set_source_label(SOURCE, "   ") == DEMO_LABEL
    assert state.source_label("duckdb:////other.duckdb") == "other"


def test_the_demo_command_marks_its_database_and_an_import_clears_the_mark(
        tmp_path, tiny_frames, capsys):
    url = f"duckdb:///{tmp_path / 'mine.duckdb'}"
    assert main(["demo", "--db", url, "--accounts", "40", "--months", "13",
                 "--end", "2026-11"]) == 0
    state = AppState()
    assert state.demo_accounts(mask_url(url)) == 40
    assert state.source_label(mask_url(url)) == "Demo portfolio"
    files = []
    for table in ("accounts", "mrr"):
        path = tmp_path / f"{table}.csv"
        tiny_frames[table].to_csv(path, index=False)
        files += [f"--{table}", str(path)]
    assert main(["import", "--db", url, *files]) == 0
    assert state.demo_accounts(mask_url(url)) is None
    assert state.source_label(mask_url(url)) == "mine"


# --- The deck names the data, never where it lives ------------------------------------------

#: A URL, a path with two separators, or a database file or driver name.
WHERE = re.compile(r"://|[\\/][\w.-]+[\\/]|\.(duckdb|sqlite|db)\b|duckdb|sqlite", re.IGNORECASE)


def deck_texts(deck: Path) -> tuple[list[str], list[str]]:
    """Every slide's text (text boxes and table cells), and every slide's speaker notes."""
    texts, notes = [], []
    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        notes.append(slide.notes_slide.notes_text_frame.text)
    return texts, notes


def image_texts(archive: Path) -> dict[str, str]:
    """The text drawn in every chart image of the pack (SVGs keep text as text)."""
    with zipfile.ZipFile(archive) as files:
        return {name: " ".join(ElementTree.fromstring(files.read(name)).itertext())
                for name in files.namelist() if name.endswith(".svg")}


def footnotes(monkeypatch) -> list[str]:
    """Records the footnote of every chart the pack renders as an image."""
    seen: list[str] = []
    render = images.altair_png

    def png(chart):
        seen.append(chart.to_dict()["title"]["text"])
        return render(chart)

    monkeypatch.setattr(images, "altair_png", png)
    return seen


def test_the_default_deck_has_every_section_and_names_no_path_host_user_or_url(
        tmp_path, demo_frames, monkeypatch, capsys):
    """``board-pack`` with its defaults on the demo, kept in a folder named after a person."""
    folder = tmp_path / "private-share" / "ann.lee"
    url = write_duckdb(folder, demo_frames, "crm_prod")
    AppState().bump_data_version(mask_url(url), demo_accounts=len(demo_frames["accounts"]))
    given = footnotes(monkeypatch)
    deck, archive = tmp_path / "deck.pptx", tmp_path / "charts.zip"
    assert main(["board-pack", "--db", url, "--out", str(deck), "--zip", str(archive),
                 "--as-of", "2026-11"]) == 0
    prs = Presentation(str(deck))
    assert len(prs.slides) == 1 + sum(SLIDES_PER_SECTION[k] for k in sections.available())
    assert prs.slide_width * 9 == prs.slide_height * 16
    (texts, notes), drawn = deck_texts(deck), image_texts(archive)
    assert "Demo data" in texts and "Source: Demo portfolio" in texts
    assert given and len(given) == len(drawn)
    for text in [*texts, *notes, *given, *drawn.values()]:
        assert not WHERE.search(text), text
        assert "ann.lee" not in text and "crm_prod" not in text
    assert all(note.endswith("source: Demo portfolio") for note in given)
    assert all("source: Demo portfolio" in text for text in drawn.values())
    assert all("source: Demo portfolio." in note for note in notes[1:])


def test_a_deck_from_postgresql_names_the_database_not_its_host_or_user(
        pg_url, tiny_frames, tmp_path, monkeypatch, capsys):
    replace_source(make_engine(pg_url), tiny_frames)
    given = footnotes(monkeypatch)
    deck, archive = tmp_path / "deck.pptx", tmp_path / "charts.zip"
    assert main(["board-pack", "--db", pg_url, "--out", str(deck), "--zip", str(archive),
                 "--as-of", "2026-01", "--sections", "overview", "segmentation"]) == 0
    texts, notes = deck_texts(deck)
    assert "Source: postgres" in texts and "Demo data" not in texts
    texts += [*notes, *given, *image_texts(archive).values()]
    for text in texts:
        assert "://" not in text and "127.0.0.1" not in text and "not-a-secret" not in text


def test_board_pack_source_label_is_saved_for_the_database_and_used_everywhere(
        tiny_url, tmp_path, monkeypatch, capsys):
    given = footnotes(monkeypatch)
    deck = tmp_path / "deck.pptx"
    assert main(["board-pack", "--db", tiny_url, "--out", str(deck), "--as-of", "2026-01",
                 "--sections", "overview", "segmentation", "--source-label",
                 "Salesforce export, January", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["source_label"] == "Salesforce export, January"
    assert AppState().source_label(mask_url(tiny_url)) == "Salesforce export, January"
    texts, notes = deck_texts(deck)
    assert "Source: Salesforce export, January" in texts and "Demo data" not in texts
    assert all("source: Salesforce export, January." in note for note in notes[1:])
    assert all(note.endswith("source: Salesforce export, January") for note in given)
    assert main(["board-pack", "--db", tiny_url, "--out", str(deck), "--as-of", "2026-01",
                 "--sections", "overview", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["source_label"] == "Salesforce export, January"
