"""App state (settings, tier rules, scenarios, data versions) in its own local database.

Never stored in a source database, which may be a read-only warehouse.
"""

from __future__ import annotations

import json
import os
from typing import Any

import sqlalchemy as sa

from cs_dashboard.db.engine import DATA_DIR, make_engine

ENV_STATE_URL = "CS_DASHBOARD_STATE_URL"
_md = sa.MetaData()
_settings = sa.Table("settings", _md, sa.Column("key", sa.String, primary_key=True),
                     sa.Column("value", sa.Text, nullable=False))
_scenarios = sa.Table("scenarios", _md, sa.Column("name", sa.String, primary_key=True),
                      sa.Column("body", sa.Text, nullable=False))


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

    def bump_data_version(self, source: str) -> int:
        version = self.data_version(source) + 1
        self.set(f"data_version:{source}", version)
        return version

    def scenario_names(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.select(_scenarios.c.name).order_by("name"))]

    def load_scenario(self, name: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(_scenarios.c.body).where(_scenarios.c.name == name)).first()
        return json.loads(row[0]) if row else None

    def save_scenario(self, name: str, body: dict) -> None:
        self._upsert(_scenarios, name, "body", json.dumps(body))

    def delete_scenario(self, name: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(_scenarios.delete().where(_scenarios.c.name == name))

    def _upsert(self, target: sa.Table, key: str, column: str, value: str) -> None:
        pk = target.primary_key.columns.values()[0]
        with self.engine.begin() as conn:
            conn.execute(target.delete().where(pk == key))
            conn.execute(target.insert().values({pk.name: key, column: value}))
