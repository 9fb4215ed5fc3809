"""The layout the README describes: one thin script per page, no Streamlit in the pure
packages, and layers that import one way (``charts`` never imports ``export``: the deck and
the images build on the charts and their one theme, ``charts.theme``)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_charts_never_import_export():
    charts = sorted((ROOT / "cs_dashboard" / "charts").glob("*.py"))
    assert charts
    wrong = {p.name: sorted(m for m in imported_modules(p) if m.startswith("cs_dashboard.export"))
             for p in charts}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_there_is_one_theme_module():
    themes = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "cs_dashboard").rglob("theme.py"))
    assert themes == ["cs_dashboard/charts/theme.py"]

#: The most lines a page script may have: it only wires widgets, package calls and rendering.
PAGE_LINES = 100


def test_every_page_is_a_thin_script():
    pages = sorted((ROOT / "pages").glob("*.py"))
    assert pages
    long = {p.name: n for p in pages
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > PAGE_LINES}
    assert long == {}, "move logic into cs_dashboard (pure) or cs_dashboard/ui (widgets)"


def test_streamlit_is_imported_only_by_pages_ui_and_the_app():
    outside = [p.relative_to(ROOT).as_posix() for p in (ROOT / "cs_dashboard").rglob("*.py")
               if "ui" not in p.relative_to(ROOT / "cs_dashboard").parts
               and any(m.split(".")[0] == "streamlit" for m in imported_modules(p))]
    assert outside == []
