"""The Health page in Debian's Chromium: every tab draws its charts without an error box."""

from __future__ import annotations

import pytest

from tests.conftest import SHOTS, error_boxes, expect_count, open_app_page, open_tab, wait_until_idle

pytestmark = pytest.mark.browser
TABS = ["Distribution", "Value at risk", "Drivers", "Trend", "Back-test", "Watch list"]


@pytest.fixture
def page(browser, app):
    page = open_app_page(browser, app, "health", "Health", height=2400)
    yield page
    page.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"health_{name}.png"), full_page=True)


def test_the_health_page_draws_tiles_and_the_distribution(page):
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    assert error_boxes(page) == []
    expect_count(page.locator('[data-testid="stMetric"]'), 5)
    expect_count(page.locator(".js-plotly-plot .barlayer .trace"), 3, at_least=True)
    shot(page, "distribution")


def test_each_tab_draws_without_an_error_box(page):
    for tab in TABS[1:]:
        panel = open_tab(page, tab, charts=0 if tab == "Watch list" else 1)
        if tab == "Watch list":
            panel.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=20_000)
        wait_until_idle(page, "Health")
        assert error_boxes(page) == [], tab
        if tab == "Trend":
            expect_count(panel.locator(".js-plotly-plot .sankey"), 1)
        if tab == "Back-test":
            assert "as often as green" in panel.inner_text()
        shot(page, tab.lower().replace(" ", "_").replace("-", ""))


def test_changing_a_band_threshold_redraws_without_error(page):
    page.get_by_text("Score settings").click()
    before = page.locator('[data-testid="stMetricValue"]').nth(2).inner_text()
    slider = page.locator('[data-testid="stSlider"]').last.get_by_role("slider").first
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(b) => { const v = document.querySelectorAll('[data-testid=\"stMetricValue\"]')[2];"
        " return v && v.innerText !== b; }", arg=before, timeout=20_000)
    wait_until_idle(page, "Health")
    assert error_boxes(page) == []
    shot(page, "settings")


def test_a_saved_score_is_the_one_the_overview_shows(page, app):
    default = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    page.get_by_text("Score settings").click()
    slider = page.locator('[data-testid="stSlider"]').last.get_by_role("slider").first
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    save = page.get_by_role("button", name="Save as the score for every page")
    save.wait_for(timeout=20_000)
    page.wait_for_function("() => document.body.innerText.includes('Unsaved changes')",
                           timeout=20_000)
    try:
        save.click()
        page.wait_for_function("() => document.body.innerText.includes('This is the saved score')",
                               timeout=20_000)
        wait_until_idle(page, "Health")
        at_risk = page.locator('[data-testid="stMetricValue"]').first.inner_text()
        assert at_risk != default  # fewer accounts are red below 60 than below 70
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
        wait_until_idle(page, "Overview")
        tile = page.locator('[data-testid="stMetric"]').filter(has_text="ARR at risk")
        assert tile.locator('[data-testid="stMetricValue"]').inner_text() == at_risk
        assert error_boxes(page) == []
    finally:  # the app is shared by the session's browser tests: back to the default score
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Health").click()
        wait_until_idle(page, "Health")
        page.get_by_text("Score settings").click()
        page.get_by_role("button", name="Reset to equal weights and 70 / 85").click()
        page.wait_for_function("() => document.body.innerText.includes('This is the saved score')",
                               timeout=20_000)
