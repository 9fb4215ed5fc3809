"""Aggregating read queries: SQLAlchemy Core in, small DataFrames out.

Every query aggregates in the database; none returns the raw ``mrr`` or ``health`` history.
Filter values always travel as bound parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from cs_dashboard.db import schema
from cs_dashboard.db.engine import is_duckdb
from cs_dashboard.db.schema import TABLES, reflect
from cs_dashboard.filters import FILTER_COLUMNS, Filters
from cs_dashboard.months import add_months


def month_index_sql(column: sa.ColumnElement) -> sa.ColumnElement[int]:
    """SQL for ``year * 12 + month - 1`` of a date column (portable across dialects)."""
    year = sa.cast(sa.extract("year", column), sa.Integer)
    month = sa.cast(sa.extract("month", column), sa.Integer)
    return year * 12 + month - 1


class bytewise(sa.sql.expression.ColumnElement):
    """A text column ordered by its bytes (``COLLATE "C"`` on PostgreSQL; DuckDB and SQLite
    already compare text bytewise), so ties broken by ``account_id`` fall the same way in every
    database and in Python, whatever the server's locale."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: sa.ColumnElement) -> None:
        self.column = column
        self.type = column.type


@compiles(bytewise)
def _bytewise(element: bytewise, compiler, **kw) -> str:
    return compiler.process(element.column, **kw)


@compiles(bytewise, "postgresql")
def _bytewise_postgresql(element: bytewise, compiler, **kw) -> str:
    return f'{compiler.process(element.column, **kw)} COLLATE "C"'


def cents(value: sa.ColumnElement) -> sa.ColumnElement[int]:
    """Whole cents of a dollar amount, so sums are exact integers in every database."""
    return sa.cast(sa.func.round(value * 100), sa.BigInteger)


def filter_conditions(accounts: sa.Table, filters: Filters) -> list[sa.ColumnElement[bool]]:
    conds = []
    for column, values in filters.active().items():
        if column in accounts.c:
            conds.append(accounts.c[column].in_(list(values)))
    return conds


def apply_filters(select: sa.Select, mrr: sa.FromClause, tables: dict[str, sa.Table],
              filters: Filters) -> sa.Select:
    """``select`` restricted to rows of ``mrr`` (any table with ``account_id``) whose account
    matches ``filters``; a no-op without filters or without an ``accounts`` table."""
    accounts = tables.get("accounts")
    if accounts is None or not filters.active():
        return select
    conds = filter_conditions(accounts, filters)
    if not conds:
        return select
    match = sa.select(accounts.c.account_id).where(*conds)
    return select.where(mrr.c.account_id.in_(match))


def fetch_frame(engine: sa.Engine, query: sa.Select, names: list[str]) -> pd.DataFrame:
    """Run ``query`` (bound parameters) into a DataFrame with columns ``names``.

    Skips SQLAlchemy's per-row objects, which dominate the cost of one-row-per-account
    results: DuckDB hands over columns (``.df()``), other drivers their plain row tuples
    (3-4x faster than SQLAlchemy rows at 200,000 accounts). Callers fix the dtypes.
    """
    with engine.connect() as conn:
        if is_duckdb(engine):
            compiled = query.compile(dialect=engine.dialect,
                                     compile_kwargs={"render_postcompile": True})
            params = [compiled.params[p] for p in (compiled.positiontup or ())]
            frame = conn.connection.driver_connection.execute(str(compiled), params).df()
            frame.columns = names
            return frame
        rows = conn.execute(query).cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=names)


def table_counts(engine: sa.Engine) -> dict[str, int]:
    """Row count of each source table present (absent tables are left out)."""
    tables = reflect(engine)
    with engine.connect() as conn:
        return {
            name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for name, t in tables.items()
        }


def columns(engine: sa.Engine) -> dict[str, list[str]]:
    """Column names of each source table present."""
    return {name: [c.name for c in t.c] for name, t in reflect(engine).items()}


def month_range(engine: sa.Engine) -> tuple[dt.date, dt.date] | None:
    """First and last month in the revenue data, or ``None`` when there is none (of all the
    data, also on a CSM's scoped engine: every book shares the data's calendar). Kept per data
    version with the reflected tables (``schema.remembered``): pages and commands ask for it
    on every call."""
    return schema.remembered(engine, "month_range", lambda: _month_range(engine))


def _month_range(engine: sa.Engine) -> tuple[dt.date, dt.date] | None:
    tables = reflect(engine, scoped=False)
    if "mrr" not in tables:
        return None
    mrr = tables["mrr"]
    with engine.connect() as conn:
        lo, hi = conn.execute(sa.select(sa.func.min(mrr.c.month), sa.func.max(mrr.c.month))).one()
    if lo is None:
        return None
    return _as_date(lo), _as_date(hi)


def filter_options(engine: sa.Engine, names: Iterable[str] = FILTER_COLUMNS) -> dict[str, list[str]]:
    """Distinct non-empty values of each filterable account attribute that exists."""
    accounts = reflect(engine).get("accounts")
    if accounts is None:
        return {}
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for name in names:
            if name not in accounts.c:
                continue
            col = accounts.c[name]
            rows = conn.execute(sa.select(col).where(col.is_not(None)).distinct().order_by(col))
            values = [str(r[0]) for r in rows if str(r[0]).strip()]
            if values:
                out[name] = values
    return out


def portfolio_totals(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters()) -> dict:
    """Sums behind the portfolio KPIs at ``as_of`` (all amounts monthly, in MRR dollars).

    Keys: ``accounts`` and ``mrr`` (active at T); ``base_accounts`` and ``base_mrr`` (active at
    T-12, their MRR then); ``base_mrr_now`` (their MRR at T), ``base_mrr_kept`` (sum of
    min(now, then)) and ``base_retained`` (those still active at T).
    """
    tables = reflect(engine)
    mrr = tables["mrr"]
    base_month = add_months(as_of, -12)
    current = apply_filters(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(mrr.c.mrr), 0.0))
        .where(mrr.c.month == as_of, mrr.c.mrr > 0),
        mrr, tables, filters,
    )
    base = mrr.alias("base")
    now = mrr.alias("now")
    now_mrr = sa.func.coalesce(now.c.mrr, 0.0)
    kept = sa.case((now_mrr < base.c.mrr, now_mrr), else_=base.c.mrr)
    retained = sa.case((now_mrr > 0, 1), else_=0)
    trailing = apply_filters(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(base.c.mrr), 0.0),
            sa.func.coalesce(sa.func.sum(now_mrr), 0.0),
            sa.func.coalesce(sa.func.sum(kept), 0.0),
            sa.func.coalesce(sa.func.sum(retained), 0),
        )
        .select_from(base.outerjoin(
            now, sa.and_(now.c.account_id == base.c.account_id, now.c.month == as_of)))
        .where(base.c.month == base_month, base.c.mrr > 0),
        base, tables, filters,
    )
    with engine.connect() as conn:
        accounts, total = conn.execute(current).one()
        b_acc, b_mrr, b_now, b_kept, b_ret = conn.execute(trailing).one()
    return {
        "accounts": int(accounts), "mrr": float(total),
        "base_accounts": int(b_acc), "base_mrr": float(b_mrr), "base_mrr_now": float(b_now),
        "base_mrr_kept": float(b_kept), "base_retained": int(b_ret),
    }


def mrr_by_month(engine: sa.Engine, filters: Filters = Filters()) -> pd.DataFrame:
    """Total MRR and active accounts per month: columns ``month``, ``mrr``, ``accounts``."""
    tables = reflect(engine)
    mrr = tables["mrr"]
    query = apply_filters(
        sa.select(mrr.c.month, sa.func.sum(mrr.c.mrr).label("mrr"),
                  sa.func.count().label("accounts"))
        .where(mrr.c.mrr > 0).group_by(mrr.c.month).order_by(mrr.c.month),
        mrr, tables, filters,
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=["month", "mrr", "accounts"])
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def account_mrr_at(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters()) -> pd.DataFrame:
    """Each active account's MRR at ``as_of``: columns ``account_id``, ``mrr`` (one row per
    active account, not history)."""
    tables = reflect(engine)
    mrr = tables["mrr"]
    query = apply_filters(
        sa.select(mrr.c.account_id, mrr.c.mrr).where(mrr.c.month == as_of, mrr.c.mrr > 0),
        mrr, tables, filters)
    frame = fetch_frame(engine, query, ["account_id", "mrr"])
    frame["account_id"] = frame["account_id"].astype(str)
    frame["mrr"] = frame["mrr"].astype(float)
    return frame


def account_attributes(engine: sa.Engine, names: Iterable[str]) -> pd.DataFrame:
    """``account_id`` and the requested account columns that exist (one row per account)."""
    accounts = reflect(engine).get("accounts")
    if accounts is None:
        return pd.DataFrame(columns=["account_id"])
    cols = [accounts.c.account_id] + [accounts.c[n] for n in names
                                      if n in accounts.c and n != "account_id"]
    frame = fetch_frame(engine, sa.select(*cols), [c.name for c in cols])
    frame["account_id"] = frame["account_id"].astype(str)
    for col in cols:
        if isinstance(col.type, sa.Date):  # raw rows: SQLite returns dates as text
            frame[col.name] = pd.to_datetime(frame[col.name]).dt.date
    return frame


def source_is_empty(engine: sa.Engine) -> bool:
    """True when the revenue table is missing or has no rows."""
    try:
        return month_range(engine) is None
    except sa.exc.SQLAlchemyError:
        return True


def present_tables(engine: sa.Engine) -> list[str]:
    names = set(sa.inspect(engine).get_table_names())
    return [t for t in TABLES if t in names]


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
