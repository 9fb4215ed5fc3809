"""The Capacity page in Chromium: every tab draws its charts without an error box."""

from __future__ import annotations

import pytest

from tests.conftest import SHOTS, error_boxes, expect_count, open_app_page, open_tab

pytestmark = pytest.mark.browser
TABS = {"Today: who carries what": "today", "Assumptions": "assumptions",
        "Need, supply and hiring plan": "plan", "Budget and sensitivity": "budget", "Scenarios": "scenarios"}


def open_capacity(browser, app):
    return open_app_page(browser, app, "capacity", "Capacity", height=2400)


def test_every_tab_renders_and_draws_its_charts(browser, app):
    page = open_capacity(browser, app)
    SHOTS.mkdir(parents=True, exist_ok=True)
    charts = {"today": 1, "assumptions": 0, "plan": 3, "budget": 1, "scenarios": 1}
    for tab, name in TABS.items():
        panel = open_tab(page, tab, charts[name])
        if charts[name]:
            expect_count(panel.locator(".js-plotly-plot"), charts[name], at_least=True)
        assert error_boxes(page) == []
        page.screenshot(path=str(SHOTS / f"capacity_{name}.png"), full_page=True)
    expect_count(page.locator('[data-testid="stMetric"]'), 6, at_least=True)
    page.close()


def test_loading_the_wingtip_example_changes_the_headline(browser, app):
    page = open_capacity(browser, app)
    page.get_by_role("tab", name="Scenarios", exact=True).click()
    panel = page.locator('[role="tabpanel"]:visible').first
    panel.locator('[data-testid="stSelectbox"]').filter(has_text="Example").click()
    page.get_by_role("option", name="Wingtip team (reference book)").click()
    panel.get_by_role("button", name="Load example").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some("
        "m => m.innerText.includes('Total CS team') && m.innerText.includes('21'))", timeout=20_000)
    assert error_boxes(page) == []
    page.screenshot(path=str(SHOTS / "capacity_wingtip.png"), full_page=True)
    page.close()
