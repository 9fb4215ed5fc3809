"""The embedded database under concurrent sessions, and an import while others read.

Streamlit serves every session from one process and one engine per source (``ui.cache.engine``),
so sessions are threads sharing an engine. DuckDB gives each transaction a snapshot, and
``replace_source`` swaps all tables in one transaction: readers see the old data or the new,
never an error or a half-written import.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cs_dashboard.cli import main
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source

T = pd.Timestamp("2026-01-01").date()
READERS = 4
IMPORTS = 6


def doubled(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The same portfolio with every MRR doubled and one more account (so counts differ too)."""
    out = {k: v.copy() for k, v in frames.items()}
    out["mrr"]["mrr"] = out["mrr"]["mrr"] * 2
    extra = pd.DataFrame({"account_id": ["E"], "month": [pd.Timestamp(T)], "mrr": [1000.0]})
    out["mrr"] = pd.concat([out["mrr"], extra], ignore_index=True)
    out["accounts"] = pd.concat([out["accounts"], pd.DataFrame({"account_id": ["E"]})],
                                ignore_index=True)
    return out


def snapshot(engine: sa.Engine) -> tuple:
    """What a page reads: KPIs at T, the trend and the table sizes (each in one transaction)."""
    totals = queries.portfolio_totals(engine, T)
    trend = queries.mrr_by_month(engine)
    counts = queries.table_counts(engine)
    return (tuple(sorted(totals.items())), tuple(trend["mrr"].round(6)), tuple(sorted(counts.items())))


def read_while_importing(engine: sa.Engine, imports: list[dict[str, pd.DataFrame]],
                         pause_s: float = 0.0) -> tuple[list[tuple], list[str]]:
    """``READERS`` threads take snapshots while ``imports`` are written one after another;
    the snapshots seen and the errors the readers hit."""
    seen, errors, stop = [], [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(snapshot(engine))
            except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
                errors.append(repr(exc))

    threads = [threading.Thread(target=read) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    try:
        for frames in imports:
            replace_source(engine, frames)
            time.sleep(pause_s)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    return seen, errors


def test_readers_see_the_old_or_the_new_data_while_imports_run(tiny_url, tiny_frames):
    engine = make_engine(tiny_url)
    old = snapshot(engine)
    new_frames = doubled(tiny_frames)
    replace_source(engine, new_frames)
    new = snapshot(engine)
    replace_source(engine, tiny_frames)
    assert old != new

    imports = [new_frames if i % 2 == 0 else tiny_frames for i in range(IMPORTS)]
    seen, errors = read_while_importing(engine, imports, pause_s=0.05)
    assert errors == []
    assert seen, "the readers ran"
    assert {s[0] for s in seen} <= {old[0], new[0]}
    assert {s[1] for s in seen} <= {old[1], new[1]}
    assert snapshot(engine) == old  # the last import (an odd one) put the original back


def test_a_failing_import_leaves_readers_on_the_previous_data(tiny_url, tiny_frames):
    engine = make_engine(tiny_url)
    before = snapshot(engine)
    broken = doubled(tiny_frames)
    broken["mrr"]["mrr"] = broken["mrr"]["mrr"].astype(object)
    broken["mrr"].loc[3, "mrr"] = "not a number"
    with pytest.raises(sa.exc.DBAPIError):
        replace_source(engine, broken)
    assert snapshot(engine) == before


def test_two_imports_at_once_leave_one_complete_dataset(tiny_url, tiny_frames):
    engine = make_engine(tiny_url)
    candidates = {snapshot(engine)}
    new_frames = doubled(tiny_frames)
    replace_source(engine, new_frames)
    candidates.add(snapshot(engine))
    outcomes = []

    def load(frames) -> None:
        try:
            replace_source(engine, frames)
            outcomes.append("ok")
        except sa.exc.SQLAlchemyError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=load, args=(f,)) for f in (tiny_frames, new_frames)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert "ok" in outcomes and len(outcomes) == 2
    assert snapshot(engine) in candidates


def test_the_cli_import_explains_a_file_held_by_another_process(capsys, tmp_path, tiny_url):
    path = make_url(tiny_url).database
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", path],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        (tmp_path / "a.csv").write_text("account_id\nX\n")
        (tmp_path / "m.csv").write_text("account_id,month,mrr\nX,2026-01,5\n")
        code = main(["import", "--db", tiny_url, "--accounts", str(tmp_path / "a.csv"),
                     "--mrr", str(tmp_path / "m.csv")])
        err = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert code == 1
    assert "is in use by another process" in err and "nothing was imported" in err
    assert "Traceback" not in err
    assert queries.table_counts(make_engine(tiny_url))["accounts"] == 4


def test_postgres_readers_see_the_old_or_the_new_data_while_imports_run(pg_url, tiny_frames):
    engine = make_engine(pg_url)
    replace_source(engine, tiny_frames)
    old = snapshot(engine)
    new_frames = doubled(tiny_frames)
    replace_source(engine, new_frames)
    new = snapshot(engine)
    imports = [tiny_frames if i % 2 == 0 else new_frames for i in range(IMPORTS)]
    seen, errors = read_while_importing(engine, imports)
    assert errors == []
    assert {s[0] for s in seen} <= {old[0], new[0]}
