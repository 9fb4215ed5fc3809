"""Health queries: band totals, band mix, migration, per-account rows and back-test rows.

Every query starts from ``_at_latest_snapshot``: each account active in a month (after filters)
with its latest snapshot at or before that month, the one rule of every health figure for a
month (docs/definitions.md, Health). The composite score is computed in SQL for the aggregates
(``score_sql``): the weighted mean of the components present, ``sum(w_i * v_i) / sum(w_i)``
over non-null components, else the provided ``score``. Weights and thresholds travel as bound
parameters. Per-account rows are returned only at one month (one row per account), never per
account and snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db.queries import apply_filters, cents, fetch_frame, month_index_sql
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


def _book(tables: dict[str, sa.Table], months: Sequence[dt.date], filters: Filters,
          name: str) -> sa.Subquery:
    """Accounts active in each of ``months`` (after filters): ``month``, ``account_id``, ``mrr``
    and ``arr`` (12 x MRR) at that month, one row per account and month."""
    mrr = tables["mrr"]
    query = sa.select(mrr.c.month, mrr.c.account_id, mrr.c.mrr, (mrr.c.mrr * 12).label("arr")) \
        .where(mrr.c.month.in_(list(months)), mrr.c.mrr > 0)
    return apply_filters(query, mrr, tables, filters).subquery(name)


def _latest_dates(tables: dict[str, sa.Table], months: Sequence[dt.date], name: str) -> sa.Subquery:
    """Per account with a snapshot, the date of its latest snapshot dated in or before each of
    ``months`` (column ``latest_<i>`` for ``months[i]``; NULL when it has none yet).

    One pass over the health rows: a conditional maximum per month rather than one aggregate
    (or a window over every snapshot) per month; ``(account_id, as_of)`` is unique at import."""
    health = tables["health"]
    latest = [sa.func.max(sa.case((health.c.as_of < add_months(m, 1), health.c.as_of)))
              .label(f"latest_{i}") for i, m in enumerate(months)]
    return (sa.select(health.c.account_id, *latest)
            .where(health.c.as_of < add_months(max(months), 1))
            .group_by(health.c.account_id).subquery(name))


def _at_latest_snapshot(tables: dict[str, sa.Table], months: Sequence[dt.date], filters: Filters,
                        name: str) -> tuple[sa.Subquery, sa.FromClause, sa.Alias | None]:
    """The rule of every health figure for a month (docs/definitions.md, Health): each account active in
    a month of ``months`` (after filters) with its latest snapshot at or before that month.

    Returns ``(book, source, snap)``: ``book`` has ``month``, ``account_id``, ``mrr``, ``arr``
    and ``snapshot`` (the date of that snapshot, NULL when there is none); ``snap`` is the health
    row of that snapshot (NULLs when there is none; ``None`` without a health table) and
    ``source`` is ``book`` outer-joined to it. Every health query starts here.
    """
    book = _book(tables, months, filters, f"{name}_book")
    if "health" not in tables:
        return book, book, None
    latest = _latest_dates(tables, months, f"{name}_latest")
    snapshot = sa.case(*((book.c.month == m, latest.c[f"latest_{i}"]) for i, m in enumerate(months)))
    dated = (sa.select(*book.c, snapshot.label("snapshot"))
             .select_from(book.outerjoin(latest, latest.c.account_id == book.c.account_id))
             .subquery(f"{name}_dated"))
    snap = tables["health"].alias(f"{name}_snap")
    source = dated.outerjoin(snap, sa.and_(snap.c.account_id == dated.c.account_id,
                                           snap.c.as_of == dated.c.snapshot))
    return dated, source, snap


def _scored(tables: dict[str, sa.Table], months: Sequence[dt.date], filters: Filters,
            weights: Weights, bands: Sequence[float], name: str) -> sa.Subquery:
    """``month``, ``account_id``, ``mrr``, ``arr`` and ``band`` of each account active in a
    month of ``months``, scored from its latest snapshot at or before that month (unscored when
    there is none)."""
    book, source, snap = _at_latest_snapshot(tables, months, filters, name)
    band = sa.literal(UNSCORED) if snap is None else sa.case(
        (snap.c.account_id.is_(None), sa.literal(UNSCORED)),
        else_=band_sql(score_sql(snap, weights), bands))
    return (sa.select(book.c.month, book.c.account_id, book.c.mrr, book.c.arr, band.label("band"))
            .select_from(source).subquery(f"{name}_scored"))


def band_mix(engine: sa.Engine, months: Sequence[dt.date], filters: Filters, weights: Weights,
             bands: Sequence[float]) -> pd.DataFrame:
    """Accounts and ARR (annual dollars) per month of ``months`` and band: columns ``month``
    (date), ``band``, ``accounts``, ``arr``; only the pairs that have accounts.

    Every account active in the month (after filters) counts, scored from its latest snapshot
    at or before the month (``unscored`` when there is none). ARR is summed in whole cents, so
    a month's totals are the same in every query that counts it.
    """
    if not months:
        return pd.DataFrame({"month": pd.Series(dtype=object), "band": pd.Series(dtype=object),
                             "accounts": pd.Series(dtype=int), "arr": pd.Series(dtype=float)})
    tables = reflect(engine)
    scored = _scored(tables, months, filters, weights, bands, "mix")
    query = (sa.select(scored.c.month, scored.c.band, sa.func.count().label("accounts"),
                       sa.func.coalesce(sa.func.sum(cents(scored.c.mrr)), 0).label("cents"))
             .group_by(scored.c.month, scored.c.band).order_by(scored.c.month, scored.c.band))
    frame = fetch_frame(engine, query, ["month", "band", "accounts", "cents"])
    return pd.DataFrame({
        "month": [pd.Timestamp(m).date() for m in frame["month"]],
        "band": frame["band"].astype(object),
        "accounts": frame["accounts"].astype(int),
        "arr": [12 * int(c) / 100 for c in frame["cents"]],
    })


def scored_accounts(engine: sa.Engine, month: dt.date, filters: Filters, weights: Weights,
                    bands: Sequence[float]) -> pd.DataFrame:
    """One row per account active at ``month`` (after filters): ``account_id``, ``mrr``,
    ``arr`` and ``band`` (the band of ``band_mix``, without the components)."""
    tables = reflect(engine)
    scored = _scored(tables, [month], filters, weights, bands, "accounts")
    query = sa.select(scored.c.account_id, scored.c.mrr, scored.c.arr, scored.c.band) \
        .order_by(scored.c.account_id)
    frame = _frame(engine, query, ["account_id", "mrr", "arr", "band"])
    frame["account_id"] = frame["account_id"].astype(str)
    return frame


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
    book, source, snap = _at_latest_snapshot(tables, [month], filters, "rows")
    cols: list[sa.ColumnElement] = [book.c.account_id, book.c.mrr, book.c.arr]
    names = ["account_id", "mrr", "arr"]
    if snap is not None:
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


def migration(engine: sa.Engine, start: dt.date, end: dt.date, filters: Filters,
              weights: Weights, bands: Sequence[float]) -> pd.DataFrame:
    """Accounts active at ``start`` by band then and band at ``end`` (``churned`` when no longer
    active): columns ``from_band``, ``to_band``, ``accounts``, ``arr_start``, ``arr_end``."""
    tables = reflect(engine)
    a = _scored(tables, [start], filters, weights, bands, "a")
    b = _scored(tables, [end], filters, weights, bands, "b")
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
