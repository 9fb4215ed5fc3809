"""CSV import at scale: the demo written as CSV files, then validated and imported.

Not a ``cases`` module: the runner calls ``write_csvs`` once per size and ``phase`` in a
process of its own (so its peak memory is the import's alone). The import is timed as the
app and the CLI run it: read the bytes, ``ingest.load_tables`` (decode, parse, validate every
cell) and ``db.writer.replace_source`` (one transaction).
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pandas as pd

from benchmarks.harness import timed
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.ingest import load_tables

TARGET_S = 60.0


def write_csvs(frames: dict[str, pd.DataFrame], directory: Path) -> dict[str, Path]:
    """Each demo table as ``<table>.csv`` (UTF-8, comma, ISO dates) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for table, frame in frames.items():
        paths[table] = directory / f"{table}.csv"
        frame.to_csv(paths[table], index=False, date_format="%Y-%m-%d")
    return paths


def import_once(csv_dir: Path, url: str) -> dict[str, float]:
    """Seconds to validate and to write one import of the CSVs in ``csv_dir`` into ``url``."""
    files = {p.stem: (p.name, p.read_bytes()) for p in sorted(csv_dir.glob("*.csv"))}
    result, validate_s = timed(lambda: load_tables(files))
    if not result.ok:
        raise RuntimeError(f"the demo CSVs did not validate: {result.problems[:3]}")
    engine = make_engine(url)
    _, write_s = timed(lambda: replace_source(engine, result.frames))
    engine.dispose()
    size_mb = sum(len(data) for _, data in files.values()) / 1e6
    return {"validate": validate_s, "write": write_s, "total": validate_s + write_s,
            "megabytes": size_mb}


def phase(csv_dir: Path, url: str, runs: int) -> list[dict]:
    """Median over ``runs`` imports of validation, writing and the whole import."""
    results = [import_once(csv_dir, url) for _ in range(runs)]
    rows = []
    for key, label, target in (("validate", "validate the CSVs (load_tables)", None),
                               ("write", "write all tables (replace_source)", None),
                               ("total", "CSV import, validate + write", TARGET_S)):
        times = [r[key] for r in results]
        rows.append({"area": "import", "name": label, "cold": times[0],
                     "median": statistics.median(times), "runs": runs, "target": target,
                     "cached": None, "megabytes": results[0]["megabytes"]})
    return rows
