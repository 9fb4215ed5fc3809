"""The four source tables, as SQLAlchemy Core definitions.

``health`` has a variable set of component columns, so its definition is built per import
(``health_table``) and reflected when reading (``reflect``).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

T = TypeVar("T")

TABLES: tuple[str, ...] = ("accounts", "mrr", "health", "csms")

#: Columns per table: name -> (SQL type, required).
COLUMNS: dict[str, dict[str, tuple[type[sa.types.TypeEngine], bool]]] = {
    "accounts": {
        "account_id": (sa.String, True),
        "account_name": (sa.String, False),
        "csm": (sa.String, False),
        "region": (sa.String, False),
        "industry": (sa.String, False),
        "segment": (sa.String, False),
        "plan": (sa.String, False),
        "seats": (sa.Integer, False),
        "customer_since": (sa.Date, False),
        "renewal_date": (sa.Date, False),
        "potential_arr": (sa.Double, False),
        "complexity": (sa.String, False),
    },
    "mrr": {
        "account_id": (sa.String, True),
        "month": (sa.Date, True),
        "mrr": (sa.Double, True),
    },
    "health": {
        "account_id": (sa.String, True),
        "as_of": (sa.Date, True),
        "score": (sa.Double, False),
    },
    "csms": {
        "csm": (sa.String, True),
        "team": (sa.String, False),
        "role": (sa.String, False),
        "start_date": (sa.Date, False),
        "hours_per_week": (sa.Double, False),
        "annual_cost": (sa.Double, False),
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    t: tuple(c for c, (_, req) in cols.items() if req) for t, cols in COLUMNS.items()
}

#: Health columns that are not score components.
HEALTH_KEYS: tuple[str, ...] = ("account_id", "as_of", "score")


def table(name: str, columns: list[str] | None = None,
          metadata: sa.MetaData | None = None) -> sa.Table:
    """Core table ``name`` with the given columns (default: all known ones).

    Unknown health columns are score components (floats).
    """
    metadata = metadata or sa.MetaData()
    known = COLUMNS[name]
    names = columns if columns is not None else list(known)
    cols = [sa.Column(c, known.get(c, (sa.Double, False))[0]()) for c in names]
    return sa.Table(name, metadata, *cols)


def reflect(engine: sa.Engine, scoped: bool = True) -> dict[str, sa.FromClause]:
    """The source tables that exist in the database, with the columns they actually have, by
    our table and column names.

    On an engine that carries a CSM's scope (``db.scope``) each table is a subquery holding
    only that book's rows; ``scoped=False`` is for the data's month span alone, which names no
    account.

    Tables a source mapping names (``db.source_map``) are subqueries over the team's own tables
    or views, their columns renamed and typed as ours; the others are read by name. Column
    names come from an empty result (``WHERE 1 = 0``) rather than the dialect's catalogue
    reflection, which is cheaper on warehouses and works on every driver.
    """
    from cs_dashboard.db import scope

    book = scope.scope_of(engine) if scoped else None
    tables = _reflected(engine)
    return tables if book is None else scope.restrict(tables, book)


#: Facts about the source per connection pool (engines derived with ``execution_options``, such
#: as a CSM's scoped engine, share their pool): ``(data version, source mapping, {name: value})``,
#: the reflected tables under ``"tables"``. Pages ask for the tables dozens of times a run;
#: reflecting costs a catalogue query and four probes.
_reflections: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_versions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def track_version(engine: sa.Engine, version: int) -> None:
    """Tell the reflection cache the data version the app sees for ``engine`` (``ui.cache``):
    tables reflected at another version are reflected again."""
    with _lock:
        _versions[engine.pool] = version


def forget(engine: sa.Engine) -> None:
    """Drop ``engine``'s reflected tables and remembered facts (after writing new tables:
    ``writer``)."""
    with _lock:
        _reflections.pop(engine.pool, None)


def remembered(engine: sa.Engine, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept per (connection pool, data version, source mapping) like the
    reflected tables: for facts of the whole source that change only when its data does (the
    month span)."""
    from cs_dashboard.db import source_map

    smap = source_map.for_engine(engine)
    pool = engine.pool
    with _lock:
        version = _versions.get(pool, 0)
        hit = _reflections.get(pool)
        if hit is None or hit[0] != version or hit[1] is not smap:
            hit = (version, smap, {})
            _reflections[pool] = hit
        facts = hit[2]
    if name not in facts:
        facts[name] = compute()
    return facts[name]


def _reflected(engine: sa.Engine) -> dict[str, sa.FromClause]:
    """``_reflect(engine)``, cached per (connection pool, data version, source mapping)."""
    from cs_dashboard.db import source_map

    return remembered(engine, "tables", lambda: _reflect(engine, source_map.for_engine(engine)))


def _reflect(engine: sa.Engine, smap) -> dict[str, sa.FromClause]:
    from cs_dashboard.db import source_map

    out: dict[str, sa.FromClause] = dict(source_map.mapped_tables(engine, smap)) if smap else {}
    if len(out) == len(TABLES):
        return {name: out[name] for name in TABLES}
    present = set(sa.inspect(engine).get_table_names())
    md = sa.MetaData()
    with engine.connect() as conn:
        for name in TABLES:
            if name in present and name not in out:
                probe = sa.select(sa.text("*")).select_from(sa.table(name)).where(sa.false())
                out[name] = table(name, list(conn.execute(probe).keys()), md)
    return {name: out[name] for name in TABLES if name in out}
