"""Replacing a source's data in one transaction: all tables or nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db import source_map
from cs_dashboard.db.engine import is_duckdb, mask_url
from cs_dashboard.db.schema import COLUMNS, TABLES, forget, table
from cs_dashboard.db.state import AppState

#: Rows per table: one DataFrame, or DataFrames with the same columns written one after the
#: other (a table too large to hold at once, such as the demo's at millions of accounts).
Frames = Mapping[str, pd.DataFrame | Iterable[pd.DataFrame]]


def load_source(engine: sa.Engine, url: str, frames: Frames, state: AppState,
                demo: bool = False, who: str = "command line",
                files: dict[str, tuple[str, int]] | None = None) -> dict[str, int]:
    """An import, as the Data page and the CLI run it: replace the source's data with ``frames``
    (``replace_source``, all or nothing), then bump the source's data version in ``state`` so
    every page and process reads the new data, and record it in the audit trail: ``who``, the
    rows per table and ``files`` (kind -> file name and size in bytes; never their content).
    ``demo``: the frames are the demo portfolio (its account count is kept for the demo note).
    Returns the rows written per table."""
    rows = replace_source(engine, frames)
    state.bump_data_version(mask_url(url), demo_accounts=rows["accounts"] if demo else None)
    details: dict = {"rows": rows}
    if files:
        details["files"] = [{"kind": kind, "name": name, "bytes": size}
                            for kind, (name, size) in files.items()]
    state.record(who, "demo data" if demo else "import", details, url)
    return rows


def replace_source(engine: sa.Engine, frames: Frames) -> dict[str, int]:
    """Replace every source table with ``frames`` (tables not given end up absent); the rows
    written per table.

    All or nothing: on any error nothing changes and the previous data stays. Tables given as
    DataFrames are written in one transaction that also swaps in the tables given in chunks:
    those are first written to a staging table, each chunk committed on its own, because a
    database holds an open transaction's rows in memory (DuckDB about 150 MB per 2 M health
    rows, whatever its memory limit). A source read through a source mapping
    (``db.source_map``) is refused: the app would write tables it does not read.
    """
    smap = source_map.for_engine(engine)
    if smap is not None:
        raise source_map.SourceMapError(
            f"this source is read through the source mapping in {smap.origin} "
            f"({smap.describe()}); load those tables with your own pipeline, or import into "
            "another database")
    rows: dict[str, int] = {}
    chunked = [n for n in TABLES if n in frames and not isinstance(frames[n], pd.DataFrame)]
    try:
        for name in chunked:
            rows[name] = _write_staged(engine, name, frames[name])
        metadata = sa.MetaData()
        with engine.begin() as conn:
            for name in TABLES:
                conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))
            for name in TABLES:
                if name in chunked:
                    conn.execute(sa.text(f'ALTER TABLE "{_staging(name)}" RENAME TO "{name}"'))
                elif name in frames:
                    frame = _storable(name, frames[name],
                                      dates_as_objects=not is_duckdb(conn.engine))
                    target = table(name, list(frame.columns), metadata)
                    target.create(conn)
                    _insert(conn, target, frame)
                    rows[name] = len(frame)
    except BaseException:
        _drop_staged(engine, chunked)
        raise
    finally:
        forget(engine)
    return {name: rows[name] for name in TABLES if name in rows}


def _staging(name: str) -> str:
    return f"{name}__loading"


def _write_staged(engine: sa.Engine, name: str, parts: Iterable[pd.DataFrame]) -> int:
    """Write ``parts`` to ``name``'s staging table, one transaction per part; rows written."""
    _drop_staged(engine, [name])
    target, count = None, 0
    for part in parts:
        with engine.begin() as conn:
            frame = _storable(name, part, dates_as_objects=not is_duckdb(conn.engine))
            if target is None:
                target = table(name, list(frame.columns)).to_metadata(sa.MetaData(),
                                                                      name=_staging(name))
                target.create(conn)
            _insert(conn, target, frame)
            count += len(frame)
    return count


def _drop_staged(engine: sa.Engine, names: list[str]) -> None:
    with engine.begin() as conn:
        for name in names:
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{_staging(name)}"'))


def _storable(name: str, frame: pd.DataFrame, dates_as_objects: bool = True) -> pd.DataFrame:
    """Date columns as ``datetime.date`` objects for drivers that bind rows, or as
    day-precision timestamps for DuckDB, which casts them to DATE itself (4 million date
    objects would cost seconds and hundreds of MB)."""
    frame = frame.copy(deep=False)
    for col, (sqltype, _) in COLUMNS[name].items():
        if col in frame and sqltype is sa.Date:
            days = pd.to_datetime(frame[col]).dt.normalize()
            frame[col] = days.dt.date if dates_as_objects else days
    return frame


def _insert(conn: sa.Connection, target: sa.Table, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    if is_duckdb(conn.engine):
        raw = conn.connection.driver_connection
        raw.register("__import_frame", frame)
        quote = conn.dialect.identifier_preparer.quote_identifier  # column names come from files
        cols = ", ".join(quote(str(c)) for c in frame.columns)
        conn.exec_driver_sql(f"INSERT INTO {quote(target.name)} ({cols}) SELECT {cols} FROM __import_frame")
        raw.unregister("__import_frame")
        return
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for start in range(0, len(records), 20_000):
        conn.execute(target.insert(), records[start:start + 20_000])
