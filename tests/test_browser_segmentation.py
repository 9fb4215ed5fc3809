"""The Segmentation page in Debian's Chromium: the Pareto and each tab's chart draw, no error."""

from __future__ import annotations

import pytest

from cs_dashboard.ui.segmentation import TABS
from tests.conftest import SHOTS, error_boxes, expect_count, open_app_page, open_tab, wait_until_idle

pytestmark = pytest.mark.browser


def open_segmentation(browser, app):
    return open_app_page(browser, app, "segmentation", "Segmentation")


def test_segmentation_draws_the_pareto_and_its_charts_without_an_error(browser, app):
    page = open_segmentation(browser, app)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    pareto = page.locator(".js-plotly-plot").first
    expect_count(pareto.locator(".barlayer .trace"), 3)  # one bar series per tier
    expect_count(pareto.locator(".scatterlayer .trace"), 1)  # the cumulative line
    assert "Where the revenue is" in pareto.locator(".gtitle").text_content()
    expect_count(page.locator('[data-testid="stMetric"]'), 5)
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30_000)  # the tiers' shares
    assert error_boxes(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "segmentation_2k.png"), full_page=True)
    for tab in TABS[1:]:  # each tab draws its chart when opened
        panel = open_tab(page, tab, charts=1)
        wait_until_idle(page, "Segmentation")
        assert error_boxes(page) == [], tab
        if tab == "Tier migration":
            expect_count(panel.locator('[data-testid="stMetric"]'), 4)
        page.screenshot(path=str(SHOTS / f"segmentation_{TABS.index(tab)}.png"), full_page=True)
    page.close()


def test_switching_the_axis_to_share_of_accounts_redraws_in_percent(browser, app):
    page = open_segmentation(browser, app)
    page.get_by_role("radio", name="Cumulative share of accounts").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .xtitle')]"
        ".some(t => t.textContent.startsWith('Cumulative share of accounts'))", timeout=30_000)
    ticks = page.locator(".js-plotly-plot").first.locator(".xtick text").evaluate_all(
        "els => els.map(e => e.textContent)")
    assert any(t.endswith("%") for t in ticks)
    assert error_boxes(page) == []
    page.close()
