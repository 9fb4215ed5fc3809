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
ENV_READ_ONLY = "CS_DASHBOARD_READ_ONLY"


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


def read_only_requested() -> bool:
    """True when ``CS_DASHBOARD_READ_ONLY`` asks to open warehouse sources read-only."""
    return os.environ.get(ENV_READ_ONLY, "").strip().lower() in ("1", "true", "yes", "on")


def opens_read_only(url: str) -> bool:
    """True when ``url`` is opened read-only: read-only mode is on and the source is not the
    embedded demo database (DuckDB or SQLite files, PostgreSQL; other drivers as they are)."""
    if not read_only_requested():
        return False
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - an unparseable URL fails later with its own message
        return False
    backend = parsed.get_backend_name()
    if backend in ("duckdb", "sqlite"):
        database = parsed.database
        if database in (None, "", ":memory:") or database.startswith("file:"):
            return False
        return Path(database).resolve() not in _writable_files()
    return backend == "postgresql"


def _writable_files() -> set[Path]:
    """The embedded database and the app-state file: the app writes to them itself."""
    files = {DEFAULT_DB_PATH.resolve(), (DATA_DIR / "app_state.sqlite").resolve()}
    state = os.environ.get("CS_DASHBOARD_STATE_URL")
    if state:
        try:
            database = make_url(state).database
        except Exception:  # noqa: BLE001
            database = None
        if database:
            files.add(Path(database).resolve())
    return files


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url``; DuckDB files get their folder created.

    With ``CS_DASHBOARD_READ_ONLY=1`` sources other than the embedded database are opened
    read-only where the driver allows it (``opens_read_only``): DuckDB with ``read_only``,
    SQLite with ``mode=ro``, PostgreSQL with ``default_transaction_read_only``.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if opens_read_only(url):
        if backend == "duckdb":
            return sa.create_engine(parsed, connect_args={"read_only": True})
        if backend == "postgresql":
            return sa.create_engine(
                parsed, connect_args={"options": "-c default_transaction_read_only=on"})
        path = Path(parsed.database).resolve()
        return sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    if backend == "duckdb" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(parsed)


def is_duckdb(engine: sa.Engine) -> bool:
    return engine.dialect.name == "duckdb"


def cap_memory(engine: sa.Engine, megabytes: int) -> None:
    """On DuckDB, cap the database's memory at ``megabytes`` for the rest of the process: a
    bulk write then spills written blocks to the file instead of keeping all of them (the
    2,000,000-account demo's 80 M rows otherwise held about 3.5 GB). No-op elsewhere."""
    if is_duckdb(engine):
        with engine.connect() as conn:
            conn.exec_driver_sql(f"SET memory_limit = '{int(megabytes)}MB'")


def describe_error(exc: BaseException, url: str) -> str:
    """One line for a database error, password removed, naming the usual causes."""
    text = mask_text(str(getattr(exc, "orig", None) or exc), url)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    if "Could not set lock" in text or "Conflicting lock" in text:
        return (f"the database {mask_url(url)} is in use by another process (such as the running "
                "app): DuckDB lets one process open a file at a time. Stop the app and retry, or "
                "import from the app's Data page.")
    lowered = text.lower()
    if "read-only" in lowered or "read only" in lowered or "readonly" in lowered:
        return (f"the database {mask_url(url)} is open read-only ({ENV_READ_ONLY}=1 or the "
                f"server's setting), so nothing was written ({first})")
    return first
