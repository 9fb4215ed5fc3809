"""Checks per table: every bad cell or row becomes a ``Problem``; good data comes out typed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cs_dashboard.db.schema import COLUMNS, HEALTH_KEYS, REQUIRED
from cs_dashboard.ingest.parse import blank, parse_date, parse_money, parse_number
from cs_dashboard.ingest.problems import Problem
from cs_dashboard.ingest.read import normalise_name

_DATE_HINT = "not a date; use YYYY-MM-DD (or YYYY-MM)"
COMPLEXITY = ("Low", "Medium", "High")


class Checker:
    """Collects problems for one file; rows are reported as spreadsheet rows (header = 1)."""

    def __init__(self, filename: str, frame: pd.DataFrame) -> None:
        self.filename = filename
        self.frame = frame
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def flag(self, mask: pd.Series, column: str, reason: str) -> None:
        """One problem per row where ``mask`` is true."""
        mask = mask.fillna(False).to_numpy(dtype=bool)
        values = self.frame[column].to_numpy() if column in self.frame else None
        for i in np.flatnonzero(mask):
            value = None if values is None else str(values[i])[:200]
            self.problems.append(Problem(self.filename, int(i) + 2, column, value, reason))

    def file_problem(self, reason: str, column: str | None = None) -> None:
        self.problems.append(Problem(self.filename, None, column, None, reason))


def rename_columns(frame: pd.DataFrame, table: str, mapping: dict[str, str] | None) -> pd.DataFrame:
    """Rename columns to the schema's names (ignoring case, spaces, underscores) or ``mapping``."""
    known = {normalise_name(c): c for c in COLUMNS[table]}
    mapping = mapping or {}
    renamed = {c: mapping.get(c) or known.get(normalise_name(c), normalise_name(c) if table ==
                                              "health" else c) for c in frame.columns}
    return frame.rename(columns=renamed)


def required_present(check: Checker, table: str) -> bool:
    missing = [c for c in REQUIRED[table] if c not in check.frame.columns]
    for col in missing:
        check.file_problem(f"missing required column {col!r}", col)
    if not missing and check.frame.empty:
        check.file_problem("the file has a header but no data rows")
        return False
    return not missing


def text_id(check: Checker, column: str) -> pd.Series:
    s = check.frame[column].astype(str).str.strip()
    check.flag(blank(s), column, "empty value in a required column")
    return s


def unique(check: Checker, keys: list[str], label: str) -> None:
    dup = check.frame.duplicated(subset=keys, keep="first")
    check.flag(dup, keys[-1], f"duplicate {label}")


def dates(check: Checker, column: str, required: bool = False) -> pd.Series:
    raw = check.frame[column]
    parsed = parse_date(raw)
    check.flag(parsed.isna() & ~blank(raw), column, _DATE_HINT)
    if required:
        check.flag(blank(raw), column, "empty value in a required column")
    return parsed


def numbers(check: Checker, column: str, *, money: bool = False, low: float | None = None,
            high: float | None = None, required: bool = False) -> pd.Series:
    raw = check.frame[column]
    values = parse_money(raw) if money else parse_number(raw)
    values = values.where(~np.isinf(values))
    check.flag(values.isna() & ~blank(raw), column, "not a number")
    if required:
        check.flag(blank(raw), column, "empty value in a required column")
    if low is not None:
        check.flag(values < low, column, f"below {low:g}" if low else "negative")
    if high is not None:
        check.flag(values > high, column, f"above {high:g}")
    return values


def known_accounts(check: Checker, ids: pd.Series, accounts: set[str] | None) -> None:
    if accounts is not None:
        check.flag(~ids.isin(accounts) & ~blank(ids), "account_id", "unknown account_id (not in accounts)")


def check_accounts(check: Checker) -> pd.DataFrame:
    f = check.frame
    out = pd.DataFrame({"account_id": text_id(check, "account_id")})
    unique(check, ["account_id"], "account_id")
    for col in ("account_name", "csm", "region", "industry", "segment", "plan"):
        if col in f:
            out[col] = f[col].where(~blank(f[col]), None)
    for col in ("customer_since", "renewal_date"):
        if col in f:
            out[col] = dates(check, col)
    if "seats" in f:
        seats = numbers(check, "seats", low=0)
        check.flag(seats.notna() & (seats % 1 != 0), "seats", "not a whole number")
        out["seats"] = seats.round().astype("Int64")
    if "potential_arr" in f:
        out["potential_arr"] = numbers(check, "potential_arr", money=True, low=0)
    if "complexity" in f:
        canon = f["complexity"].str.strip().str.capitalize()
        check.flag(~canon.isin(COMPLEXITY) & ~blank(f["complexity"]), "complexity",
                   "must be Low, Medium or High")
        out["complexity"] = canon.where(canon.isin(COMPLEXITY), None)
    return out


def check_mrr(check: Checker, accounts: set[str] | None) -> pd.DataFrame:
    ids = text_id(check, "account_id")
    known_accounts(check, ids, accounts)
    month = dates(check, "month", required=True)
    first = month.dt.to_period("M").dt.to_timestamp()
    moved = int((month.notna() & (month != first)).sum())
    if moved:
        check.warnings.append(f"{check.filename}: {moved} month values moved to the first day "
                              "of their month")
    mrr = numbers(check, "mrr", money=True, low=0, required=True)
    out = pd.DataFrame({"account_id": ids, "month": first, "mrr": mrr})
    dup = out.duplicated(subset=["account_id", "month"]) & out["month"].notna()
    check.flag(dup, "month", "duplicate (account_id, month)")
    return out


def check_health(check: Checker, accounts: set[str] | None) -> pd.DataFrame:
    ids = text_id(check, "account_id")
    known_accounts(check, ids, accounts)
    out = pd.DataFrame({"account_id": ids, "as_of": dates(check, "as_of", required=True)})
    dup = out.duplicated(subset=["account_id", "as_of"]) & out["as_of"].notna()
    check.flag(dup, "as_of", "duplicate (account_id, as_of)")
    components = [c for c in check.frame.columns if c not in HEALTH_KEYS]
    for col in components:
        raw = check.frame[col]
        if parse_number(raw).isna().all() and not blank(raw).all():
            check.warnings.append(f"{check.filename}: column {col!r} is not numeric; ignored")
            continue
        out[col] = numbers(check, col, low=0, high=100)
    if "score" in check.frame:
        out["score"] = numbers(check, "score", low=0, high=100)
    if len(out.columns) == 2:
        check.file_problem("needs a 'score' column or at least one component column (0..100)")
    return out


def check_csms(check: Checker) -> pd.DataFrame:
    f = check.frame
    out = pd.DataFrame({"csm": text_id(check, "csm")})
    unique(check, ["csm"], "csm")
    for col in ("team", "role"):
        if col in f:
            out[col] = f[col].where(~blank(f[col]), None)
    if "start_date" in f:
        out["start_date"] = dates(check, "start_date")
    if "hours_per_week" in f:
        out["hours_per_week"] = numbers(check, "hours_per_week", low=0, high=168)
    if "annual_cost" in f:
        out["annual_cost"] = numbers(check, "annual_cost", money=True, low=0)
    return out
