"""Warehouse tables in place: reading our four tables from a team's own tables or views.

A source mapping, in ``cs_dashboard.toml`` or ``.streamlit/secrets.toml`` (or the file named by
``CS_DASHBOARD_CONFIG``), names for each of our tables a schema-qualified table or view and a
column map (its column -> ours)::

    [source]
    url = "postgresql://reader@warehouse/analytics"   # the source it applies to
    [source.accounts]
    table = "analytics.dim_customers"
    columns = { customer_id = "account_id", owner_name = "csm", legacy_region = "" }
    [source.mrr]
    table = "analytics.fct_mrr_monthly"
    columns = { customer_id = "account_id", revenue_month = "month", mrr_usd = "mrr" }

``""`` leaves a column out. Without ``url`` it applies to the file's ``db_url`` or to
``CS_DASHBOARD_DB_URL``. Tables it does not name are read as usual.

``schema.reflect`` hands every query a subquery per mapped table that selects the mapped
columns under our names (cast to our types where the warehouse stores them differently, e.g. an
integer id or a timestamp month), so every query runs as before, in the database. On first use
per engine the mapping is checked against the database: each table readable, each mapped and
required column present and of a usable type; every mismatch is reported in one
``SourceMapError``.
"""

from __future__ import annotations

import os
import tomllib
import weakref
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cs_dashboard.db.engine import DATA_DIR, ENV_URL
from cs_dashboard.db.schema import COLUMNS, HEALTH_KEYS, REQUIRED, TABLES

ENV_CONFIG = "CS_DASHBOARD_CONFIG"
#: Where a mapping is looked for (in the working folder, then the app's folder), first found wins.
CONFIG_FILES = ("cs_dashboard.toml", ".streamlit/secrets.toml")
TABLE_KEYS = ("table", "columns")


class SourceMapError(sa.exc.SQLAlchemyError):
    """The source mapping does not fit the database (or cannot be read): every mismatch, in one
    line. A database error, so every page and the CLI report it as they report the others."""


@dataclass(frozen=True)
class TableSource:
    """Where one of our tables is read from: ``relation`` in ``schema`` with ``columns``
    (its column -> ours)."""

    table: str
    schema: str | None
    relation: str
    columns: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.relation}" if self.schema else self.relation

    def describe(self) -> str:
        renamed = ", ".join(f"{a} -> {b}" for a, b in self.columns)
        return f"{self.table} = {self.name}" + (f" ({renamed})" if renamed else "")


@dataclass(frozen=True)
class SourceMap:
    """The mapping of a config file: the source ``url`` it applies to, and the mapped tables."""

    origin: str
    url: str | None
    tables: tuple[TableSource, ...]

    def applies_to(self, url: sa.URL | str) -> bool:
        return self.url is not None and _same_database(self.url, url)

    def describe(self) -> str:
        return "; ".join(t.describe() for t in self.tables)


def config_path() -> Path | None:
    """The config file holding a source mapping, if any."""
    named = os.environ.get(ENV_CONFIG)
    if named:
        return Path(named)
    for folder in (Path.cwd(), DATA_DIR.parent):
        for name in CONFIG_FILES:
            path = folder / name
            if path.is_file():
                return path
    return None


_parsed: dict[tuple[str, int], SourceMap | None] = {}


def configured() -> SourceMap | None:
    """The source mapping of the config file (``None`` without one); re-read when it changes."""
    path = config_path()
    if path is None:
        return None
    try:
        key = (str(path.resolve()), path.stat().st_mtime_ns)
    except OSError as exc:
        raise SourceMapError(f"cannot read the source mapping file {path}: {exc}") from None
    if key not in _parsed:
        _parsed.clear()
        _parsed[key] = parse(path.read_bytes(), str(path))
    return _parsed[key]


def parse(data: bytes, origin: str) -> SourceMap | None:
    """The ``[source]`` section of a TOML config (``None`` when it has none)."""
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourceMapError(f"cannot read the source mapping in {origin}: {exc}") from None
    section = raw.get("source")
    if section is None:
        return None
    problems = []
    if not isinstance(section, dict):
        raise SourceMapError(f"{origin}: [source] must be a table")
    unknown = sorted(set(section) - {"url", *TABLES})
    if unknown:
        problems.append(f"[source] has unknown key(s) {', '.join(unknown)} (known: url, "
                        f"{', '.join(TABLES)})")
    tables = []
    for table in TABLES:
        entry = section.get(table)
        if entry is None:
            continue
        where = f"[source.{table}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("table"), str) \
                or not entry["table"].strip():
            problems.append(f"{where} needs table = \"schema.table_or_view\"")
            continue
        extra = sorted(set(entry) - set(TABLE_KEYS))
        if extra:
            problems.append(f"{where} has unknown key(s) {', '.join(extra)} (known: table, columns)")
        columns = entry.get("columns", {})
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
            problems.append(f"{where} columns must map the table's column names to ours")
            columns = {}
        for source, ours in columns.items():
            if ours and table != "health" and ours not in COLUMNS[table]:
                problems.append(f"{where} maps {source} to {ours!r}, not a column of {table} "
                                f"(columns: {', '.join(COLUMNS[table])})")
        twice = sorted({v for v in columns.values() if v and list(columns.values()).count(v) > 1})
        if twice:
            problems.append(f"{where} maps more than one column to {', '.join(twice)}")
        schema, _, relation = entry["table"].strip().rpartition(".")
        tables.append(TableSource(table, schema or None, relation,
                                  tuple((str(k), v) for k, v in columns.items())))
    if problems:
        raise SourceMapError(f"the source mapping in {origin} cannot be used: "
                             + "; ".join(problems))
    url = section.get("url") or raw.get("db_url") or os.environ.get(ENV_URL)
    return SourceMap(origin, str(url) if url else None, tuple(tables))


def for_engine(engine: sa.Engine) -> SourceMap | None:
    """The source mapping that applies to ``engine``'s database, if any."""
    smap = configured()
    return smap if smap is not None and smap.tables and smap.applies_to(engine.url) else None


def _same_database(a: sa.URL | str, b: sa.URL | str) -> bool:
    """True when two URLs name the same database as the same user (driver and password aside)."""
    try:
        ua, ub = make_url(a), make_url(b)
    except Exception:  # noqa: BLE001 - an unparseable URL matches nothing
        return False

    def key(u: sa.URL) -> tuple:
        database = u.database or ""
        if u.get_backend_name() in ("duckdb", "sqlite") and database not in ("", ":memory:"):
            database = str(Path(database).resolve())
        return (u.get_backend_name(), u.username, u.host, u.port, database)

    return key(ua) == key(ub)


_checked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def mapped_tables(engine: sa.Engine, smap: SourceMap) -> dict[str, sa.Subquery]:
    """Our tables as subqueries over the mapped tables and views, checked once per engine and
    mapping; ``SourceMapError`` lists every mismatch."""
    cached = _checked.get(engine)
    if cached is not None and cached[0] == smap:
        return cached[1]
    problems: list[str] = []
    out = {}
    inspector = sa.inspect(engine)
    for source in smap.tables:
        found = _columns(engine, inspector, source, problems)
        if found is not None:
            built = _subquery(source, found, problems)
            if built is not None:
                out[source.table] = built
    if problems:
        raise SourceMapError(f"the source mapping in {smap.origin} does not fit "
                             f"{engine.url.render_as_string(hide_password=True)}: "
                             + "; ".join(problems))
    _checked[engine] = (smap, out)
    return out


def _columns(engine: sa.Engine, inspector: sa.Inspector, source: TableSource,
             problems: list[str]) -> dict[str, sa.types.TypeEngine] | None:
    """The columns and types of the mapped relation, or ``None`` (with the problem) when it
    cannot be read. Types come from the dialect's reflection, or from the standard
    ``information_schema`` where the dialect has none (DuckDB)."""
    try:
        found = {c["name"]: c["type"] for c in inspector.get_columns(source.relation,
                                                                     schema=source.schema)}
    except sa.exc.NoSuchTableError:
        found = {}
    except (sa.exc.SQLAlchemyError, NotImplementedError):
        found = _information_schema(engine, source)
    if not found:
        problems.append(f"{source.table}: no table or view {source.name}")
        return None
    probe = sa.select(sa.literal(1)).select_from(
        sa.table(source.relation, schema=source.schema)).where(sa.false())
    try:
        with engine.connect() as conn:
            conn.execute(probe)
    except sa.exc.SQLAlchemyError as exc:
        problems.append(f"{source.table}: cannot read {source.name} ({_first_line(exc)})")
        return None
    return found


_INFO = sa.table("columns", sa.column("table_schema"), sa.column("table_name"),
                 sa.column("column_name"), sa.column("data_type"),
                 sa.column("ordinal_position"), schema="information_schema")


def _information_schema(engine: sa.Engine, source: TableSource) -> dict[str, sa.types.TypeEngine]:
    query = (sa.select(_INFO.c.column_name, _INFO.c.data_type)
             .where(_INFO.c.table_name == source.relation)
             .order_by(_INFO.c.ordinal_position))
    if source.schema:
        query = query.where(_INFO.c.table_schema == source.schema)
    try:
        with engine.connect() as conn:
            return {name: _type_named(kind) for name, kind in conn.execute(query)}
    except sa.exc.SQLAlchemyError:
        return {}


def _type_named(name: str) -> sa.types.TypeEngine:
    """A generic type for a SQL type name as ``information_schema`` writes it."""
    text = str(name).lower()
    if "timestamp" in text or "datetime" in text:
        return sa.DateTime()
    if text.startswith("date"):
        return sa.Date()
    if any(k in text for k in ("char", "text", "string", "uuid")):
        return sa.String()
    if text.startswith("bool"):
        return sa.Boolean()
    if any(k in text for k in ("int",)):
        return sa.Integer()
    if any(k in text for k in ("numeric", "decimal", "double", "real", "float", "number")):
        return sa.Numeric()
    return sa.types.NullType()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


#: What each of our types needs, in words, and the warehouse types that can give it.
_NEEDS = {sa.String: "text", sa.Date: "a date", sa.Double: "a number", sa.Integer: "a number"}


def _usable(ours: type[sa.types.TypeEngine], theirs: sa.types.TypeEngine) -> bool | None:
    """True when the column can be read as it is, False when it needs a cast to ours, None
    when it cannot be read as ours at all."""
    if isinstance(theirs, sa.types.NullType):
        return False  # a type the dialect does not know: cast, and let the database decide
    numeric = isinstance(theirs, sa.Integer | sa.Numeric | sa.Float)
    if ours is sa.String:
        return True if isinstance(theirs, sa.String) else (False if numeric else None)
    if ours is sa.Date:
        return True if isinstance(theirs, sa.Date) else (
            False if isinstance(theirs, sa.DateTime) else None)
    return isinstance(theirs, ours) if numeric else None


def _subquery(source: TableSource, found: dict[str, sa.types.TypeEngine],
              problems: list[str]) -> sa.Subquery | None:
    """``SELECT <their column> AS <ours>, ... FROM schema.relation`` as the subquery ``table``."""
    table, before = source.table, len(problems)
    renamed = dict(source.columns)
    targets = {ours for ours in renamed.values() if ours}
    for theirs, ours in source.columns:
        if ours and theirs not in found:
            problems.append(f"{table}: {source.name} has no column {theirs} (mapped to {ours})")
    # their columns under our names: mapped ones, then same-named ones a mapping does not shadow
    # or ignore (mapped to "")
    chosen = [(t, renamed[t]) for t in found if renamed.get(t)]
    chosen += [(t, t) for t in found if t not in renamed and t not in targets
               and (t in COLUMNS[table] or table == "health")]
    present = {ours for _, ours in chosen}
    for column in REQUIRED[table]:
        if column not in present and column not in targets:
            problems.append(f"{table}: {source.name} has no column {column}; map one with "
                            f"columns = {{ <its column> = \"{column}\" }}")
    relation = sa.table(source.relation, *[sa.column(c) for c in found], schema=source.schema)
    selected = []
    for theirs, ours in chosen:
        wanted = COLUMNS[table].get(ours, (sa.Double, False))[0]
        usable = _usable(wanted, found[theirs])
        if usable is None:
            if table == "health" and ours not in HEALTH_KEYS and theirs not in renamed:
                continue  # a text or date column beside the scores is not a component
            problems.append(f"{table}: {source.name}.{theirs} is {found[theirs]}, {ours} needs "
                            f"{_NEEDS[wanted]}")
            continue
        column = relation.c[theirs]
        read = sa.type_coerce(column, wanted()) if usable else sa.cast(column, wanted())
        selected.append(read.label(ours))
    if len(problems) > before:
        return None
    return sa.select(*selected).select_from(relation).subquery(table)
