"""Side by side: DuckDB aggregating in SQL against SQLite and against pandas.

The same three questions, answered three ways on the same data:

- **DuckDB** (the app): ``cs_dashboard.db.queries`` aggregates in SQL; a small result comes back.
- **SQLite**: the very same SQLAlchemy queries on a copy of the data in a SQLite file (with an
  index on ``mrr(month, account_id)``, what a careful SQLite user would add).
- **pandas, the tutorial way**: load every ``accounts`` and ``mrr`` row into DataFrames, then
  filter and group in pandas. Timed as a page would pay it without a cache: load + compute.

Every answer is checked against DuckDB's, so the ratios compare equal work.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from benchmarks.harness import median_of, timed
from cs_dashboard import api
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.schema import table
from cs_dashboard.filters import Filters
from cs_dashboard.months import add_months

EMEA = Filters.of(region=["EMEA"])


def copy_to_sqlite(duck: sa.Engine, path: Path) -> sa.Engine:
    """``accounts`` and ``mrr`` of ``duck`` copied into a new SQLite file (dates as ISO text)."""
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    md = sa.MetaData()
    names = ("accounts", "mrr")
    with duck.connect() as src:
        columns = {n: list(src.exec_driver_sql(f'SELECT * FROM "{n}" WHERE 1 = 0').keys())
                   for n in names}
        for name in names:
            table(name, columns[name], md).create(engine)
        with sqlite3.connect(path) as dst:
            for name in names:
                result = src.exec_driver_sql(f'SELECT * FROM "{name}"')
                insert = f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns[name]))})'
                while rows := result.fetchmany(100_000):
                    dst.executemany(insert, [tuple(_sqlite_value(v) for v in r) for r in rows])
            dst.execute("CREATE INDEX mrr_month ON mrr (month, account_id)")
    return engine


def _sqlite_value(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def load_everything(engine: sa.Engine) -> dict[str, pd.DataFrame]:
    """The tutorial's first step: every row of ``accounts`` and ``mrr`` in DataFrames."""
    with engine.connect() as conn:
        accounts = pd.read_sql(sa.text("SELECT * FROM accounts"), conn)
        mrr = pd.read_sql(sa.text("SELECT * FROM mrr"), conn)
    mrr["month"] = pd.to_datetime(mrr["month"])
    return {"accounts": accounts, "mrr": mrr}


def pandas_portfolio(frames: dict[str, pd.DataFrame], as_of: dt.date, filters: Filters) -> dict:
    """``queries.portfolio_totals`` computed in pandas from all rows."""
    mrr = _filtered(frames, filters)
    t, base_t = pd.Timestamp(as_of), pd.Timestamp(add_months(as_of, -12))
    now = mrr[(mrr["month"] == t) & (mrr["mrr"] > 0)]
    base = mrr[(mrr["month"] == base_t) & (mrr["mrr"] > 0)]
    joined = base[["account_id", "mrr"]].merge(
        mrr.loc[mrr["month"] == t, ["account_id", "mrr"]], on="account_id", how="left",
        suffixes=("_base", "_now")).fillna({"mrr_now": 0.0})
    return {
        "accounts": len(now), "mrr": float(now["mrr"].sum()),
        "base_accounts": len(joined), "base_mrr": float(joined["mrr_base"].sum()),
        "base_mrr_now": float(joined["mrr_now"].sum()),
        "base_mrr_kept": float(joined[["mrr_base", "mrr_now"]].min(axis=1).sum()),
        "base_retained": int((joined["mrr_now"] > 0).sum()),
    }


def pandas_trend(frames: dict[str, pd.DataFrame], filters: Filters) -> pd.DataFrame:
    """``queries.mrr_by_month`` computed in pandas from all rows."""
    mrr = _filtered(frames, filters)
    live = mrr[mrr["mrr"] > 0]
    return (live.groupby("month").agg(mrr=("mrr", "sum"), accounts=("mrr", "size"))
            .reset_index())


def _filtered(frames: dict[str, pd.DataFrame], filters: Filters) -> pd.DataFrame:
    mrr, accounts = frames["mrr"], frames["accounts"]
    for column, values in filters.active().items():
        keep = accounts.loc[accounts[column].isin(values), "account_id"]
        mrr = mrr[mrr["account_id"].isin(keep)]
    return mrr


def _same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame):
        return (len(a) == len(b) and all(
            math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a["mrr"], b["mrr"], strict=True))
            and list(a["accounts"]) == list(b["accounts"]))
    return all(math.isclose(a[k], b[k], rel_tol=1e-9) for k in a)


def phase(duck_url: str, directory: Path, repeat: int) -> list[dict]:
    """One row per question: seconds on DuckDB, SQLite and pandas, and whether they agree."""
    duck = make_engine(duck_url)
    as_of = api.default_as_of(duck)
    lite, copy_s = timed(lambda: copy_to_sqlite(duck, directory / "compare.sqlite"))
    questions = {
        "portfolio KPIs at the latest month": (
            lambda e: queries.portfolio_totals(e, as_of),
            lambda f: pandas_portfolio(f, as_of, Filters())),
        "portfolio KPIs, region = EMEA": (
            lambda e: queries.portfolio_totals(e, as_of, EMEA),
            lambda f: pandas_portfolio(f, as_of, EMEA)),
        "ARR trend by month": (
            lambda e: queries.mrr_by_month(e),
            lambda f: pandas_trend(f, Filters())),
    }
    frames, load_s = timed(lambda: load_everything(duck))
    rows = []
    for name, (sql, pandas_fn) in questions.items():
        expected = sql(duck)
        agree = _same(expected, sql(lite)) and _same(expected, pandas_fn(frames))
        duck_s = median_of(lambda sql=sql: sql(duck), repeat)
        lite_s = median_of(lambda sql=sql: sql(lite), repeat)
        compute_s = median_of(lambda fn=pandas_fn: fn(frames), repeat)
        rows.append({"name": name, "duckdb": duck_s, "sqlite": lite_s, "pandas_compute": compute_s,
                     "pandas": load_s + compute_s, "agree": agree})
    rows.append({"name": "(setup) copy into SQLite / load all rows into pandas", "duckdb": None,
                 "sqlite": copy_s, "pandas_compute": None, "pandas": load_s, "agree": None})
    lite.dispose()
    duck.dispose()
    return rows
