"""Wall time, CPU time, peak memory and imports of CLI commands, each run in a fresh process.

``python -m benchmarks.cli --db URL [--commands metrics,segment] [--repeat 5] [--root DIR]``
prints one markdown row per command: median wall seconds over ``--repeat`` runs (the whole
``python -m cs_dashboard ... --json`` process, as a shell loop pays it), median CPU seconds
(user + system: less sensitive than wall time to other work on a shared machine), the largest
peak RSS, and from one more run under ``python -X importtime`` the seconds spent importing and
which of the heavy optional packages were imported. ``--root`` runs another checkout's code
(e.g. a worktree of an older commit, for a before/after comparison).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Packages a command should import only when it uses them (plotting, fitting, the deck).
HEAVY = ("lifelines", "scipy", "altair", "plotly", "pptx", "vl_convert", "matplotlib")


@dataclass(frozen=True)
class CommandRun:
    """Measurements of one CLI command over several fresh processes."""

    command: str
    wall_s: float
    cpu_s: float
    peak_mb: float
    import_s: float
    heavy: tuple[str, ...]
    runs: int


def argv_for(command: str, url: str) -> list[str]:
    """``python -m cs_dashboard <command> --db URL --json`` (plus ``--out`` for board-pack)."""
    argv = [sys.executable, "-m", "cs_dashboard", *command.split(), "--db", url, "--json"]
    if command.split()[0] == "board-pack":
        argv += ["--out", os.devnull]
    return argv


def run_once(argv: list[str], root: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MB) of one process; raises if it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=root, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[2:])} exited with {process.returncode}: {stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def imports(argv: list[str], root: Path) -> tuple[float, tuple[str, ...]]:
    """(seconds importing, heavy packages imported) from one run under ``-X importtime``."""
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=root,
                          capture_output=True, text=True, check=True)
    total_us, tops = 0, set()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, _, name = line[len("import time:"):].split("|")
        total_us += int(self_us)
        tops.add(name.strip().split(".")[0])
    return total_us / 1e6, tuple(p for p in HEAVY if p in tops)


def measure(command: str, url: str, repeat: int = 5, root: Path = ROOT) -> CommandRun:
    """Median wall and CPU time, peak memory and imports of ``command`` on ``url``."""
    argv = argv_for(command, url)
    runs = [run_once(argv, root) for _ in range(repeat)]
    import_s, heavy = imports(argv, root)
    return CommandRun(command, statistics.median(r[0] for r in runs),
                      statistics.median(r[1] for r in runs), max(r[2] for r in runs),
                      import_s, heavy, repeat)


def table(rows: list[CommandRun]) -> str:
    """Markdown table of ``rows``."""
    lines = ["| command | wall (s, median) | CPU (s, median) | peak memory (MB) | imports (s) | "
             "heavy packages imported | runs |", "|---|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        lines.append(f"| `{r.command} --json` | {r.wall_s:.2f} | {r.cpu_s:.2f} | "
                     f"{r.peak_mb:,.0f} | {r.import_s:.2f} | {', '.join(r.heavy) or 'none'} | "
                     f"{r.runs} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli")
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a demo database")
    parser.add_argument("--commands", default="metrics",
                        help="comma-separated commands, with arguments if any "
                             "(e.g. 'metrics,segment,cohorts --basis net')")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose code runs")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    rows = [measure(c.strip(), args.db, args.repeat, args.root)
            for c in args.commands.split(",") if c.strip()]
    print(table(rows))
    print(f"\nload average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
