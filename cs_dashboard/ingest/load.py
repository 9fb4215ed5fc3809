"""The import pipeline: files -> validated, typed tables, a preview of each -> one report.

Files are given per kind: ``accounts``, ``mrr``, ``health``, ``csms`` (stored as they are),
``subscriptions`` (the ``mrr`` table is derived from them, and the accounts too when no
accounts file is given) and ``fx`` (exchange rates for subscriptions in other currencies).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from cs_dashboard.db.schema import TABLES
from cs_dashboard.ingest import validate as v
from cs_dashboard.ingest.currency import check_rates
from cs_dashboard.ingest.dates import DateFormatError
from cs_dashboard.ingest.labels import FIELDS, ColumnMatch, match_columns, unknown_targets
from cs_dashboard.ingest.mapping import ImportOptions
from cs_dashboard.ingest.problems import Problem
from cs_dashboard.ingest.read import read_table
from cs_dashboard.ingest.subscriptions import check_subscriptions, derived_accounts, monthly_mrr
from cs_dashboard.months import last_complete_month

MAX_PROBLEMS_KEPT = 10_000
ENV_MAX_UPLOAD_MB = "CS_DASHBOARD_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 500
#: Every kind of file, in the order they are checked.
KINDS: tuple[str, ...] = ("accounts", "subscriptions", "fx", "mrr", "health", "csms")
PREVIEW_ROWS = 5


def max_upload_mb() -> float:
    """The largest file the importer accepts, in MB (``CS_DASHBOARD_MAX_UPLOAD_MB``, default 500)."""
    try:
        value = float(os.environ.get(ENV_MAX_UPLOAD_MB, DEFAULT_MAX_UPLOAD_MB))
    except ValueError:
        return DEFAULT_MAX_UPLOAD_MB
    return value if value > 0 else DEFAULT_MAX_UPLOAD_MB


@dataclass
class TableReport:
    """What was read for one table, before anything is written: the file, its rows, how it
    was read (``read``: delimiter and encoding, or the sheet; or what it was derived from), how
    each date column was read, which column fed which field, and the first rows as imported."""

    table: str
    file: str
    rows: int
    read: str
    dates: dict[str, str] = field(default_factory=dict)
    columns: list[ColumnMatch] = field(default_factory=list)
    head: pd.DataFrame | None = None


@dataclass
class ImportResult:
    """Typed tables when there is no problem; otherwise every problem found (``frames`` empty).

    ``reports`` preview each table read (also when there are problems)."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problem_count: int = 0
    reports: dict[str, TableReport] = field(default_factory=dict)
    options: ImportOptions = field(default_factory=ImportOptions)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def mrr_by_month(self) -> pd.DataFrame:
        """Total MRR per month of the validated ``mrr`` table (``month``, ``mrr``)."""
        mrr = self.frames.get("mrr")
        if mrr is None or mrr.empty:
            return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"),
                                 "mrr": pd.Series(dtype=float)})
        return mrr.groupby("month", as_index=False)["mrr"].sum().sort_values("month")

    def matches(self) -> dict[str, list[ColumnMatch]]:
        """Per kind of file, which column fed which field (for the mapping download)."""
        return {kind: report.columns for kind, report in self.reports.items() if report.columns}


def load_tables(files: Mapping[str, tuple[str, bytes]],
                mappings: Mapping[str, Mapping[str, str]] | None = None,
                options: ImportOptions | None = None,
                through: dt.date | None = None) -> ImportResult:
    """Validate ``files`` (kind -> (file name, bytes)): ``accounts`` and ``mrr``, or
    ``subscriptions`` (with ``accounts`` optional and ``fx`` when needed), plus ``health`` and
    ``csms`` when given. ``mappings`` add column choices to ``options``; ``through`` is the
    last month derived from subscriptions (default: the last complete month)."""
    options = (options or ImportOptions()).with_columns(mappings)
    result = ImportResult(options=options)
    run = _Run(result, options, through or last_complete_month())
    run.requirements(files)
    for kind in KINDS:
        if kind in files:
            run.kind(kind, *files[kind])
    run.derive()
    result.frames = {t: result.frames[t] for t in TABLES if t in result.frames}
    result.problem_count = len(result.problems) + run.unkept
    result.problems = result.problems[:MAX_PROBLEMS_KEPT]
    if result.problem_count:
        result.frames = {}
    return result


class _Run:
    """One import's state while its files are checked in ``KINDS`` order."""

    def __init__(self, result: ImportResult, options: ImportOptions, through: dt.date) -> None:
        self.result, self.options, self.through = result, options, through
        self.known: set[str] | None = None
        self.unkept = 0
        self.with_subscriptions = False
        self.subscriptions: tuple[str, pd.DataFrame] | None = None
        self.rates: tuple[str, pd.DataFrame] | None = None
        try:
            self.date_choice = options.date_choice()
        except DateFormatError as exc:
            result.problems.append(Problem("date format", None, None, options.date_format, str(exc)))
            self.date_choice = None

    def requirements(self, files: Mapping[str, tuple[str, bytes]]) -> None:
        problems = self.result.problems
        self.with_subscriptions = "subscriptions" in files
        if "subscriptions" in files and "mrr" in files:
            problems.append(Problem("mrr file", None, None, None,
                                    "give an mrr file or a subscriptions file, not both"))
        elif "subscriptions" not in files and "mrr" not in files:
            problems.append(Problem("mrr file", None, None, None, "the mrr file is required "
                                    "(or a subscriptions file to derive it from)"))
        if "accounts" not in files and "subscriptions" not in files:
            problems.append(Problem("accounts file", None, None, None,
                                    "the accounts file is required"))
        if "fx" in files and "subscriptions" not in files:
            self.result.warnings.append(f"{files['fx'][0]}: rates are used with a subscriptions "
                                        "file only; ignored")
        for kind, mapping in self.options.columns.items():
            bad = unknown_targets(kind, mapping) if kind in FIELDS else [kind]
            if bad:
                problems.append(Problem("column mapping", None, None, ", ".join(bad),
                                        f"not a field of {kind}" if kind in FIELDS
                                        else "not a kind of file"))

    def kind(self, kind: str, filename: str, data: bytes) -> None:
        result = self.result
        if kind == "fx" and not self.with_subscriptions:
            return
        if len(data) > max_upload_mb() * 1_000_000:
            result.problems.append(Problem(
                filename, None, None, None,
                f"the file is {len(data) / 1e6:,.0f} MB, over the {max_upload_mb():,.0f} MB limit "
                f"(raise it with {ENV_MAX_UPLOAD_MB})"))
            return
        read = read_table(data, filename, kind)
        result.problems += read.problems
        result.warnings += read.warnings
        if read.frame is None:
            return
        matches = match_columns(list(read.frame.columns), kind, self.options.columns.get(kind))
        check = v.Checker(filename, v.rename_columns(read.frame, matches), keep=MAX_PROBLEMS_KEPT,
                          date_format=self.date_choice)
        report = TableReport(kind, filename, len(read.frame), read.describe(), columns=matches)
        result.reports[kind] = report
        if not v.required_present(check, kind):
            result.problems += check.problems
            return
        typed = self._check(kind, check)
        report.dates = dict(check.readings)
        report.head = typed.head(PREVIEW_ROWS)
        result.problems += check.problems
        self.unkept += check.unkept
        result.warnings += check.warnings
        if kind == "subscriptions":
            self.subscriptions = (filename, typed)
        elif kind == "fx":
            self.rates = (filename, typed)
        else:
            result.frames[kind] = typed
        if kind == "accounts":
            self.known = set(typed["account_id"])

    def _check(self, kind: str, check: v.Checker) -> pd.DataFrame:
        if kind == "accounts":
            return v.check_accounts(check)
        if kind == "subscriptions":
            return check_subscriptions(check, self.known, self.options.currency)
        if kind == "fx":
            return check_rates(check, self.options.currency)
        if kind == "mrr":
            return v.check_mrr(check, self.known)
        if kind == "health":
            return v.check_health(check, self.known)
        return v.check_csms(check)

    def derive(self) -> None:
        """The ``mrr`` table (and the accounts, without an accounts file) from subscriptions."""
        if self.subscriptions is None or self.result.problems:
            return
        filename, subs = self.subscriptions
        rates_file, rates = self.rates if self.rates else (None, None)
        mrr, problems = monthly_mrr(subs, self.through, rates, self.options.currency, filename,
                                    rates_file)
        self.result.problems += problems
        if problems:
            return
        trials = int(subs["trial"].sum())
        source = f"derived from {len(subs):,} subscriptions in {filename}"
        note = f"; {trials:,} trials contribute nothing" if trials else ""
        self.result.frames["mrr"] = mrr
        self.result.reports["mrr"] = TableReport(
            "mrr", filename, len(mrr), f"{source}, months to {self.through:%Y-%m}{note}",
            head=mrr.head(PREVIEW_ROWS))
        if "accounts" not in self.result.frames:
            accounts = derived_accounts(subs)
            self.result.frames["accounts"] = accounts
            self.result.reports["accounts"] = TableReport(
                "accounts", filename, len(accounts), f"{source} (one account per customer)",
                head=accounts.head(PREVIEW_ROWS))
        self._check_derived_accounts()

    def _check_derived_accounts(self) -> None:
        """Health rows checked against the accounts that came from the subscriptions."""
        health = self.result.frames.get("health")
        if health is None or self.known is not None:
            return
        accounts = set(self.result.frames["accounts"]["account_id"])
        unknown = health.loc[~health["account_id"].isin(accounts), "account_id"]
        filename = self.result.reports["health"].file
        for row, value in unknown.head(MAX_PROBLEMS_KEPT).items():
            self.result.problems.append(Problem(filename, int(row) + 2, "account_id", str(value),
                                                "unknown account_id (not in the subscriptions)"))
