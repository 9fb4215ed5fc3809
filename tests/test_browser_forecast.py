"""The Forecast page in Debian's Chromium: tiles, the renewals chart and the forecast tab draw
without an error box."""

from __future__ import annotations

import pytest

from tests.conftest import SHOTS, error_boxes, expect_count, open_app_page, open_tab, wait_until_idle

pytestmark = pytest.mark.browser


def test_the_forecast_page_draws_its_tiles_renewals_and_forecast(browser, app):
    page = open_app_page(browser, app, "forecast", "Forecast", height=2200)
    try:
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        assert error_boxes(page) == []
        labels = page.locator('[data-testid="stMetricLabel"]')
        assert [labels.nth(i).inner_text() for i in range(3)] == [
            "GRR next 12 months", "NRR next 12 months", "Expected churn ARR"]
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "forecast_renewals.png"), full_page=True)
        panel = open_tab(page, "Retention forecast", charts=1)
        wait_until_idle(page, "Forecast")
        assert error_boxes(page) == []
        expect_count(panel.locator(".js-plotly-plot .scatterlayer .trace"), 4, at_least=True)
        page.screenshot(path=str(SHOTS / "forecast_retention.png"), full_page=True)
    finally:
        page.close()
