"""What a user waits for: every page in a real browser, first view and warm view, with the
server's own time per step beside it.

``python -m benchmarks.pages [--accounts 2000,200000] [--warm 2] [--db-dir DIR] [--no-write]``
builds the demo at each size (``python -m cs_dashboard demo``; kept and reused with
``--db-dir``), starts the app (``streamlit run``) with server timings on
(``CS_DASHBOARD_TIMINGS``, see ``cs_dashboard/timings.py``) and drives one headless Chromium
(Playwright, Debian's ``/usr/bin/chromium``) through the sidebar: the Overview first, then each
page once (*first view*: the server has not computed that page's results yet) and then again
(*warm*: results cached). A view runs from the click in the sidebar to the page's heading and
first chart drawn with Streamlit idle. Beside each, the server's script time for that view
split into steps (query, compute, cached read, figure, send, other). Writes the "Pages in a
browser" section of ``benchmarks/RESULTS.md``.

``--prewarm on`` (the app's default, ``cs_dashboard/ui/prewarm.py``): the server computes every
page's default view on a background thread from its first run; the benchmark waits on the
Overview until that warm-up has finished (its own timing record) and reports how long it took,
so the first views are what a visitor gets once the server has warmed up. ``--prewarm off``:
every first view computes its page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.loadtest import CHART, ERRORS, IDLE_JS, write_section  # noqa: E402
from cs_dashboard import timings  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.servers import streamlit_app  # noqa: E402

BEGIN, END = "<!-- pages -->", "<!-- /pages -->"
#: Pages with charts, in sidebar order.
PAGES = ("Overview", "Segmentation", "Health", "Retention", "Forecast", "Capacity")
TIMEOUT_MS = 300_000
#: (first view, warm view) targets in seconds by accounts.
TARGETS = {200_000: (2.0, 1.0), 2_000_000: (5.0, 1.5)}
DEMO_END = "2026-11"


@dataclass
class View:
    """One page view: browser seconds and the server's records for it."""

    page: str
    seconds: float
    records: list[dict] = field(default_factory=list)

    @property
    def server(self) -> float:
        return sum(r["total"] for r in self.records)

    def steps(self) -> dict[str, float]:
        out = dict.fromkeys(timings.STEPS, 0.0)
        for record in self.records:
            for name, value in record["steps"].items():
                out[name] = out.get(name, 0.0) + value
        return out


@dataclass
class SizeResult:
    accounts: int
    build_seconds: float | None
    first: dict[str, View] = field(default_factory=dict)
    warm: dict[str, list[View]] = field(default_factory=dict)
    peak_mb: int = 0
    errors: list[str] = field(default_factory=list)
    #: Seconds the server's warm-up took (``None``: off, or not finished in time).
    prewarm_seconds: float | None = None
    prewarm: bool = True


def build(accounts: int, directory: Path) -> tuple[str, float | None]:
    """The demo at ``accounts`` in ``directory`` (reused when present); (url, build seconds)."""
    path = directory / f"demo_{accounts}.duckdb"
    url = f"duckdb:///{path}"
    if path.exists():
        return url, None
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cs_dashboard", "demo", "--db", url, "--accounts",
                    str(accounts), "--end", DEMO_END, "--json"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return url, time.perf_counter() - started


def _ready(page, title: str) -> None:
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
    page.locator(f"{CHART}, {ERRORS}").first.wait_for(timeout=TIMEOUT_MS)


def _view(page, title: str, log: Path, seen: int, click: bool = True) -> tuple[View, int]:
    """Open ``title`` and wait until the server has finished the page's run (its timing record
    is written at the end of the run; polled every 25 ms) and the browser shows the heading
    and a chart with Streamlit idle. No fixed pauses: the browser can look idle before the run
    has started, which the server's record rules out."""
    started = time.perf_counter()
    if click:
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        records = timings.read(log)
        mine = [r for r in records[seen:] if r["page"] == title]
        if mine or time.monotonic() > deadline:
            break
        page.wait_for_timeout(25)
    _ready(page, title)
    return View(title, time.perf_counter() - started, mine), len(records)


def _await_prewarm(log: Path) -> float | None:
    """Wait for the server's warm-up record; its seconds (``None`` after ``TIMEOUT_MS``)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        done = [r for r in timings.read(log) if r["page"] == "(prewarm)"]
        if done:
            return done[0]["total"]
        time.sleep(0.25)
    return None


def measure(accounts: int, url: str, build_seconds: float | None, warm: int,
            prewarm: bool = True) -> SizeResult:
    """Drive one browser through every page on a fresh server for the demo at ``url``."""
    from playwright.sync_api import sync_playwright

    result = SizeResult(accounts, build_seconds, prewarm=prewarm)
    with tempfile.TemporaryDirectory(prefix="cs_pages_") as tmp:
        log = Path(tmp) / "timings.jsonl"
        os.environ[timings.ENV] = str(log)
        try:
            with streamlit_app(url, f"sqlite:///{Path(tmp) / 'state.sqlite'}",
                               env={"CS_DASHBOARD_PREWARM": "1" if prewarm else "0"}) as base, \
                    sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(base, timeout=TIMEOUT_MS)
                seen = 0
                result.first["Overview"], seen = _view(page, "Overview", log, seen, click=False)
                if prewarm:
                    result.prewarm_seconds = _await_prewarm(log)
                    seen = len(timings.read(log))
                for title in PAGES[1:]:
                    result.first[title], seen = _view(page, title, log, seen)
                for _ in range(warm):
                    for title in PAGES:
                        view, seen = _view(page, title, log, seen)
                        result.warm.setdefault(title, []).append(view)
                boxes = page.locator(ERRORS)
                result.errors += [boxes.nth(i).inner_text()[:200] for i in range(boxes.count())]
                browser.close()
                result.peak_mb = max((r.get("peak_mb", 0) for r in timings.read(log)), default=0)
        finally:
            os.environ.pop(timings.ENV, None)
    return result


def _steps(view: View) -> str:
    s = view.steps()
    return (f"{view.server:.2f} ({s['query']:.2f} / {s['compute']:.2f} / {s['cached read']:.2f} "
            f"/ {s['figure']:.2f} / {s['send']:.2f} / {s['other']:.2f})")


def _met(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return " ✓" if value <= target else " ✗"


def markdown(results: list[SizeResult], note: str = "") -> str:
    lines = [BEGIN, "## Pages in a browser", "",
             "`python -m benchmarks.pages`: one headless Chromium on a fresh app server per size, "
             "moving between pages with the sidebar after opening the Overview. *First view*: "
             "the page's first visit (with the warm-up on: once the server's warm-up has "
             "finished, the Overview's first view before it; with it off: nothing of the page "
             "is cached yet); *warm*: median of the later visits (every result cached, as for "
             "each visitor after the first). Browser seconds run from the "
             "click to the heading and first chart drawn with Streamlit idle. *Server* is the "
             "app's script time for that view, split into exclusive steps: query / compute / "
             "cached read / figure / send / other (`cs_dashboard/timings.py`). ✓/✗: the page "
             "targets (200,000 accounts: first <= 2 s, warm <= 1 s; 2,000,000: 5 s and "
             "1.5 s).", ""]
    if note:
        lines += [note, ""]
    lines += ["| accounts | page | first view (s) | server, first (s) | warm view (s) | "
              "server, warm (s) |", "|---:|---|---:|---|---:|---|"]
    for result in results:
        first_target, warm_target = TARGETS.get(result.accounts, (None, None))
        for title in PAGES:
            first = result.first.get(title)
            warm = result.warm.get(title, [])
            if first is None:
                continue
            middle = sorted(warm, key=lambda v: v.seconds)[len(warm) // 2] if warm else None
            warm_s = statistics.median(v.seconds for v in warm) if warm else None
            lines.append(
                f"| {result.accounts:,} | {title} | {first.seconds:.2f}"
                f"{_met(first.seconds, first_target) if title != 'Overview' else ''} | "
                f"{_steps(first)} | "
                + (f"{warm_s:.2f}{_met(warm_s, warm_target)} | {_steps(middle)} |"
                   if middle else "| |"))
    lines.append("")
    for result in results:
        built = (f"demo built in {result.build_seconds:.0f} s; " if result.build_seconds
                 else "")
        errors = f"; error boxes: {len(result.errors)}" if result.errors else ""
        warmed = ("warm-up off" if not result.prewarm
                  else f"warm-up of every page's default view {result.prewarm_seconds:.1f} s"
                  if result.prewarm_seconds is not None else "warm-up not finished")
        lines.append(f"- {result.accounts:,} accounts: {built}{warmed}; peak server memory "
                     f"{result.peak_mb:,} MB{errors}.")
    return "\n".join(lines + [END])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages")
    parser.add_argument("--accounts", default="2000,200000", help="sizes, comma-separated")
    parser.add_argument("--warm", type=int, default=2, help="warm visits per page")
    parser.add_argument("--db-dir", help="keep (and reuse) the demo databases here")
    parser.add_argument("--note", default="", help="a line on the run's conditions")
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md alone")
    parser.add_argument("--prewarm", choices=("on", "off"), default="on",
                        help="the server's warm-up of every page's default view (app default: on)")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="cs_pages_db_") as tmp:
        directory = Path(args.db_dir or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        for accounts in (int(a) for a in args.accounts.split(",")):
            url, seconds = build(accounts, directory)
            results.append(measure(accounts, url, seconds, args.warm, args.prewarm == "on"))
            print(markdown(results[-1:], args.note), flush=True)
    text = markdown(results, args.note)
    if not args.no_write:
        write_section(text, begin=BEGIN, end_marker=END)
    print(text)
    return 0 if not any(r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
