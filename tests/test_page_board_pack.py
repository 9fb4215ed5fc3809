"""The Board pack page under AppTest: sections, options, building, downloads, empty states."""

from __future__ import annotations

from cs_dashboard.export import sections
from tests.conftest import open_page


def download_labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_the_page_offers_every_available_section_selected(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "board_pack")
    chosen = at.multiselect(key="bp_sections")
    assert chosen.value == list(sections.available())
    assert at.color_picker(key="bp_accent").value == "#1f4e79"
    assert download_labels(at) == []


def test_build_deck_offers_the_pptx_and_zip_downloads(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "board_pack")
    at.text_input(key="bp_company").input("Acme Analytics")
    at.multiselect(key="bp_sections").set_value(["overview", "segmentation"])
    at.button(key="bp_build").click().run()
    assert not at.exception
    assert download_labels(at) == ["Download deck (PPTX)", "Download charts and data (ZIP)"]
    assert at.success[0].value == "Your deck is ready: 5 slides."
    outline = at.markdown[-1].value
    assert "Acme Analytics, data as of 2026-01" in outline
    assert "The largest account holds 60% of ARR" in outline


def test_changing_an_option_after_building_asks_to_build_again(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "board_pack")
    at.button(key="bp_build").click().run()
    assert len(download_labels(at)) == 2
    at.text_input(key="bp_company").input("Other Co").run()
    assert download_labels(at) == []
    assert any("Build deck" in c.value for c in at.caption)


def test_an_empty_section_selection_explains_itself(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "board_pack")
    at.multiselect(key="bp_sections").set_value([]).run()
    assert not at.exception
    assert at.info[0].value == "Choose at least one section to build a board pack."
    assert not at.button


def test_filters_matching_no_account_explain_themselves(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "board_pack")
    at.multiselect(key="f_region").set_value(["APAC"]).run()
    at.multiselect(key="f_csm").set_value(["Ann"]).run()
    at.multiselect(key="bp_sections").set_value(["segmentation"])
    at.button(key="bp_build").click().run()
    assert not at.exception
    assert "no data" in at.warning[0].value


def test_an_empty_database_shows_the_empty_state(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "board_pack")
    assert "no revenue data" in at.info[0].value
    assert not at.button
