"""The import pipeline: files -> validated, typed tables -> one report."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from cs_dashboard.db.schema import TABLES
from cs_dashboard.ingest import validate as v
from cs_dashboard.ingest.problems import Problem
from cs_dashboard.ingest.read import read_file

MAX_PROBLEMS_KEPT = 10_000
ENV_MAX_UPLOAD_MB = "CS_DASHBOARD_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 500


def max_upload_mb() -> float:
    """The largest file the importer accepts, in MB (``CS_DASHBOARD_MAX_UPLOAD_MB``, default 500)."""
    try:
        value = float(os.environ.get(ENV_MAX_UPLOAD_MB, DEFAULT_MAX_UPLOAD_MB))
    except ValueError:
        return DEFAULT_MAX_UPLOAD_MB
    return value if value > 0 else DEFAULT_MAX_UPLOAD_MB


@dataclass
class ImportResult:
    """Typed tables when there is no problem; otherwise every problem found (``frames`` empty)."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def load_tables(files: dict[str, tuple[str, bytes]],
                mappings: dict[str, dict[str, str]] | None = None) -> ImportResult:
    """Validate ``files`` (table -> (file name, bytes)); accounts and mrr are required."""
    result = ImportResult()
    mappings = mappings or {}
    for table in ("accounts", "mrr"):
        if table not in files:
            result.problems.append(Problem(f"{table} file", None, None, None,
                                           f"the {table} file is required"))
    known: set[str] | None = None
    unkept = 0
    for table in TABLES:
        if table not in files:
            continue
        filename, data = files[table]
        if len(data) > max_upload_mb() * 1_000_000:
            result.problems.append(Problem(
                filename, None, None, None,
                f"the file is {len(data) / 1e6:,.0f} MB, over the {max_upload_mb():,.0f} MB limit "
                f"(raise it with {ENV_MAX_UPLOAD_MB})"))
            continue
        frame, problems, warnings = read_file(data, filename, table)
        result.problems += problems
        result.warnings += warnings
        if frame is None:
            continue
        check = v.Checker(filename, v.rename_columns(frame, table, mappings.get(table)),
                          keep=MAX_PROBLEMS_KEPT)
        if not v.required_present(check, table):
            result.problems += check.problems
            continue
        typed = _check(table, check, known)
        if table == "accounts":
            known = set(typed["account_id"])
        result.problems += check.problems
        unkept += check.unkept
        result.warnings += check.warnings
        result.frames[table] = typed
    result.problem_count = len(result.problems) + unkept
    result.problems = result.problems[:MAX_PROBLEMS_KEPT]
    if result.problem_count:
        result.frames = {}
    return result


def _check(table: str, check: v.Checker, known: set[str] | None) -> pd.DataFrame:
    if table == "accounts":
        return v.check_accounts(check)
    if table == "mrr":
        return v.check_mrr(check, known)
    if table == "health":
        return v.check_health(check, known)
    return v.check_csms(check)
