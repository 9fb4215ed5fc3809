"""The Retention and Overview pages in Debian's Chromium: every tab draws, no error box."""

from __future__ import annotations

import pytest

from tests.conftest import SHOTS, error_boxes, expect_count, open_app_page, open_tab

pytestmark = pytest.mark.browser
TABS = {"Cohorts": "retention_cohorts", "Survival": "retention_survival",
        "Revenue movements": "retention_movements", "NRR / GRR trends": "retention_trends"}


def visible_charts(page) -> int:
    return page.locator(".js-plotly-plot .main-svg").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().width > 0).length")


def test_every_retention_tab_draws_its_charts_without_an_error(browser, app):
    page = open_app_page(browser, app, "retention", "Retention", height=2600)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for tab, shot in TABS.items():
        open_tab(page, tab, charts=1)
        assert visible_charts(page) >= 1, tab
        assert error_boxes(page) == [], tab
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    page.close()


def test_the_cohort_heatmap_and_waterfall_render_their_traces(browser, app):
    page = open_app_page(browser, app, "retention", "Retention", height=2000)
    # every cartesian chart has an empty (hidden) heatmap layer: wait for a drawn heatmap
    page.locator(".js-plotly-plot .heatmaplayer .hm image").first.wait_for(timeout=30_000)
    open_tab(page, "Revenue movements", charts=1)
    page.locator(".js-plotly-plot .waterfalllayer .trace").first.wait_for(timeout=30_000)
    expect_count(page.locator(".js-plotly-plot .waterfalllayer .point"), 7)
    assert error_boxes(page) == []
    page.close()


def test_the_overview_draws_its_four_charts_and_the_new_tiles(browser, app):
    page = open_app_page(browser, app, "", "Overview", height=2000)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stMetricLabel\"]').length >= 10",
        timeout=20_000)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    for label in ("ARR at risk", "Accounts per CSM", "ARR per CSM"):
        assert any(label in text for text in labels)
    assert error_boxes(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "overview_executive.png"), full_page=True)
    page.close()
