"""The real app in Debian's Chromium (Playwright): every page opens, draws, shows no error,
no clipped metric and no developer chrome, and says it is the demo."""

from __future__ import annotations

import pytest

from tests.conftest import SHOTS, error_boxes, expect_count, open_app_page, wait_until_idle

pytestmark = pytest.mark.browser
PAGES = {"": "Overview", "segmentation": "Segmentation", "health": "Health",
         "retention": "Retention", "capacity": "Capacity", "board_pack": "Board pack",
         "data": "Data", "definitions": "Definitions"}
#: Texts of metric labels, values and deltas that are cut off: wider than their box (shown
#: with an ellipsis) or ending in one.
CLIPPED_METRICS = """() => Array.from(document.querySelectorAll(
    '[data-testid="stMetricLabel"], [data-testid="stMetricValue"], [data-testid="stMetricDelta"]'))
  .flatMap(box => [box, ...box.querySelectorAll('*')])
  .filter(e => e instanceof HTMLElement
          && (e.scrollWidth > e.clientWidth + 1 || e.textContent.includes('\u2026')))
  .map(e => e.closest('[data-testid]').dataset.testid + ': ' + e.textContent)"""
#: Rows of metrics whose values are not level (a wrapped label pushing its value down):
#: the values' tops in each row of columns, when they differ by more than 2 px.
UNEVEN_METRIC_ROWS = """() => Array.from(document.querySelectorAll('[data-testid="stHorizontalBlock"]'))
  .map(row => Array.from(row.children).map(col => col.querySelector('[data-testid="stMetricValue"]'))
    .filter(v => v).map(v => Math.round(v.getBoundingClientRect().top)))
  .filter(tops => tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 2)"""
DEMO_NOTE = "Demo portfolio: 2,000 fictional accounts."


@pytest.mark.parametrize("path", list(PAGES))
def test_page_opens_at_1280_px_with_the_demo_note_and_no_error_or_clipped_or_uneven_metric(
        browser, app, path):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{app}/{path}")
    wait_until_idle(page, PAGES[path])
    # Elements are placeholders until their component has loaded: measure the real ones.
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')",
                           timeout=30_000)
    assert error_boxes(page) == []
    assert page.evaluate(CLIPPED_METRICS) == []
    assert page.evaluate(UNEVEN_METRIC_ROWS) == []
    assert DEMO_NOTE in page.locator(".st-key-demo_note").inner_text()
    assert page.get_by_test_id("stAppDeployButton").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"), full_page=True)
    page.close()


def test_overview_draws_its_chart_and_tiles(browser, app):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(app)
    wait_until_idle(page, "Overview")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    expect_count(page.locator('[data-testid="stMetric"]'), 10)  # KPIs, risk and coverage tiles
    expect_count(page.locator(".js-plotly-plot .scatterlayer .trace"), 1, at_least=True)
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


def test_the_demo_note_hides_for_the_session_and_the_menu_has_no_developer_options(browser, app):
    page = open_app_page(browser, app, "", "Overview")
    note = page.locator(".st-key-demo_note")
    note.get_by_role("link", name="Bring your own data").wait_for()
    note.get_by_role("button", name="Hide").click()
    note.wait_for(state="detached", timeout=20_000)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Retention").click()
    wait_until_idle(page, "Retention")
    assert note.count() == 0
    page.get_by_test_id("stMainMenu").click()
    items = page.get_by_test_id("stMainMenuList").inner_text()
    assert "Print" in items and "Rerun" not in items and "Clear cache" not in items
    page.close()
