"""The load test in CI: a short run (4 sessions opening every page between them, then 5 s of
page visits and filter changes) with no error box and no server exception. The full run, with
its timings, is the benchmark (``python -m benchmarks.loadtest``)."""

from __future__ import annotations

import os

import pytest

from benchmarks import loadtest
from tests.conftest import CHROMIUM, require, write_duckdb

pytestmark = pytest.mark.browser


def test_concurrent_sessions_changing_filters_see_no_error(demo_frames, tmp_path):
    require(os.path.exists(CHROMIUM), "Debian's chromium is not installed")
    url = write_duckdb(tmp_path, demo_frames, "load")
    result = loadtest.run(url, sessions=4, seconds=5, state_url=f"sqlite:///{tmp_path / 'state.sqlite'}")
    assert result.errors == []
    assert result.server_errors == []
    assert result.visited == set(loadtest.PAGES)
    assert len(result.timings["first visit -> chart drawn"]) == 4
    assert result.timings["open a page -> chart drawn"]
    assert result.filter_changes >= 1
    assert {r["page"] for r in result.server_runs} >= {"Overview", "Health"}  # server timings


def test_the_results_section_reports_p50_and_p95_and_replaces_the_old_one(tmp_path):
    result = loadtest.LoadResult(8, 120.0, timings={"open a page -> chart drawn": [1.0, 2.0, 3.0, 10.0]},
                                 visited={"Overview"}, filter_changes=5)
    path = tmp_path / "RESULTS.md"
    path.write_text(f"# Benchmark results\n\nbefore\n\n{loadtest.BEGIN}\nold\n{loadtest.END}\n\nafter\n")
    loadtest.write_section(loadtest.markdown(result, 2000), path)
    text = path.read_text()
    assert "old" not in text and "before" in text and "after" in text
    assert "| open a page -> chart drawn | 4 | 2.50 | 10.00 | 10.00 |" in text
    assert text.count(loadtest.BEGIN) == 1


def test_the_results_section_puts_the_server_steps_beside_the_browser_times():
    runs = [{"page": "Health", "total": t, "steps": {"query": t / 2, "figure": t / 4,
                                                      "other": t / 4}, "peak_mb": 500}
            for t in (0.2, 0.4, 0.8, 1.6)]
    result = loadtest.LoadResult(8, 120.0, timings={"open a page -> chart drawn": [1.0]},
                                 server_runs=runs)
    text = loadtest.markdown(result, 2000, "Load average 3.1 at the start.")
    assert "Load average 3.1 at the start." in text and "peak server memory 500 MB" in text
    assert "| script run (total) | 4 | 0.60 | 1.60 | 1.60 |" in text
    assert "| - query | 4 | 0.30 | 0.80 | 0.80 |" in text
    assert "| script run on Health | 4 | 0.60 | 1.60 | 1.60 |" in text
