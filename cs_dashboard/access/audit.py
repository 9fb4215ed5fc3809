"""The audit trail in words: one line per recorded change (``db.state.AppState.history``)."""

from __future__ import annotations

import pandas as pd

from cs_dashboard.db.state import AuditEntry

COLUMNS = ["When (UTC)", "Who", "What", "Source", "Details"]


def size(n: int) -> str:
    """A file size in bytes as kB or MB (1 kB = 1,000 bytes)."""
    if n < 1_000:
        return f"{n:,} bytes"
    return f"{n / 1_000:,.1f} kB" if n < 1_000_000 else f"{n / 1_000_000:,.1f} MB"


def _value(value: object) -> str:
    if value is None:
        return "default"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}" if value \
            else "{}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def changes(old: object, new: object) -> str:
    """What differs between two saved settings: ``key: old -> new`` for each changed key (a
    first save compares with nothing: ``key: default -> new``)."""
    if isinstance(new, dict) and old is None:
        old = {}
    if isinstance(old, dict) and isinstance(new, dict):
        keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
        if not keys:
            return "no change"
        return "; ".join(f"{k}: {_value(old.get(k))} → {_value(new.get(k))}" for k in keys)
    return f"{_value(old)} → {_value(new)}"


def summary(entry: AuditEntry) -> str:
    """The details of ``entry`` in one line (row counts, files and sizes, what changed)."""
    d = entry.details
    if entry.action in ("import", "demo data"):
        rows = ", ".join(f"{n:,} {table} rows" for table, n in d.get("rows", {}).items())
        files = ", ".join(f"{f['name']} ({size(f['bytes'])})" for f in d.get("files", []))
        return rows + (f"; files: {files}" if files else "")
    if entry.action == "source change":
        return f"{d.get('from')} → {d.get('to')}"
    if entry.action in ("scenario saved", "scenario deleted"):
        where = "shared" if d.get("shared") else "own"
        if entry.action == "scenario deleted":
            return f"“{d.get('name')}” ({where})"
        if d.get("old") is None:
            return f"“{d.get('name')}” ({where}, new)"
        return f"“{d.get('name')}” ({where}): {changes(d.get('old'), d.get('new'))}"
    return changes(d.get("old"), d.get("new"))


def history_frame(entries: list[AuditEntry]) -> pd.DataFrame:
    """The trail as a table for the Data page, newest first."""
    return pd.DataFrame([[e.at.strftime("%Y-%m-%d %H:%M:%S"), e.who, e.action, e.source or "",
                          summary(e)] for e in entries], columns=COLUMNS)
