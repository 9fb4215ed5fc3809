"""The real app in Debian's Chromium (Playwright): every page opens, draws, shows no error."""

from __future__ import annotations

import pytest

from tests.conftest import SHOTS, error_boxes, wait_until_idle

pytestmark = pytest.mark.browser
PAGES = {"": "Overview", "segmentation": "Segmentation", "health": "Health",
         "retention": "Retention", "capacity": "Capacity", "board_pack": "Board pack",
         "data": "Data", "definitions": "Definitions"}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_opens_without_an_error_box(browser, app, path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{app}/{path}")
    wait_until_idle(page, PAGES[path])
    assert error_boxes(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"), full_page=True)
    page.close()


def test_overview_draws_its_chart_and_tiles(browser, app):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(app)
    wait_until_idle(page, "Overview")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    assert page.locator('[data-testid="stMetric"]').count() == 10  # KPIs, risk and coverage tiles
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 1
    page.close()


def test_sidebar_filter_changes_the_numbers_in_the_browser(browser, app):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(app)
    wait_until_idle(page, "Overview")
    tile = page.locator('[data-testid="stMetric"]').nth(1)
    before = tile.locator('[data-testid="stMetricValue"]').inner_text()
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(1).click()
    page.get_by_role("option", name="EMEA").click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "(b) => { const v = document.querySelectorAll('[data-testid=\"stMetricValue\"]')[1];"
        " return v && v.innerText !== b; }", arg=before, timeout=20_000)
    assert error_boxes(page) == []
    page.close()
