"""App state (settings, tier rules, scenarios, data versions, each source's "Data source"
label and demo mark, and the audit trail) in its own local database.

Never stored in a source database, which may be a read-only warehouse.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cs_dashboard.db.engine import DATA_DIR, make_engine, mask_url

ENV_STATE_URL = "CS_DASHBOARD_STATE_URL"
#: The "Data source" label of the demo portfolio (until the user sets another).
DEMO_LABEL = "Demo portfolio"
#: Longest "Data source" label kept (it has to fit a footnote line).
MAX_LABEL_LENGTH = 60
_BACKENDS = {"duckdb": "DuckDB", "sqlite": "SQLite", "postgresql": "PostgreSQL",
             "snowflake": "Snowflake", "bigquery": "BigQuery", "mysql": "MySQL",
             "mssql": "SQL Server", "oracle": "Oracle", "redshift": "Redshift"}
_md = sa.MetaData()
_settings = sa.Table("settings", _md, sa.Column("key", sa.String, primary_key=True),
                     sa.Column("value", sa.Text, nullable=False))
_scenarios = sa.Table("scenarios", _md, sa.Column("name", sa.String, primary_key=True),
                      sa.Column("body", sa.Text, nullable=False))
#: Scenarios a signed-in non-admin saved for themselves (``owner``: their e-mail).
_own_scenarios = sa.Table("own_scenarios", _md, sa.Column("owner", sa.String, primary_key=True),
                          sa.Column("name", sa.String, primary_key=True),
                          sa.Column("body", sa.Text, nullable=False))
#: Imports, source changes and saved settings: who, when (UTC, ISO 8601), what, which source
#: (masked URL) and the details as JSON (row counts, file names and sizes, old and new settings).
#: ``id`` from a sequence (DuckDB has no implicit autoincrement; SQLite ignores it), the time
#: column not named ``at`` (a keyword in DuckDB).
_audit = sa.Table("audit", _md,
                  sa.Column("id", sa.Integer, sa.Sequence("audit_id_seq"), primary_key=True),
                  sa.Column("recorded_at", sa.String(32), nullable=False),
                  sa.Column("who", sa.String, nullable=False),
                  sa.Column("action", sa.String, nullable=False),
                  sa.Column("source", sa.String),
                  sa.Column("details", sa.Text, nullable=False))


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change: ``at`` in UTC; ``source`` a masked URL (or ``None``)."""

    at: dt.datetime
    who: str
    action: str
    source: str | None
    details: dict


def _scrub(value: Any) -> Any:
    """``value`` with any URL's password masked, however deep (the trail never holds one)."""
    if isinstance(value, str):
        return mask_url(value) if "://" in value else value
    if isinstance(value, dict):
        return {str(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def database_name(source: str) -> str:
    """The name of the database at ``source`` (a URL, masked or not), without driver, host,
    port, user, password, folder, extension or query: ``postgresql://u:p@db.internal/sales``
    -> ``sales``; ``duckdb:////srv/data/acme.duckdb`` -> ``acme``; ``snowflake://u@acct/crm/
    public`` -> ``crm.public``. Without a name: ``PostgreSQL database``."""
    try:
        url = make_url(source)
    except Exception:  # noqa: BLE001 - an unparseable URL still needs a printable name
        return "database"
    backend = url.get_backend_name()
    database = (url.database or "").split("?")[0]
    if backend in ("duckdb", "sqlite"):
        stem = re.split(r"[\\/]", database)[-1]
        name = stem.rsplit(".", 1)[0] if "." in stem[1:] else stem
        name = "" if name in (":memory:", "") else name.removeprefix("file:")
    else:
        name = ".".join(part for part in database.split("/") if part)
    return name or f"{_BACKENDS.get(backend, backend)} database"


class AppState:
    """Key-value settings and named scenarios, stored as JSON in a SQLite file by default."""

    def __init__(self, url: str | None = None) -> None:
        url = url or os.environ.get(ENV_STATE_URL) or f"sqlite:///{DATA_DIR / 'app_state.sqlite'}"
        self.engine = make_engine(url)
        if self.engine.dialect.name == "sqlite":
            db = self.engine.url.database
            if db and db != ":memory:":
                os.makedirs(os.path.dirname(os.path.abspath(db)), exist_ok=True)
        _md.create_all(self.engine)

    def get(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(_settings.c.value).where(_settings.c.key == key)).first()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any) -> None:
        self._upsert(_settings, key, "value", json.dumps(value))

    def data_version(self, source: str) -> int:
        """Counter bumped by every import into ``source`` (a masked URL); keys caches."""
        return int(self.get(f"data_version:{source}", 0))

    def bump_data_version(self, source: str, demo_accounts: int | None = None) -> int:
        """After new data is written to ``source``: bump its version and record whether it is
        the demo portfolio (``demo_accounts``: its number of fictional accounts) or not
        (``None``: an import, which clears the demo mark)."""
        version = self.data_version(source) + 1
        self.set(f"data_version:{source}", version)
        self.set(f"demo:{source}", demo_accounts)
        return version

    def demo_accounts(self, source: str) -> int | None:
        """The number of accounts when ``source`` holds the demo portfolio (written by the
        ``demo`` command or the Data page), else ``None``."""
        return self.get(f"demo:{source}")

    def source_label(self, source: str) -> str:
        """The "Data source" label of ``source`` (a masked URL) shown on pages, slides, notes
        and chart footnotes: the label saved for it, else "Demo portfolio" on the demo, else
        the database's name (never a host, user or path)."""
        saved = self.get(f"source_label:{source}")
        if saved:
            return saved
        return DEMO_LABEL if self.demo_accounts(source) is not None else database_name(source)

    def set_source_label(self, source: str, label: str | None, who: str | None = None) -> str:
        """Save the label of ``source`` (spaces collapsed, at most ``MAX_LABEL_LENGTH``
        characters); an empty label goes back to the default. Returns the label now used.
        ``who``: record the change in the audit trail under that name."""
        old = self.get(f"source_label:{source}")
        cleaned = " ".join((label or "").split())[:MAX_LABEL_LENGTH].strip()
        self.set(f"source_label:{source}", cleaned or None)
        if who is not None and old != (cleaned or None):
            self.record(who, "source label", {"old": old, "new": cleaned or None}, source)
        return self.source_label(source)

    def scenario_names(self, owner: str | None = None) -> list[str]:
        """Names of the shared scenarios and, with ``owner``, of that user's own, sorted."""
        with self.engine.connect() as conn:
            names = {r[0] for r in conn.execute(sa.select(_scenarios.c.name))}
            if owner is not None:
                names |= {r[0] for r in conn.execute(
                    sa.select(_own_scenarios.c.name).where(_own_scenarios.c.owner == owner))}
        return sorted(names)

    def load_scenario(self, name: str, owner: str | None = None) -> dict | None:
        """The scenario ``name``: ``owner``'s own first, else the shared one."""
        with self.engine.connect() as conn:
            row = None
            if owner is not None:
                row = conn.execute(sa.select(_own_scenarios.c.body).where(
                    _own_scenarios.c.owner == owner, _own_scenarios.c.name == name)).first()
            row = row or conn.execute(
                sa.select(_scenarios.c.body).where(_scenarios.c.name == name)).first()
        return json.loads(row[0]) if row else None

    def save_scenario(self, name: str, body: dict, owner: str | None = None,
                      who: str | None = None) -> None:
        """Save a shared scenario (``owner`` ``None``) or ``owner``'s own; ``who``: record it
        in the audit trail with the scenario it replaced, if any."""
        table, where = self._scenario_row(name, owner)
        with self.engine.begin() as conn:
            old = conn.execute(sa.select(table.c.body).where(*where)).first()
            conn.execute(table.delete().where(*where))
            keys = {"name": name} if owner is None else {"owner": owner, "name": name}
            conn.execute(table.insert().values(**keys, body=json.dumps(body)))
        if who is not None:
            self.record(who, "scenario saved", {"name": name, "shared": owner is None,
                                                "old": json.loads(old[0]) if old else None,
                                                "new": body})

    def delete_scenario(self, name: str, owner: str | None = None,
                        who: str | None = None) -> bool:
        """Delete a shared scenario (``owner`` ``None``) or ``owner``'s own; False when there
        is no such scenario (a non-admin cannot delete a shared one)."""
        table, where = self._scenario_row(name, owner)
        with self.engine.begin() as conn:
            old = conn.execute(sa.select(table.c.body).where(*where)).first()
            conn.execute(table.delete().where(*where))
        if old and who is not None:
            self.record(who, "scenario deleted", {"name": name, "shared": owner is None,
                                                  "old": json.loads(old[0])})
        return old is not None

    @staticmethod
    def _scenario_row(name: str, owner: str | None) -> tuple[sa.Table, list]:
        if owner is None:
            return _scenarios, [_scenarios.c.name == name]
        return _own_scenarios, [_own_scenarios.c.owner == owner, _own_scenarios.c.name == name]

    def record(self, who: str, action: str, details: dict, source: str | None = None) -> None:
        """Add a change to the audit trail: ``who`` did ``action`` (e.g. "import") on
        ``source``; ``details`` are row counts, file names and sizes, old and new settings.
        Any URL in them is stored with its password masked; callers never pass file content."""
        entry = {"recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "who": who,
                 "action": action, "source": mask_url(source) if source else None,
                 "details": json.dumps(_scrub(details), default=str)}
        with self.engine.begin() as conn:
            conn.execute(_audit.insert().values(**entry))

    def history(self, limit: int = 50) -> list[AuditEntry]:
        """The latest ``limit`` changes, newest first."""
        query = sa.select(_audit).order_by(_audit.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [AuditEntry(dt.datetime.fromisoformat(r.recorded_at), r.who, r.action, r.source,
                           json.loads(r.details)) for r in rows]

    def _upsert(self, target: sa.Table, key: str, column: str, value: str) -> None:
        pk = target.primary_key.columns.values()[0]
        with self.engine.begin() as conn:
            conn.execute(target.delete().where(pk == key))
            conn.execute(target.insert().values({pk.name: key, column: value}))
