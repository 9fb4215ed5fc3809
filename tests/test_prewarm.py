"""The server computes every page's first view when it first sees a data version
(``cs_dashboard.ui.prewarm``), so the first visitor of a page reads it from the cache."""

from __future__ import annotations

import threading

import pytest

from cs_dashboard import timings
from cs_dashboard.ui import cache, prewarm
from tests.conftest import open_page, write_duckdb

PAGES = {"overview": "Overview", "segmentation": "Segmentation", "health": "Health",
         "retention": "Retention", "forecast": "Forecast", "capacity": "Capacity"}


@pytest.fixture
def fresh_url(tmp_path, demo_frames) -> str:
    """The demo in a database no test has read yet (nothing of it is cached)."""
    return write_duckdb(tmp_path, demo_frames, "fresh")


def views(url: str, version: int) -> int:
    """How many default views the warm-up computes for ``url`` (at its newest month)."""
    newest = cache.source_span_whole_book(url, version)[1]
    return len(prewarm.default_views(url, version, newest))


def computed(log, title: str) -> float:
    """Seconds the last run of page ``title`` spent computing (cache misses and their queries)."""
    run = [r for r in timings.read(log) if r["page"] == title][-1]
    return run["steps"]["compute"] + run["steps"]["query"]


def test_after_the_warm_up_no_page_computes_anything_on_its_first_view(
        monkeypatch, tmp_path, fresh_url):
    log = tmp_path / "timings.jsonl"
    monkeypatch.setenv(timings.ENV, str(log))
    version = cache.data_version(fresh_url)
    assert prewarm.warm(fresh_url, version) == views(fresh_url, version)
    warmup = [r for r in timings.read(log) if r["page"] == "(prewarm)"]
    assert len(warmup) == 1 and warmup[0]["steps"]["compute"] > 0
    at = open_page(monkeypatch, fresh_url, "overview")
    assert computed(log, "Overview") == 0
    for page, title in list(PAGES.items())[1:]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert computed(log, title) == 0, f"{title} computed on its first view after the warm-up"


def test_without_the_warm_up_the_first_views_compute(monkeypatch, tmp_path, fresh_url):
    """The check above can fail: a page that nothing warmed computes on its first view."""
    log = tmp_path / "timings.jsonl"
    monkeypatch.setenv(timings.ENV, str(log))
    open_page(monkeypatch, fresh_url, "health")
    assert computed(log, "Health") > 0


def test_start_warms_once_per_data_version_on_a_background_thread(monkeypatch, fresh_url):
    monkeypatch.setenv(prewarm.ENV, "1")
    version = cache.data_version(fresh_url)
    assert prewarm.start(fresh_url, version)
    assert not prewarm.start(fresh_url, version)  # already started for this version
    assert prewarm.start(fresh_url, version + 1)  # an import's new version: warmed again
    for thread in threading.enumerate():
        if thread.name == "cs-dashboard-prewarm":
            thread.join(timeout=120)
    assert all(t.name != "cs-dashboard-prewarm" for t in threading.enumerate())


def test_prewarm_is_off_with_the_environment_switch(monkeypatch, fresh_url):
    for off in ("0", "false", "off"):
        monkeypatch.setenv(prewarm.ENV, off)
        assert not prewarm.enabled()
        assert not prewarm.start(fresh_url, 12345)
    monkeypatch.delenv(prewarm.ENV)
    assert prewarm.enabled()


def test_a_view_that_fails_is_skipped_and_the_rest_are_warmed(monkeypatch, fresh_url):
    from cs_dashboard.api import overview as api_overview

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    broken.__module__, broken.__qualname__ = api_overview.__name__, "overview"
    monkeypatch.setattr(api_overview, "overview", broken)
    version = cache.data_version(fresh_url)
    assert prewarm.warm(fresh_url, version) == views(fresh_url, version) - 1
