"""Time to the first page drawn in a browser on the demo: one user, a fresh server.

``python -m benchmarks.first_page [--runs 5]`` writes its section of ``benchmarks/RESULTS.md``.
"cold" is the first visit after the server starts (empty caches); "warm" visits reuse the
server's caches, as every visitor after the first does.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.loadtest import CHART, IDLE_JS, write_section
from cs_dashboard import demo
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.servers import streamlit_app

BEGIN, END = "<!-- firstpage -->", "<!-- /firstpage -->"
TARGET_S = 3.0


def _visit(browser, base: str) -> float:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    started = time.perf_counter()
    page.goto(base)
    page.locator(CHART).first.wait_for(timeout=60_000)
    page.wait_for_function(IDLE_JS, timeout=60_000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


def measure(runs: int) -> tuple[float, list[float]]:
    """(cold seconds, warm seconds per run) to the Overview with its chart drawn."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"duckdb:///{Path(tmp) / 'demo.duckdb'}"
        engine = make_engine(url)
        replace_source(engine, demo.generate())
        engine.dispose()  # DuckDB allows one process per file: release it for the app server
        with streamlit_app(url, f"sqlite:///{Path(tmp) / 'state.sqlite'}") as base, \
                sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            cold = _visit(browser, base)
            warm = [_visit(browser, base) for _ in range(runs)]
            browser.close()
    return cold, warm


def markdown(cold: float, warm: list[float]) -> str:
    median = statistics.median(warm)
    return "\n".join([
        BEGIN, "## First page in a browser", "",
        "`python -m benchmarks.first_page`: the Overview on the 2,000-account demo in headless "
        "Chromium, from navigation to the drawn ARR chart with Streamlit idle; one user.", "",
        "| visit | seconds | target | met |", "|---|---:|---:|:-:|",
        f"| first after server start (cold caches) | {cold:.2f} | | |",
        f"| later visits, median of {len(warm)} | {median:.2f} | {TARGET_S:g} | "
        f"{'yes' if median <= TARGET_S else '**NO**'} |",
        END])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.first_page")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    cold, warm = measure(args.runs)
    text = markdown(cold, warm)
    write_section(text, begin=BEGIN, end_marker=END)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
