"""The Board pack page and chart downloads in Debian's Chromium: real downloads, valid files."""

from __future__ import annotations

import zipfile

import pytest
from pptx import Presentation

from cs_dashboard.charts.theme import MIN_PNG_WIDTH
from cs_dashboard.export.images import png_size
from tests.conftest import SHOTS, error_boxes, wait_until_idle

pytestmark = pytest.mark.browser


def test_build_deck_downloads_a_valid_pptx_in_the_browser(browser, app, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page.goto(app)
    wait_until_idle(page, "Overview")
    page.locator('[data-testid="stSidebarNav"] a', has_text="Board pack").click()
    wait_until_idle(page, "Board pack")
    company = page.locator(".st-key-bp_company input")
    company.fill("Acme Analytics")
    company.press("Enter")
    wait_until_idle(page, "Board pack")
    page.get_by_role("button", name="Build deck").click()
    deck_button = page.get_by_role("button", name="Download deck (PPTX)")
    deck_button.wait_for(timeout=60_000)
    assert error_boxes(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "board_pack_built.png"), full_page=True)
    with page.expect_download(timeout=60_000) as info:
        deck_button.click()
    download = info.value
    assert download.suggested_filename.endswith(".pptx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    prs = Presentation(str(target))
    assert len(prs.slides) >= 5
    texts = [s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame]
    assert "Acme Analytics" in texts
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download charts and data (ZIP)").click()
    archive = zipfile.ZipFile(info.value.path())
    assert archive.testzip() is None
    assert any(n.endswith(".png") for n in archive.namelist())
    # Downloads do not rerun the page: the download buttons are still there.
    assert deck_button.is_visible()
    page.close()


def test_a_chart_png_download_is_at_least_1600_pixels_wide(browser, app):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page.goto(app)
    wait_until_idle(page, "Overview")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-ov_arr_csv button").first.click()
    assert info.value.suggested_filename == "arr_trend.csv"
    with page.expect_download(timeout=90_000) as info:
        page.locator(".st-key-ov_arr_png button").first.click()
    assert info.value.suggested_filename == "arr_trend.png"
    with open(info.value.path(), "rb") as handle:
        assert png_size(handle.read())[0] >= MIN_PNG_WIDTH
    assert error_boxes(page) == []
    page.close()
