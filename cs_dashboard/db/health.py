"""Health queries: latest snapshot per account, band totals, band mix, migration, back-test rows.

The composite score is computed in SQL for the aggregates (``score_sql``): the weighted mean of
the components present, ``sum(w_i * v_i) / sum(w_i)`` over non-null components, else the
provided ``score``. Weights and thresholds travel as bound parameters. Per-account rows are
returned only at one snapshot (one row per account), never per account and snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db.queries import apply_filters, fetch_frame, month_index_sql
from cs_dashboard.db.schema import HEALTH_KEYS, reflect
from cs_dashboard.filters import Filters
from cs_dashboard.health.scoring import EDGE_EPS, UNSCORED, Weights
from cs_dashboard.months import add_months, from_index, month_index

#: Account attributes carried on per-account rows when the data has them.
ATTRIBUTES = ("account_name", "csm", "segment", "region", "renewal_date")


def components(tables: dict[str, sa.Table]) -> tuple[str, ...]:
    """Score component columns of the ``health`` table, in the data's order."""
    health = tables.get("health")
    if health is None:
        return ()
    return tuple(c.name for c in health.c if c.name not in HEALTH_KEYS)


def score_sql(source: sa.FromClause, weights: Weights) -> sa.ColumnElement:
    """The composite score of each row of ``source`` (NULL when unscored)."""
    num, den = [], []
    for name, w in weights:
        value = sa.cast(source.c[name], sa.Double)
        weight = sa.literal(float(w), sa.Double)
        num.append(sa.case((value.is_not(None), weight * value), else_=sa.literal(0.0, sa.Double)))
        den.append(sa.case((value.is_not(None), weight), else_=sa.literal(0.0, sa.Double)))
    provided = sa.cast(source.c["score"], sa.Double) if "score" in source.c else sa.null()
    if not num:
        return provided
    total_w = sum(den[1:], den[0])
    return sa.case((total_w > 0, sum(num[1:], num[0]) / total_w), else_=provided)


def band_sql(score: sa.ColumnElement, bands: Sequence[float]) -> sa.ColumnElement[str]:
    """``red`` / ``yellow`` / ``green`` / ``unscored`` for a score expression."""
    red, green = bands
    return sa.case(
        (score.is_(None), sa.literal(UNSCORED)),
        (score < sa.literal(float(red) - EDGE_EPS, sa.Double), sa.literal("red")),
        (score >= sa.literal(float(green) - EDGE_EPS, sa.Double), sa.literal("green")),
        else_=sa.literal("yellow"))


def _book(tables: dict[str, sa.Table], month: dt.date, filters: Filters, name: str) -> sa.Subquery:
    """Accounts active at ``month`` (after filters) with their MRR and ARR (12 x MRR)."""
    mrr = tables["mrr"]
    query = sa.select(mrr.c.account_id, mrr.c.mrr, (mrr.c.mrr * 12).label("arr")) \
        .where(mrr.c.month == month, mrr.c.mrr > 0)
    return apply_filters(query, mrr, tables, filters).subquery(name)


def _latest(tables: dict[str, sa.Table], month: dt.date, book: sa.Subquery, name: str) -> sa.Subquery:
    """Each account's latest health snapshot dated in or before ``month`` (an aggregate of the
    latest date per account joined back; ``(account_id, as_of)`` is unique at import). Callers
    join it to ``book``; a plain aggregate is faster than restricting it to the book first."""
    health = tables["health"]
    latest = (sa.select(health.c.account_id, sa.func.max(health.c.as_of).label("as_of"))
              .where(health.c.as_of < add_months(month, 1))
              .group_by(health.c.account_id).subquery(f"{name}_latest"))
    return (sa.select(*health.c)
            .join(latest, sa.and_(latest.c.account_id == health.c.account_id,
                                  latest.c.as_of == health.c.as_of))
            .subquery(name))


def _scored_book(tables: dict[str, sa.Table], month: dt.date, filters: Filters, weights: Weights,
                 bands: Sequence[float], name: str) -> sa.Subquery:
    """account_id, arr and band at ``month`` (unscored when there is no snapshot)."""
    book = _book(tables, month, filters, f"{name}_book")
    if "health" not in tables:
        band = sa.literal(UNSCORED)
        return sa.select(book.c.account_id, book.c.arr, band.label("band")).subquery(name)
    snap = _latest(tables, month, book, f"{name}_snap")
    band = sa.case((snap.c.account_id.is_(None), sa.literal(UNSCORED)),
                   else_=band_sql(score_sql(snap, weights), bands))
    return (sa.select(book.c.account_id, book.c.arr, band.label("band"))
            .select_from(book.outerjoin(snap, snap.c.account_id == book.c.account_id))
            .subquery(name))


def band_totals(engine: sa.Engine, as_of: dt.date, filters: Filters, weights: Weights,
                bands: Sequence[float]) -> pd.DataFrame:
    """Accounts and ARR (annual dollars) per band at ``as_of``: columns ``band``, ``accounts``,
    ``arr``; active accounts only, scored from their latest snapshot at or before ``as_of``."""
    tables = reflect(engine)
    scored = _scored_book(tables, as_of, filters, weights, bands, "scored")
    query = (sa.select(scored.c.band, sa.func.count().label("accounts"),
                       sa.func.coalesce(sa.func.sum(scored.c.arr), 0.0).label("arr"))
             .group_by(scored.c.band))
    return _frame(engine, query, ["band", "accounts", "arr"])


def account_rows(engine: sa.Engine, month: dt.date, filters: Filters = Filters(),
                 churn_by: dt.date | None = None, attributes: bool = True) -> pd.DataFrame:
    """One row per account active at ``month``: ``account_id``, ``mrr`` and ``arr`` (monthly
    and annual dollars at ``month``), ``snapshot`` (date of its latest health snapshot at or
    before ``month``), the component columns, the provided ``score`` if any, and (with
    ``attributes``) the account attributes present.

    With ``churn_by`` (a later month T) adds ``churned``: the account had a month without MRR
    after ``month`` and at or before T.
    """
    tables = reflect(engine)
    book = _book(tables, month, filters, "book")
    cols: list[sa.ColumnElement] = [book.c.account_id, book.c.mrr, book.c.arr]
    names = ["account_id", "mrr", "arr"]
    source: sa.FromClause = book
    if "health" in tables:
        snap = _latest(tables, month, book, "snap")
        source = source.outerjoin(snap, snap.c.account_id == book.c.account_id)
        keep = [c for c in snap.c if c.name != "account_id"]
        cols += keep
        names += ["snapshot" if c.name == "as_of" else c.name for c in keep]
    accounts = tables.get("accounts") if attributes else None
    if accounts is not None:
        attrs = [accounts.c[a] for a in ATTRIBUTES if a in accounts.c]
        source = source.outerjoin(accounts, accounts.c.account_id == book.c.account_id)
        cols += attrs
        names += [a.name for a in attrs]
    if churn_by is not None:
        mrr = tables["mrr"]
        later = (sa.select(mrr.c.account_id, sa.func.count().label("months"))
                 .where(mrr.c.month > month, mrr.c.month <= churn_by, mrr.c.mrr > 0)
                 .group_by(mrr.c.account_id).subquery("later"))
        source = source.outerjoin(later, later.c.account_id == book.c.account_id)
        needed = sa.literal(month_index(churn_by) - month_index(month), sa.Integer)
        cols.append(sa.case((sa.func.coalesce(later.c.months, 0) < needed, 1), else_=0))
        names.append("churned")
    query = sa.select(*cols).select_from(source).order_by(book.c.account_id)
    frame = _frame(engine, query, names)
    frame["account_id"] = frame["account_id"].astype(str)
    frame["mrr"] = frame["mrr"].astype(float)
    frame["arr"] = frame["arr"].astype(float)
    if "churned" in frame:
        frame["churned"] = frame["churned"].astype(bool)
    return frame


def snapshot_months(engine: sa.Engine, filters: Filters = Filters()) -> list[dt.date]:
    """The months that have health snapshots, ascending."""
    tables = reflect(engine)
    health = tables.get("health")
    if health is None:
        return []
    idx = month_index_sql(health.c.as_of).label("m")
    query = apply_filters(sa.select(idx).distinct(), health, tables, filters)
    with engine.connect() as conn:
        return sorted(from_index(int(r[0])) for r in conn.execute(query) if r[0] is not None)


def band_mix(engine: sa.Engine, months: Sequence[dt.date], filters: Filters, weights: Weights,
             bands: Sequence[float]) -> pd.DataFrame:
    """Band mix per snapshot month: columns ``snapshot``, ``band``, ``accounts``, ``arr``.

    Counts the health rows dated in each month whose account was active that month (ARR at
    that month); aggregated in SQL (one row per month and band).
    """
    tables = reflect(engine)
    if "health" not in tables or not months:
        return pd.DataFrame(columns=["snapshot", "band", "accounts", "arr"])
    health, mrr = tables["health"], tables["mrr"]
    lo, hi = min(months), add_months(max(months), 1)
    snaps = apply_filters(
        sa.select(health.c.account_id, month_index_sql(health.c.as_of).label("m"),
                  band_sql(score_sql(health, weights), bands).label("band"))
        .where(health.c.as_of >= lo, health.c.as_of < hi),
        health, tables, filters).subquery("snaps")
    revenue = (sa.select(mrr.c.account_id, month_index_sql(mrr.c.month).label("m"),
                         (mrr.c.mrr * 12).label("arr"))
               .where(mrr.c.month >= lo, mrr.c.month < hi, mrr.c.mrr > 0).subquery("revenue"))
    rows = (sa.select(snaps.c.m, snaps.c.band, revenue.c.arr)
            .select_from(snaps.join(revenue, sa.and_(revenue.c.account_id == snaps.c.account_id,
                                                     revenue.c.m == snaps.c.m)))
            .where(snaps.c.m.in_([month_index(m) for m in months])).subquery("rows"))
    query = (sa.select(rows.c.m, rows.c.band, sa.func.count().label("accounts"),
                       sa.func.sum(rows.c.arr).label("arr"))
             .group_by(rows.c.m, rows.c.band).order_by(rows.c.m, rows.c.band))
    frame = _frame(engine, query, ["m", "band", "accounts", "arr"])
    frame.insert(0, "snapshot", [from_index(int(m)) for m in frame.pop("m")])
    return frame


def migration(engine: sa.Engine, start: dt.date, end: dt.date, filters: Filters,
              weights: Weights, bands: Sequence[float]) -> pd.DataFrame:
    """Accounts active at ``start`` by band then and band at ``end`` (``churned`` when no longer
    active): columns ``from_band``, ``to_band``, ``accounts``, ``arr_start``, ``arr_end``."""
    tables = reflect(engine)
    a = _scored_book(tables, start, filters, weights, bands, "a")
    b = _scored_book(tables, end, filters, weights, bands, "b")
    to_band = sa.case((b.c.account_id.is_(None), sa.literal("churned")), else_=b.c.band)
    pairs = (sa.select(a.c.band.label("from_band"), to_band.label("to_band"),
                       a.c.arr.label("arr_start"),
                       sa.func.coalesce(b.c.arr, 0.0).label("arr_end"))
             .select_from(a.outerjoin(b, b.c.account_id == a.c.account_id)).subquery("pairs"))
    query = (sa.select(pairs.c.from_band, pairs.c.to_band, sa.func.count().label("accounts"),
                       sa.func.sum(pairs.c.arr_start).label("arr_start"),
                       sa.func.sum(pairs.c.arr_end).label("arr_end"))
             .group_by(pairs.c.from_band, pairs.c.to_band))
    return _frame(engine, query, ["from_band", "to_band", "accounts", "arr_start", "arr_end"])


def _frame(engine: sa.Engine, query: sa.Select, names: list[str]) -> pd.DataFrame:
    """``fetch_frame`` with the health columns' dtypes: counts int, dates datetime64, ids and
    bands text, attributes as they are, everything else float."""
    frame = fetch_frame(engine, query, names)
    for name in names:
        if name == "accounts":
            frame[name] = frame[name].astype(int)
        elif name in ("snapshot", "renewal_date"):
            frame[name] = pd.to_datetime(frame[name], errors="coerce").astype("datetime64[ns]")
        elif name in ("account_id", "from_band", "to_band", "band"):
            frame[name] = frame[name].astype(object)
        elif name not in ATTRIBUTES:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame
