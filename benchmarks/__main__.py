"""Run every benchmark on demo portfolios and write ``benchmarks/RESULTS.md``.

Usage: ``python -m benchmarks [--sizes 2000,20000,200000] [--only NAME[,NAME]] [--repeat N]``.

For each size, four phases run in fresh processes, so each one's peak memory (max RSS) is its
own and "cold" means a first call in a new process:

1. ``build``: generate the demo (36 months), write it to DuckDB, write it as CSV files;
2. ``import``: validate and import those CSVs (``bench_import``);
3. ``cases``: every ``bench_*.py`` module with ``cases(size, url)``: cold, warm median, and
   cached (a second call with the same arguments through ``st.cache_data``);
4. ``compare``: DuckDB against SQLite and pandas on the same questions (``bench_compare``).

``--only`` names case modules (``--only portfolio`` runs ``bench_portfolio.py``) or the phases
``import`` and ``compare``; ``build`` always runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.metadata
import json
import os
import pkgutil
import platform
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import benchmarks
from benchmarks.harness import measure, peak_rss_mb, quiet_streamlit, timed

RESULTS = Path(__file__).with_name("RESULTS.md")
LOADTEST_BEGIN, LOADTEST_END = "<!-- loadtest -->", "<!-- /loadtest -->"
FIRSTPAGE_BEGIN, FIRSTPAGE_END = "<!-- firstpage -->", "<!-- /firstpage -->"
PAGES_BEGIN, PAGES_END = "<!-- pages -->", "<!-- /pages -->"
#: Written by hand: the page timings before and after a change, with the load they ran under.
HISTORY_BEGIN, HISTORY_END = "<!-- pages-history -->", "<!-- /pages-history -->"
#: Written by hand from ``benchmarks.cli`` and ``/usr/bin/time`` runs (CLI imports, the demo
#: build and the CLI at 2,000,000 accounts), and by ``benchmarks.scan_ratio``.
SCALE_BEGIN, SCALE_END = "<!-- scale -->", "<!-- /scale -->"
SCANRATIO_BEGIN, SCANRATIO_END = "<!-- scanratio -->", "<!-- /scanratio -->"
MEMORY_TARGET_MB = 2048
PACKAGES = ("duckdb", "duckdb_engine", "SQLAlchemy", "pandas", "numpy", "streamlit", "plotly")
PHASES = ("build", "import", "cases", "compare")


def case_modules(only: set[str]) -> list[str]:
    """Names of ``bench_*`` modules that define ``cases`` (all, or those in ``only``)."""
    names = []
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if not info.name.startswith("bench_") or (only and info.name[6:] not in only):
            continue
        if hasattr(importlib.import_module(f"benchmarks.{info.name}"), "cases"):
            names.append(info.name)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--sizes", default="2000,20000,200000", help="accounts, comma-separated")
    parser.add_argument("--only", default="", help="bench_<NAME> modules and/or import, compare")
    parser.add_argument("--repeat", type=int, help="runs per case (default: each case's own)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--raw", type=Path, help="also save the raw measurements as JSON here")
    parser.add_argument("--render", type=Path, help="only re-render RESULTS.md from a --raw file")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    if args.phase:
        return worker(args, only)
    if args.render:
        raw = json.loads(args.render.read_text())
        runs = {int(k): v for k, v in raw["runs"].items()}
        args.output.write_text(render(runs, raw["sizes"], raw["wall_s"],
                                      kept_sections(args.output), raw.get("load"),
                                      raw.get("finished")))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    runs: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="cs_bench_") as tmp:
        for size in sizes:
            directory = Path(tmp) / str(size)
            directory.mkdir()
            runs[size] = {}
            for phase in PHASES:
                if phase in ("import", "compare") and only and phase not in only:
                    continue
                if phase == "cases" and only and not case_modules(only):
                    continue
                runs[size][phase] = spawn(phase, size, directory, args)
    wall_s = time.perf_counter() - started
    load = [load_start, os.getloadavg()[0]]
    if args.raw:
        args.raw.write_text(json.dumps({"runs": runs, "sizes": sizes, "wall_s": wall_s,
                                        "load": load, "finished": f"{dt.datetime.now():%Y-%m-%d %H:%M}"}))
    args.output.write_text(render(runs, sizes, wall_s, kept_sections(args.output), load))
    print(f"wrote {args.output}")
    return 0


def spawn(phase: str, size: int, directory: Path, args: argparse.Namespace) -> dict:
    """Run one phase in a fresh Python process; its JSON result (or the error it hit)."""
    out = directory / f"{phase}.json"
    command = [sys.executable, "-m", "benchmarks", "--phase", phase, "--size", str(size),
               "--dir", str(directory), "--out", str(out), "--only", args.only]
    if args.repeat:
        command += ["--repeat", str(args.repeat)]
    print(f"[{size:,} accounts] {phase}", flush=True)
    done = subprocess.run(command, cwd=Path(__file__).resolve().parents[1], env=os.environ.copy())
    if done.returncode != 0 or not out.exists():
        return {"error": f"the {phase} phase exited with status {done.returncode}", "rows": []}
    return json.loads(out.read_text())


def worker(args: argparse.Namespace, only: set[str]) -> int:
    quiet_streamlit()
    url = f"duckdb:///{args.dir / 'demo.duckdb'}"
    if args.phase == "build":
        result = build(args.size, args.dir, url)
    elif args.phase == "import":
        from benchmarks import bench_import

        runs = args.repeat or (3 if args.size <= 20_000 else 1)
        result = {"rows": bench_import.phase(args.dir / "csv", f"duckdb:///{args.dir / 'imported.duckdb'}",
                                             runs)}
    elif args.phase == "compare":
        from benchmarks import bench_compare

        result = {"rows": bench_compare.phase(url, args.dir, args.repeat or 3)}
    else:
        result = {"rows": run_cases(args.size, url, only, args.repeat)}
    result["peak_rss_mb"] = peak_rss_mb()
    args.out.write_text(json.dumps(result, default=str))
    return 0


def build(size: int, directory: Path, url: str) -> dict:
    from benchmarks.bench_import import write_csvs
    from cs_dashboard import demo
    from cs_dashboard.db.engine import make_engine
    from cs_dashboard.db.writer import replace_source

    frames, generate_s = timed(lambda: demo.generate(demo.DemoSpec(accounts=size)))
    engine = make_engine(url)
    _, write_s = timed(lambda: replace_source(engine, frames))
    engine.dispose()
    _, csv_s = timed(lambda: write_csvs(frames, directory / "csv"))
    counts = {t: len(f) for t, f in frames.items()}
    rows = [{"area": "demo", "name": "generate the demo portfolio (demo.generate)", "cold": generate_s,
             "median": generate_s, "runs": 1, "target": None, "cached": None},
            {"area": "demo", "name": "write it to DuckDB (replace_source)", "cold": write_s,
             "median": write_s, "runs": 1, "target": None, "cached": None},
            {"area": "demo", "name": "write it as CSV files (setup for the import)", "cold": csv_s,
             "median": csv_s, "runs": 1, "target": None, "cached": None}]
    return {"rows": rows, "counts": counts}


def run_cases(size: int, url: str, only: set[str], repeat: int | None) -> list[dict]:
    rows = []
    for name in case_modules(only):
        try:
            cases = importlib.import_module(f"benchmarks.{name}").cases(size, url)
        except Exception as exc:  # noqa: BLE001 - one broken module must not sink the run
            rows.append(failed(name, "cases()", exc))
            continue
        for case in cases:
            try:
                row = measure(case, repeat)
            except Exception as exc:  # noqa: BLE001
                rows.append(failed(case.area, case.name, exc))
                continue
            rows.append(row)
            cached = "" if row["cached"] is None else f"{row['cached'] * 1000:9.1f} ms cached"
            print(f"{size:>8,} {case.area:<14} {case.name:<52} {row['median'] * 1000:9.1f} ms "
                  f"{cached}", flush=True)
    return rows


def failed(area: str, name: str, exc: Exception) -> dict:
    last = traceback.format_exception_only(exc)[-1].strip()
    return {"area": area, "name": name, "error": last[:300]}


# --- RESULTS.md ----------------------------------------------------------------------------


def machine() -> str:
    """CPU, cores, memory, OS and the versions that matter, in one paragraph."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", info).group(1).strip()
        kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, AttributeError):
        pass
    versions = ", ".join(f"{p} {importlib.metadata.version(p)}" for p in PACKAGES)
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {versions}.")


def ms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:,.0f}" if seconds >= 1 else f"{seconds * 1000:,.1f}"


def render(runs: dict[int, dict], sizes: list[int], wall_s: float, kept: str,
           load: list[float] | None = None, finished: str | None = None) -> str:
    """The whole RESULTS.md: machine, targets, timings per size, memory, comparison."""
    top = max(sizes)
    lines = [
        "# Benchmark results", "",
        f"Generated by `python -m benchmarks --sizes {','.join(map(str, sizes))}` on "
        f"{finished or f'{dt.datetime.now():%Y-%m-%d %H:%M}'} in {wall_s / 60:.1f} minutes.", "",
        f"**Machine.** {machine()} The machine was shared with other work"
        + (f" (load average {load[0]:.1f} at the start, {load[1]:.1f} at the end)" if load else "")
        + ", so treat single numbers as indicative and the ratios as the finding.", "",
        "**Method.** Demo portfolios of N accounts x 36 months in DuckDB (about 20 MRR rows and "
        "20 health rows per account). Each phase runs in a fresh process. *cold* is the first call "
        "in that process; *median* is the median of the next several calls (the *runs* column); "
        "*cached* is the median of repeated calls with the same arguments through "
        "`st.cache_data`, what a page pays on a rerun ('-': no cache of its own, it runs each "
        "time). "
        "*growth* is the median at the largest size over the median at the smallest.", "",
    ]
    lines += targets(runs, top)
    lines += timings(runs, sizes)
    lines += memory(runs, sizes)
    lines += comparison(runs, sizes)
    lines += errors(runs, sizes)
    lines += [kept or (f"{LOADTEST_BEGIN}\n## Load test\n\nNot run yet: "
                       f"`python -m benchmarks.loadtest`.\n{LOADTEST_END}"), ""]
    return "\n".join(lines)


def _rows(runs: dict[int, dict], size: int, phases: tuple[str, ...] = ("build", "import", "cases")):
    for phase in phases:
        yield from (r for r in runs[size].get(phase, {}).get("rows", []) if "error" not in r)


def targets(runs: dict[int, dict], top: int) -> list[str]:
    lines = [f"## Targets at {top:,} accounts", "", "| target | measured | met |", "|---|---:|:-:|"]
    timed_rows = [r for r in _rows(runs, top) if r.get("target") is not None]
    for r in timed_rows:
        lines.append(f"| {r['name']} ({r['area']}) under {r['target']:g} s | "
                     f"{r['median']:.2f} s | {'yes' if r['median'] <= r['target'] else '**NO**'} |")
    for phase, label in (("cases", "peak memory computing every page"),
                         ("import", "peak memory of the CSV import")):
        rss = runs[top].get(phase, {}).get("peak_rss_mb")
        if rss is not None:
            met = "yes" if rss <= MEMORY_TARGET_MB else "**NO**"
            lines.append(f"| {label} under 2 GB | {rss:,.0f} MB | {met} |")
    return lines + [""]


def timings(runs: dict[int, dict], sizes: list[int]) -> list[str]:
    lo, hi = min(sizes), max(sizes)
    head = " | ".join(f"{s:,}: median / cold / cached (ms)" for s in sizes)
    grows = len(sizes) > 1
    lines = ["## Timings", "", f"| area | computation | {head} | runs |"
             + (f" growth {hi:,}/{lo:,} |" if grows else ""),
             "|---|---|" + "---:|" * len(sizes) + "---:|" + ("---:|" if grows else "")]
    order: dict[tuple[str, str], dict[int, dict]] = {}
    for size in sizes:
        for r in _rows(runs, size):  # names differing only in numbers are one computation
            order.setdefault((r["area"], re.sub(r"\d[\d,.]*", "#", r["name"])), {})[size] = r
    for (area, _), by_size in order.items():
        name = by_size[max(by_size)]["name"]
        cells = []
        for size in sizes:
            r = by_size.get(size)
            cells.append("" if r is None else
                         f"{ms(r['median'])} / {ms(r['cold'])} / {ms(r['cached']) or '-'}")
        growth = ""
        if lo in by_size and hi in by_size and lo != hi and by_size[lo]["median"] > 0:
            growth = f"{by_size[hi]['median'] / by_size[lo]['median']:,.1f}x"
        runs_n = by_size[max(by_size)]["runs"]
        lines.append(f"| {area} | {name} | {' | '.join(cells)} | {runs_n} |"
                     + (f" {growth} |" if grows else ""))
    return lines + ["", "A '-' in *cached* marks work the app runs each time (imports, demo "
                    "building); it has no cache of its own.", ""]


def memory(runs: dict[int, dict], sizes: list[int]) -> list[str]:
    lines = ["## Peak memory (max RSS of each phase's process, MB)", "",
             "| accounts | MRR rows | health rows | CSV files (MB) | build demo + CSVs | CSV import "
             "| every page's computations |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        r = runs[size]
        cells = [f"{r[p]['peak_rss_mb']:,.0f}" if "peak_rss_mb" in r.get(p, {}) else ""
                 for p in ("build", "import", "cases")]
        counts = r.get("build", {}).get("counts", {})
        megabytes = next((f"{x['megabytes']:,.0f}" for x in r.get("import", {}).get("rows", [])
                          if "megabytes" in x), "")
        lines.append(f"| {size:,} | {counts.get('mrr', 0):,} | {counts.get('health', 0):,} | "
                     f"{megabytes} | {' | '.join(cells)} |")
    return lines + [""]


def comparison(runs: dict[int, dict], sizes: list[int]) -> list[str]:
    if not any(runs[s].get("compare", {}).get("rows") for s in sizes):
        return []
    lines = ["## DuckDB (aggregating in SQL) against SQLite and pandas", "",
             "Same questions, same data; every answer checked against DuckDB's (*agree*). "
             "SQLite runs the same SQLAlchemy queries on a copy of the data; *pandas* loads all "
             "`accounts` and `mrr` rows and computes in pandas (the tutorial approach: load + "
             "compute, as a page without a cache would pay it; compute alone in brackets). "
             "Ratios are times DuckDB's time.", "",
             "| accounts | question | DuckDB (ms) | SQLite (ms) | pandas (ms) | SQLite / DuckDB | "
             "pandas / DuckDB | agree |", "|---:|---|---:|---:|---:|---:|---:|:-:|"]
    for size in sizes:
        for r in runs[size].get("compare", {}).get("rows", []):
            duck = r["duckdb"]
            ratio_lite = f"{r['sqlite'] / duck:,.1f}x" if duck else ""
            ratio_pd = f"{r['pandas'] / duck:,.1f}x" if duck else ""
            pandas = ms(r["pandas"]) + (f" ({ms(r['pandas_compute'])})" if r["pandas_compute"] else "")
            agree = "" if r["agree"] is None else ("yes" if r["agree"] else "**NO**")
            lines.append(f"| {size:,} | {r['name']} | {ms(duck)} | {ms(r['sqlite'])} | {pandas} | "
                         f"{ratio_lite} | {ratio_pd} | {agree} |")
    return lines + [""]


def errors(runs: dict[int, dict], sizes: list[int]) -> list[str]:
    found = []
    for size in sizes:
        for phase, result in runs[size].items():
            if "error" in result:
                found.append(f"- {size:,} accounts, {phase}: {result['error']}")
            found += [f"- {size:,} accounts, {r['area']} / {r['name']}: {r['error']}"
                      for r in result.get("rows", []) if "error" in r]
    return ["## Failures", ""] + found + [""] if found else []


def kept_sections(path: Path) -> str:
    """The browser and scale sections of an existing RESULTS.md (written by
    ``benchmarks.loadtest``, ``benchmarks.first_page``, ``benchmarks.pages``,
    ``benchmarks.scan_ratio`` and by hand), kept when the computations are re-measured."""
    if not path.exists():
        return ""
    text = path.read_text()
    kept = []
    for begin, end_marker in ((FIRSTPAGE_BEGIN, FIRSTPAGE_END), (PAGES_BEGIN, PAGES_END),
                              (HISTORY_BEGIN, HISTORY_END), (SCALE_BEGIN, SCALE_END),
                              (SCANRATIO_BEGIN, SCANRATIO_END), (LOADTEST_BEGIN, LOADTEST_END)):
        start, end = text.find(begin), text.find(end_marker)
        if 0 <= start < end:
            kept.append(text[start:end + len(end_marker)])
    return "\n\n".join(kept)


if __name__ == "__main__":
    sys.exit(main())
