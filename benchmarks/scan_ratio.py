"""Each computation's time against a full scan of the revenue table at the same size.

``python -m benchmarks.scan_ratio --db 200000=duckdb:///a.duckdb --db 2000000=duckdb:///b.duckdb
[--repeat 3] [--only health,retention] [--write]`` times ``SELECT month, sum(mrr) FROM mrr
GROUP BY month`` (the floor: one pass over every MRR row, aggregated by month) and every case
of the ``bench_*`` modules (their ``cases(size, url)``) on each database, and prints the ratio
of each case's median to the scan's median. The target is every computation within 10x of
the scan. Left out: the tutorial cases (they load every row into pandas on purpose) and
the export cases (rendering images and a deck, not a computation over the data).
``--write`` puts the table in ``benchmarks/RESULTS.md`` between ``<!-- scanratio -->`` markers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from benchmarks.harness import Case, median_seconds, quiet_streamlit
from benchmarks.loadtest import write_section

BEGIN, END = "<!-- scanratio -->", "<!-- /scanratio -->"
SCAN_SQL = "SELECT month, sum(mrr) FROM mrr GROUP BY month"
TARGET_RATIO = 10.0
SKIP_MODULES = ("bench_export", "bench_import", "bench_compare")


def scan_seconds(url: str, repeat: int = 5) -> float:
    """Median seconds of the full-scan aggregate, on the DuckDB connection itself."""
    from cs_dashboard.db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute(SCAN_SQL).fetchall()  # the first scan reads the file into the buffer pool
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            raw.execute(SCAN_SQL).fetchall()
            times.append(time.perf_counter() - started)
    engine.dispose()
    return statistics.median(times)


def cases(size: int, url: str, only: set[str]) -> list[Case]:
    """Every measured computation of the ``bench_*`` modules, tutorials and exports aside."""
    import importlib

    from benchmarks.__main__ import case_modules

    found = []
    for name in case_modules(only):
        if name in SKIP_MODULES:
            continue
        for case in importlib.import_module(f"benchmarks.{name}").cases(size, url):
            if "tutorial" not in case.name:
                found.append(case)
    return found


def measure(size: int, url: str, repeat: int, only: set[str]) -> dict:
    """Scan seconds and (area, name, cold s, median s) per case on one database."""
    scan = scan_seconds(url)
    rows = []
    for case in cases(size, url, only):
        cold, median = median_seconds(case.fn, min(repeat, case.repeat))
        rows.append({"area": case.area, "name": case.name, "cold": cold, "median": median})
        print(f"{size:>9,} {case.area:<13} {case.name[:60]:<60} {median:7.2f} s "
              f"{median / scan:6.1f}x", flush=True)
    return {"scan": scan, "rows": rows}


def markdown(results: dict[int, dict], load: tuple[float, float]) -> str:
    sizes = sorted(results)
    head = " | ".join(f"{s:,}: median s (cold) | x scan" for s in sizes)
    lines = [BEGIN, "## Computations against a full scan of the revenue table", "",
             f"`python -m benchmarks.scan_ratio`: each computation's median (cold, the first "
             f"call in the process, in brackets) over the median of `{SCAN_SQL}` on the same "
             f"demo database; target: within {TARGET_RATIO:g}x. Load average {load[0]:.1f} at "
             f"the start, {load[1]:.1f} at the end (2 cores shared with other work).", "",
             "| | " + " | ".join(f"{s:,} accounts" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes),
             "| full scan, `sum(mrr)` by month (s) | "
             + " | ".join(f"{results[s]['scan']:.3f}" for s in sizes) + " |", "",
             f"| area | computation | {head} |", "|---|---|" + "---:|---:|" * len(sizes)]
    names = []
    for s in sizes:
        for r in results[s]["rows"]:
            if (r["area"], r["name"]) not in names:
                names.append((r["area"], r["name"]))
    for area, name in names:
        cells = []
        for s in sizes:
            r = next((x for x in results[s]["rows"] if (x["area"], x["name"]) == (area, name)),
                     None)
            if r is None:
                cells += ["", ""]
                continue
            ratio = r["median"] / results[s]["scan"]
            flag = "" if ratio <= TARGET_RATIO else " **over**"
            cells += [f"{r['median']:.2f} ({r['cold']:.2f})", f"{ratio:.1f}x{flag}"]
        lines.append(f"| {area} | {name} | {' | '.join(cells)} |")
    return "\n".join(lines + [END])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scan_ratio")
    parser.add_argument("--db", action="append", required=True, metavar="SIZE=URL",
                        help="accounts=URL of a demo database (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="bench_<NAME> modules, comma-separated")
    parser.add_argument("--write", action="store_true", help="write RESULTS.md's section")
    args = parser.parse_args(argv)
    quiet_streamlit()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    start_load = os.getloadavg()[0]
    results = {}
    for pair in args.db:
        size, url = pair.split("=", 1)
        results[int(size)] = measure(int(size), url, args.repeat, only)
    text = markdown(results, (start_load, os.getloadavg()[0]))
    if args.write:
        write_section(text, begin=BEGIN, end_marker=END)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
