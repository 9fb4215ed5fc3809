"""Connecting to a source database, and keeping its password out of sight."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_DB_PATH = DATA_DIR / "cs_dashboard.duckdb"
DEFAULT_URL = f"duckdb:///{DEFAULT_DB_PATH}"
ENV_URL = "CS_DASHBOARD_DB_URL"


def resolve_url(url: str | None = None, secrets_url: str | None = None) -> str:
    """The source URL: explicit argument, then the environment, then secrets, then the demo DB."""
    return url or os.environ.get(ENV_URL) or secrets_url or DEFAULT_URL


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``, safe to show and log."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparseable URL is shown as a placeholder only
        return "<invalid database URL>"


def mask_text(text: str, url: str) -> str:
    """``text`` with the password of ``url`` removed wherever it appears."""
    try:
        password = make_url(url).password
    except Exception:  # noqa: BLE001
        return text
    return text.replace(str(password), "***") if password else text


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url``; DuckDB files get their folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "duckdb" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(parsed)


def is_duckdb(engine: sa.Engine) -> bool:
    return engine.dialect.name == "duckdb"
