"""The warm-up on a real server (its default: on): after it, the Health page's first view in
Chromium computes nothing and draws without an error box."""

from __future__ import annotations

import time

import pytest

from cs_dashboard import timings
from tests.conftest import error_boxes, expect_count, open_app_page, wait_until_idle, write_duckdb
from tests.servers import streamlit_app

pytestmark = pytest.mark.browser


def records(log, page: str) -> list[dict]:
    return [r for r in timings.read(log) if r["page"] == page] if log.exists() else []


def test_after_the_servers_warm_up_a_pages_first_view_reads_the_cache(
        browser, tmp_path, demo_frames):
    url = write_duckdb(tmp_path, demo_frames, "warm")
    log = tmp_path / "timings.jsonl"
    env = {"CS_DASHBOARD_PREWARM": "1", timings.ENV: str(log)}
    with streamlit_app(url, f"sqlite:///{tmp_path / 'state.sqlite'}", env=env) as base:
        page = open_app_page(browser, base, "", "Overview")
        deadline = time.monotonic() + 120
        while not records(log, "(prewarm)") and time.monotonic() < deadline:
            time.sleep(0.25)
        warmup = records(log, "(prewarm)")
        assert warmup and warmup[0]["steps"]["compute"] > 0
        page.locator('[data-testid="stSidebarNav"] a', has_text="Health").first.click()
        wait_until_idle(page, "Health")
        expect_count(page.locator('[data-testid="stMetric"]'), 5)
        assert error_boxes(page) == []
        health = records(log, "Health")
        assert health and health[0]["steps"]["compute"] == 0 and health[0]["steps"]["query"] == 0
        page.close()
