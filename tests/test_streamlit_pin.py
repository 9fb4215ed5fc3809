"""The one place the tests reach into Streamlit's internals, pinned.

``conftest.navigation_mode`` sets the private ``PagesManager.uses_pages_directory`` flag to
False after each ``PagesManager`` is made: Streamlit 1.67's ``AppTest`` resets that flag and
then sets it from the existence of a ``pages/`` folder, so without the patch every rerun would
execute a page script without the router (no sidebar, no filters). Streamlit offers no public
switch for it. These tests fail loudly when an upgrade changes either side, so the patch is
revisited instead of silently testing something else.
"""

from __future__ import annotations

import inspect

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_pages_manager_still_has_the_legacy_pages_directory_flag():
    assert "uses_pages_directory" in vars(PagesManager), (
        "Streamlit dropped PagesManager.uses_pages_directory: remove or rewrite "
        "conftest.navigation_mode")
    assert "uses_pages_directory" in inspect.getsource(PagesManager.__init__)


def test_apptest_still_resets_the_flag_so_the_patch_is_still_needed():
    assert "PagesManager.uses_pages_directory = None" in inspect.getsource(AppTest), (
        "AppTest no longer resets the pages-directory flag: conftest.navigation_mode may be "
        "unnecessary now; check and remove it")
    assert (ROOT / "pages").is_dir()


def test_with_the_patch_a_rerun_goes_through_the_router(monkeypatch, empty_url):
    from tests.conftest import open_page

    at = open_page(monkeypatch, empty_url, "definitions")
    at.run()
    assert at.sidebar.caption, "the router's sidebar is missing: app.py did not run"
    assert at.title[0].value == "Definitions"
