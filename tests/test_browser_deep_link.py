"""A deep link as the very first request to a fresh server opens the page inside the app's
navigation (``app.py`` runs first), not Streamlit's legacy ``pages/`` listing."""

import pytest

from tests.conftest import error_boxes, wait_until_idle, write_duckdb
from tests.servers import streamlit_app

pytestmark = pytest.mark.browser


def test_a_deep_link_first_request_renders_the_page(browser, demo_frames, tmp_path):
    url = write_duckdb(tmp_path, demo_frames, "deeplink")
    with streamlit_app(url, f"sqlite:///{tmp_path / 'state.sqlite'}") as base:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{base}/retention")
        # the page's first run hands over to app.py (briefly at /), whose navigation opens the
        # page again: wait for that navigation, then for the page's own address
        nav = page.get_by_test_id("stSidebarNav")
        nav.get_by_role("link", name="Board pack", exact=True).wait_for(timeout=30_000)
        page.wait_for_url(f"{base}/retention", timeout=30_000)
        wait_until_idle(page, "Retention")
        assert error_boxes(page) == []
        assert page.url.endswith("/retention")
        # the app's own navigation (titles), not Streamlit's file-name list of pages/
        assert nav.get_by_role("link", name="Board pack", exact=True).count() == 1
        assert nav.get_by_role("link", name="board pack", exact=True).count() == 0
        assert nav.get_by_role("link", name="app", exact=True).count() == 0
        page.get_by_role("link", name="Overview").first.click()
        wait_until_idle(page, "Overview")
        assert error_boxes(page) == []
        page.close()
