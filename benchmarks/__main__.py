"""Run every benchmark module on demo portfolios and write ``benchmarks/RESULTS.md``.

Usage: ``python -m benchmarks [--sizes 2000,20000,200000] [--only NAME]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import pkgutil
import platform
import tempfile
import time
from pathlib import Path

import benchmarks
from benchmarks.harness import median_seconds
from cs_dashboard import demo
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source

RESULTS = Path(__file__).with_name("RESULTS.md")


def build(size: int, directory: Path) -> tuple[str, float]:
    url = f"duckdb:///{directory / f'demo_{size}.duckdb'}"
    started = time.perf_counter()
    replace_source(make_engine(url), demo.generate(demo.DemoSpec(accounts=size)))
    return url, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--sizes", default="2000,20000,200000")
    parser.add_argument("--only", help="run only bench_<ONLY>.py")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modules = [m.name for m in pkgutil.iter_modules(benchmarks.__path__)
               if m.name.startswith("bench_") and (not args.only or m.name == f"bench_{args.only}")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            url, seconds = build(size, Path(tmp))
            rows.append(("demo", "generate and write the demo portfolio", size, seconds, seconds, 60.0))
            for name in modules:
                for case in importlib.import_module(f"benchmarks.{name}").cases(size, url):
                    first, median = median_seconds(case.fn, case.repeat)
                    rows.append((case.area, case.name, size, first, median, case.target_s))
                    print(f"{size:>7} {case.area:<14} {case.name:<50} {median * 1000:9.1f} ms")
    RESULTS.write_text(render(rows, sizes))


def render(rows: list[tuple], sizes: list[int]) -> str:
    lines = [
        "# Benchmark results", "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on {platform.machine()}, "
        f"{platform.processor() or 'unknown CPU'}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Demo portfolios of 36 months in DuckDB.",
        "Times are the median of several warm runs; 'first' is the first run.", "",
        "| area | computation | accounts | first (ms) | median (ms) | target at 200k (s) | met |",
        "|---|---|---:|---:|---:|---:|:-:|",
    ]
    for area, name, size, first, median, target in rows:
        met = "" if target is None or size != max(sizes) else ("yes" if median <= target else "NO")
        lines.append(f"| {area} | {name} | {size:,} | {first * 1000:,.1f} | {median * 1000:,.1f} | "
                     f"{'' if target is None else target} | {met} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
