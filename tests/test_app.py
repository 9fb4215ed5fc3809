"""Every page through the router with AppTest: renders, no exception, the right numbers."""

import re

import pytest

from cs_dashboard.db.engine import mask_url
from cs_dashboard.db.state import AppState
from cs_dashboard.ui.header import QUESTIONS
from tests.conftest import ROOT, open_page

PAGES = ["overview", "segmentation", "health", "retention", "forecast", "capacity", "board_pack",
         "data", "definitions"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo_with_the_question_it_answers(monkeypatch, demo_url, page):
    at = open_page(monkeypatch, demo_url, page)
    assert not at.error
    title = at.title[0].value
    assert QUESTIONS[title] in [m.value for m in at.markdown]


def test_each_pages_question_is_the_readmes_word_for_word():
    rows = dict(re.findall(r"^\| \*\*(.+?)\*\* \| (.+?) \|$",
                           (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE))
    for title, question in QUESTIONS.items():
        assert rows[title].startswith(question), title


def mark_demo(url: str, accounts: int = 4) -> None:
    AppState().bump_data_version(mask_url(url), demo_accounts=accounts)


def demo_notes(at) -> list[str]:
    return [m.value for m in at.markdown if "fictional accounts" in m.value]


def test_the_demo_shows_a_note_linking_to_the_data_page_until_it_is_hidden(monkeypatch, tiny_url):
    mark_demo(tiny_url)
    at = open_page(monkeypatch, tiny_url, "retention")
    assert demo_notes(at) == [":material/science: **Demo portfolio:** 4 fictional accounts."]
    assert [link.proto.page for link in at.get("page_link")][:1] == ["data"]
    assert at.sidebar.caption[-1].value == "Data source: Demo portfolio"
    at.button(key="demo_note_close").click().run()
    assert demo_notes(at) == []
    at.switch_page("pages/overview.py").run()
    assert demo_notes(at) == []


def test_a_users_own_data_shows_no_demo_note_and_is_named_by_its_database(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "overview")
    assert demo_notes(at) == []
    assert at.sidebar.caption[-1].value == "Data source: tiny"
    assert at.caption[0].value == ("**tiny** · data as of January 2026 · all accounts · "
                                   "changes against December 2025.")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_an_empty_database(monkeypatch, empty_url, page):
    at = open_page(monkeypatch, empty_url, page)
    assert not at.error


def test_filters_persist_across_pages(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "overview")
    at.sidebar.multiselect(key="f_region").select("EMEA").run()
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/overview.py").run()
    assert at.sidebar.multiselect(key="f_region").value == ["EMEA"]
    assert {m.label: m.value for m in at.metric}["Active accounts"] == "1"


def test_data_page_shows_table_counts_and_the_months(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "data")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["accounts rows"] == "4" and tiles["mrr rows"] == "40"
    assert tiles["health rows"] == "absent"
    assert tiles["Months"] == "13"
    assert "2025-01 – 2026-01" in [c.value for c in at.caption]


def test_the_data_source_label_is_set_once_on_the_data_page_and_used_everywhere(
        monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "data")
    assert at.text_input(key="data_source_label").value == "tiny"
    at.text_input(key="data_source_label").input("  CRM export, January ")
    at.button(key="data_source_label_save").click().run()
    assert at.text_input(key="data_source_label").value == "CRM export, January"
    assert at.sidebar.caption[-1].value == "Data source: CRM export, January"
    at.switch_page("pages/segmentation.py").run()
    assert at.caption[0].value.endswith("· CRM export, January.")
    at.switch_page("pages/data.py").run()
    at.text_input(key="data_source_label").input("")
    at.button(key="data_source_label_save").click().run()
    assert at.text_input(key="data_source_label").value == "tiny"


@pytest.mark.parametrize("page", ["overview", "data"])
def test_an_unreachable_database_shows_a_message_without_its_password(monkeypatch, page):
    url = "postgresql+psycopg2://cs:topsecret99@127.0.0.1:1/none"
    at = open_page(monkeypatch, url, page)
    shown = " ".join(e.value for e in at.error) + " ".join(c.value for c in at.sidebar.caption)
    shown += " ".join(m.value for m in at.markdown)
    assert at.error and "topsecret99" not in shown
    assert all(e.value.startswith("Could not read the database") for e in at.error)


def test_definitions_page_states_every_metric_section(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "definitions")
    text = " ".join(m.value for m in at.markdown)
    for section in ("Portfolio at month T", "Revenue movements", "Cohort retention tables",
                    "Survival", "Segmentation", "Health", "Capacity and headcount"):
        assert section in text
