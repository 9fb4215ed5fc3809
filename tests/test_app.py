"""Every page through the router with AppTest: renders, no exception, the right numbers."""

import pytest

from cs_dashboard import api
from cs_dashboard.db.engine import make_engine
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from tests.conftest import open_page

PAGES = ["overview", "segmentation", "health", "retention", "capacity", "board_pack", "data",
         "definitions"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo(monkeypatch, demo_url, page):
    at = open_page(monkeypatch, demo_url, page)
    assert not at.error
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_an_empty_database(monkeypatch, empty_url, page):
    at = open_page(monkeypatch, empty_url, page)
    assert not at.error


def test_overview_tiles_show_the_portfolio_metrics(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "overview")
    expected = api.portfolio_at(make_engine(demo_url))
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["ARR"] == fmt_money(expected.arr)
    assert tiles["Active accounts"] == fmt_count(expected.accounts)
    assert tiles["NRR (12m)"] == fmt_pct(expected.nrr_12m)
    assert tiles["GRR (12m)"] == fmt_pct(expected.grr_12m)
    assert tiles["Logo retention (12m)"] == fmt_pct(expected.logo_retention_12m)


def test_overview_follows_the_sidebar_filters(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "overview")
    assert {m.label: m.value for m in at.metric}["Active accounts"] == "3"
    at.sidebar.multiselect(key="f_region").select("EMEA").run()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Active accounts"] == "1" and tiles["NRR (12m)"] == "75.0%"


def test_filters_persist_across_pages(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "overview")
    at.sidebar.multiselect(key="f_region").select("EMEA").run()
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/overview.py").run()
    assert at.sidebar.multiselect(key="f_region").value == ["EMEA"]
    assert {m.label: m.value for m in at.metric}["Active accounts"] == "1"


def test_empty_database_points_to_the_data_page(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "overview")
    assert "Data" in at.info[0].value


def test_data_page_shows_table_counts_and_masks_the_source(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "data")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["accounts rows"] == "4" and tiles["mrr rows"] == "40"
    assert tiles["health rows"] == "absent"
    assert tiles["Months"] == "2025-01 – 2026-01"


def test_an_unreachable_database_shows_a_message_without_its_password(monkeypatch):
    url = "postgresql+psycopg2://cs:topsecret99@127.0.0.1:1/none"
    at = open_page(monkeypatch, url, "overview")
    shown = " ".join(e.value for e in at.error) + " ".join(c.value for c in at.sidebar.caption)
    assert at.error and "topsecret99" not in shown


def test_definitions_page_states_every_metric_section(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "definitions")
    text = " ".join(m.value for m in at.markdown)
    for section in ("Portfolio at month T", "Revenue movements", "Cohort retention tables",
                    "Survival", "Segmentation", "Health", "Capacity and headcount"):
        assert section in text
