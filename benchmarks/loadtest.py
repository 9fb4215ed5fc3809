"""Load test: many real browser sessions on one app server, changing filters on every page.

``python -m benchmarks.loadtest [--sessions 8] [--seconds 120] [--accounts 2000]`` builds a demo
portfolio, starts the app once (``streamlit run``), and drives headless Chromium sessions
(Playwright, Debian's ``/usr/bin/chromium``) through every page from the sidebar, changing one
sidebar filter at a time. It records the time from a click to a drawn chart, every error box,
and any exception in the server log; beside them, the server's own script time per run and per
step (``CS_DASHBOARD_TIMINGS``, ``cs_dashboard/timings.py``), which separates the app's cost
from 8 browsers sharing the machine. It writes the "Load test" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cs_dashboard import timings  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.servers import streamlit_app  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS.md")
BEGIN, END = "<!-- loadtest -->", "<!-- /loadtest -->"
#: Sidebar title -> whether the page draws charts.
PAGES = {"Overview": True, "Segmentation": True, "Health": True, "Retention": True, "Forecast": True,
         "Capacity": True, "Board pack": False, "Data": False, "Definitions": False}
CHART = ".js-plotly-plot .main-svg, [data-testid='stVegaLiteChart'] canvas, " \
        "[data-testid='stVegaLiteChart'] svg"
IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
TIMEOUT_MS = 90_000


@dataclass
class LoadResult:
    """What the sessions saw: timings (seconds) by kind, error boxes, server exceptions."""

    sessions: int
    seconds: float
    timings: dict[str, list[float]] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    filter_changes: int = 0
    errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    #: The server's timing records (``cs_dashboard.timings``), one per script run.
    server_runs: list[dict] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.timings.setdefault(kind, []).append(seconds)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _settle(page) -> None:
    await page.wait_for_timeout(150)
    await page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)


async def _errors(page, where: str, result: LoadResult) -> None:
    boxes = page.locator(ERRORS)
    for i in range(await boxes.count()):
        text = (await boxes.nth(i).inner_text()).strip()
        result.errors.append(f"{where}: {text.splitlines()[0][:300] if text else 'an empty error box'}")


async def _open(page, title: str, result: LoadResult) -> None:
    started = time.perf_counter()
    await page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    await page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    await _settle(page)
    if PAGES[title]:  # a chart, or an error box instead of one
        await page.locator(f"{CHART}, {ERRORS}").first.wait_for(timeout=TIMEOUT_MS)
        if not await page.locator(ERRORS).count():
            result.add("open a page -> chart drawn", time.perf_counter() - started)
    else:
        result.add("open a page without charts -> page ready", time.perf_counter() - started)
    result.visited.add(title)
    await _errors(page, title, result)


async def _change_filter(page, title: str, rng: random.Random, state: dict,
                         result: LoadResult) -> None:
    """Clear the previous filter, then pick one value of a random sidebar filter."""
    boxes = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')
    count = await boxes.count()
    if not count:
        return
    started = time.perf_counter()
    previous = state.get("filter")
    if previous is not None and previous < count:
        await boxes.nth(previous).locator("input").click()
        await page.keyboard.press("Backspace")
        await page.keyboard.press("Escape")
        await _settle(page)
        started = time.perf_counter()
    choice = rng.randrange(count)
    options = page.get_by_role("option")
    for attempt in range(3):  # a click that lands during a rerun can be lost: click again
        await boxes.nth(choice).click()
        try:
            await options.first.wait_for(timeout=TIMEOUT_MS // 6 * (attempt + 1))
            break
        except Exception:  # noqa: BLE001 - the last attempt's timeout is reported
            if attempt == 2:
                raise
            await page.keyboard.press("Escape")
            await _settle(page)
    await options.nth(rng.randrange(min(await options.count(), 4))).click()
    await page.keyboard.press("Escape")
    state["filter"] = choice
    await _settle(page)
    if PAGES[title]:
        await page.locator(f"{CHART}, {ERRORS}").first.wait_for(timeout=TIMEOUT_MS)
        if not await page.locator(ERRORS).count():
            result.add("change a filter -> chart drawn", time.perf_counter() - started)
    result.filter_changes += 1
    await _errors(page, f"{title} after a filter change", result)


async def _session(browser, base: str, index: int, seconds: float, result: LoadResult) -> None:
    """One user: open the app, then pages in turn (starting at a different page per session,
    so a short run still covers all) for ``seconds`` after the first chart is drawn."""
    rng = random.Random(index)
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    titles = list(PAGES)
    start = index * len(titles) // max(1, result.sessions)
    titles = titles[start:] + titles[:start]
    where = "opening the app"
    try:
        started = time.perf_counter()
        await page.goto(base, timeout=TIMEOUT_MS)
        await page.get_by_role("heading", name="Overview", exact=True).first.wait_for(
            timeout=TIMEOUT_MS)
        await _settle(page)
        await page.locator(CHART).first.wait_for(timeout=TIMEOUT_MS)
        result.add("first visit -> chart drawn", time.perf_counter() - started)
        deadline = time.monotonic() + seconds
        state: dict = {}
        step = 0
        # each session opens at least its own share of the pages, so every page is covered
        share = -(-len(titles) // max(1, result.sessions))
        while time.monotonic() < deadline or step < share:
            title = titles[step % len(titles)]
            where = f"opening {title}"
            await _open(page, title, result)
            if (time.monotonic() < deadline or step < share) and rng.random() < 0.6:
                where = f"changing a filter on {title}"
                await _change_filter(page, title, rng, state, result)
            step += 1
    except Exception as exc:  # noqa: BLE001 - a stuck or broken session is a finding
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        result.errors.append(f"session {index}, {where}: {type(exc).__name__}: {first[:200]}")
    finally:
        await context.close()


async def _drive(base: str, sessions: int, seconds: float, result: LoadResult) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
                                          headless=True)
        await asyncio.gather(*(_session(browser, base, i, seconds, result)
                               for i in range(sessions)))
        await browser.close()


def run(db_url: str, sessions: int = 8, seconds: float = 120.0,
        state_url: str | None = None) -> LoadResult:
    """Start the app on ``db_url`` once and drive ``sessions`` browsers for ``seconds``."""
    result = LoadResult(sessions, seconds)
    workdir = tempfile.mkdtemp(prefix="cs_load_")
    state_url = state_url or f"sqlite:///{workdir}/state.sqlite"
    log = Path(workdir) / "timings.jsonl"
    previous = os.environ.get(timings.ENV)
    os.environ[timings.ENV] = str(log)
    try:
        # the app as shipped: its warm-up on (the tests' conftest turns it off for tests)
        with streamlit_app(db_url, state_url, env={"CS_DASHBOARD_PREWARM": "1"}) as base, \
                concurrent.futures.ThreadPoolExecutor(1) as pool:
            # a thread of its own: the caller may already run an event loop (sync Playwright)
            pool.submit(asyncio.run, _drive(base, sessions, seconds, result)).result()
    except AssertionError as exc:  # streamlit_app's check of the server log
        result.server_errors.append(str(exc))
    finally:
        if previous is None:
            os.environ.pop(timings.ENV, None)
        else:
            os.environ[timings.ENV] = previous
    result.server_runs = timings.read(log)
    return result


def server_rows(runs: list[dict]) -> list[tuple[str, list[float]]]:
    """(label, seconds per run) for the script's total and each step, then each page's total."""
    rows = [("script run (total)", [r["total"] for r in runs])]
    rows += [(f"- {name}", [r["steps"].get(name, 0.0) for r in runs]) for name in timings.STEPS]
    for title in PAGES:
        mine = [r["total"] for r in runs if r["page"] == title]
        if mine:
            rows.append((f"script run on {title}", mine))
    return rows


def markdown(result: LoadResult, accounts: int, note: str = "") -> str:
    lines = [BEGIN, "## Load test", "",
             f"`python -m benchmarks.loadtest --sessions {result.sessions} --seconds "
             f"{result.seconds:g} --accounts {accounts}`: one app server (`streamlit run`), "
             f"{result.sessions} concurrent headless Chromium sessions for {result.seconds:g} s "
             f"on the {accounts:,}-account demo, each going through every page from the sidebar "
             f"and changing one sidebar filter on most of them ({result.filter_changes} filter "
             "changes in all). Times run from the click to the drawn chart, on the same "
             "2-core machine as the browsers; the run starts once each session has drawn its "
             "first chart.", ""] + ([note, ""] if note else []) + [
             "| step | count | p50 (s) | p95 (s) | max (s) |", "|---|---:|---:|---:|---:|"]
    for kind, values in sorted(result.timings.items()):
        lines.append(f"| {kind} | {len(values)} | {statistics.median(values):.2f} | "
                     f"{percentile(values, 0.95):.2f} | {max(values):.2f} |")
    if result.server_runs:
        peak = max(r.get("peak_mb", 0) for r in result.server_runs)
        lines += ["", "Server side (the app's own script time per run, exclusive steps; "
                  f"`cs_dashboard/timings.py`; peak server memory {peak:,} MB):", "",
                  "| server, per script run | runs | p50 (s) | p95 (s) | max (s) |",
                  "|---|---:|---:|---:|---:|"]
        for name, values in server_rows(result.server_runs):
            lines.append(f"| {name} | {len(values)} | {statistics.median(values):.2f} | "
                         f"{percentile(values, 0.95):.2f} | {max(values):.2f} |")
    lines += ["", f"Pages visited: {', '.join(t for t in PAGES if t in result.visited)}.",
              f"Error boxes seen: {len(result.errors)}. Exceptions in the server log: "
              f"{len(result.server_errors)}."]
    lines += [f"- {e}" for e in result.errors[:20]]
    for log in result.server_errors:
        raised = [line.strip() for line in log.splitlines()
                  if re.match(r"^\s*[\w.]+(Error|Exception|Exit)\b", line)]
        lines.append(f"- server: {raised[-1] if raised else 'a traceback (see the run output)'}")
    return "\n".join(lines + [END])


def write_section(text: str, path: Path = RESULTS, begin: str = BEGIN, end_marker: str = END) -> None:
    """Replace the section between ``begin`` and ``end_marker`` of RESULTS.md (or append it)."""
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    start, end = current.find(begin), current.find(end_marker)
    if 0 <= start < end:
        current = current[:start] + text + current[end + len(end_marker):]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loadtest")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md alone")
    parser.add_argument("--note", default="", help="a line on the run's conditions")
    args = parser.parse_args(argv)
    from cs_dashboard import demo
    from cs_dashboard.db.engine import make_engine
    from cs_dashboard.db.writer import replace_source

    with tempfile.TemporaryDirectory(prefix="cs_load_") as tmp:
        url = f"duckdb:///{Path(tmp) / 'load.duckdb'}"
        engine = make_engine(url)
        replace_source(engine, demo.generate(demo.DemoSpec(accounts=args.accounts)))
        engine.dispose()
        result = run(url, args.sessions, args.seconds, f"sqlite:///{Path(tmp) / 'state.sqlite'}")
    text = markdown(result, args.accounts, args.note)
    for log in result.server_errors:
        print(log)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0 if not result.errors and not result.server_errors else 1


if __name__ == "__main__":
    sys.exit(main())
