"""The Data page in Chromium: upload a Salesforce export, choose the two columns it names
otherwise, and see the preview (mapping, date orders, first rows, MRR chart) before importing.
Nothing is imported: the app's data stays as the other browser tests expect it."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, SHOTS, error_boxes, expect_count, open_app_page, wait_until_idle

pytestmark = pytest.mark.browser
SAMPLES = ROOT / "data" / "samples"


def upload(page, label: str, name: str) -> None:
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=label)
    uploader.locator('input[type="file"]').set_input_files(str(SAMPLES / name))
    uploader.locator('[data-testid="stFileChip"]').wait_for(timeout=20_000)
    wait_until_idle(page, "Data")


def choose(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_idle(page, "Data")


def test_an_upload_is_previewed_before_anything_is_imported(browser, app):
    page = open_app_page(browser, app, "data", "Data", height=3000)
    upload(page, "accounts file", "salesforce_accounts.csv")
    upload(page, "mrr file", "salesforce_mrr.csv")
    choose(page, "is month?", "Revenue Month")
    choose(page, "is mrr?", "MRR (USD)")
    page.get_by_text("Total MRR by month").wait_for(timeout=20_000)
    chart = page.locator('[data-testid="stVegaLiteChart"]')
    chart.first.wait_for(timeout=20_000)
    assert error_boxes(page) == []
    body = page.locator("body").inner_text()
    assert "month-first (MM/DD/YYYY), as '3/15/2022' shows" in body
    assert "5,000.00 in the last month" in body
    expect_count(chart, 1)
    assert page.get_by_role("button", name="Import").is_enabled()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator('[data-testid="stMain"]').screenshot(path=str(SHOTS / "data_preview.png"))
    page.close()
