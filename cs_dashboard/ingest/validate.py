"""Checks per table: every bad cell or row becomes a ``Problem``; good data comes out typed."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from cs_dashboard.db.schema import HEALTH_KEYS
from cs_dashboard.ingest.dates import DateFormat, read_column
from cs_dashboard.ingest.labels import REQUIRED_FIELDS, ColumnMatch
from cs_dashboard.ingest.parse import is_blank, month_start, to_money, to_number
from cs_dashboard.ingest.problems import Problem

_DATE_HINT = "not a date; use YYYY-MM-DD, YYYY-MM, MM/DD/YYYY or DD/MM/YYYY"
COMPLEXITY = ("Low", "Medium", "High")


class Checker:
    """Collects problems for one file; rows are reported as spreadsheet rows (header = 1).

    Each column is factorised once (``distinct``); every element-wise check then runs on its
    distinct values (``map``), which keeps a 4-million-row file to seconds.
    """

    def __init__(self, filename: str, frame: pd.DataFrame, keep: int = 10_000,
                 date_format: DateFormat | None = None) -> None:
        self.filename = filename
        self.frame = frame
        self.date_format = date_format
        #: How each date column was read (``ISO (YYYY-MM-DD)``, ``month-first ...``).
        self.readings: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.unkept = 0
        self._keep = keep
        self._distinct: dict[str, tuple[np.ndarray, pd.Series]] = {}
        self._blank: dict[str, pd.Series] = {}

    @property
    def count(self) -> int:
        """Problems found, including those beyond the ones kept."""
        return len(self.problems) + self.unkept

    def flag(self, mask: pd.Series | np.ndarray, column: str, reason: str) -> None:
        """One problem per row where ``mask`` is true (the first ``keep`` are kept in full)."""
        mask = pd.Series(mask).fillna(False).to_numpy(dtype=bool)
        rows = np.flatnonzero(mask)
        room = max(0, self._keep - len(self.problems))
        self.unkept += max(0, len(rows) - room)
        rows = rows[:room]
        values = (self.frame[column].iloc[rows].astype(object).tolist() if column in self.frame
                  else [None] * len(rows))
        for i, value in zip(rows, values, strict=True):
            text = None if value is None else str(value)[:200]
            self.problems.append(Problem(self.filename, int(i) + 2, column, text, reason))

    def file_problem(self, reason: str, column: str | None = None) -> None:
        self.problems.append(Problem(self.filename, None, column, None, reason))

    def distinct(self, column: str) -> tuple[np.ndarray, pd.Series]:
        """(codes, distinct values) of a column, computed once."""
        if column not in self._distinct:
            s = self.frame[column]
            if isinstance(s.dtype, pd.CategoricalDtype):  # as ``read_file`` returns text
                codes = s.cat.codes.to_numpy()
                uniques = pd.Series(s.cat.categories.to_numpy(dtype=object), dtype=object)
                if (codes < 0).any():
                    codes = np.where(codes < 0, len(uniques), codes)
                    uniques = pd.concat([uniques, pd.Series([None], dtype=object)], ignore_index=True)
            else:
                codes, found = pd.factorize(s, use_na_sentinel=False)
                uniques = pd.Series(found, dtype=object)
            self._distinct[column] = (codes, uniques)
        return self._distinct[column]

    def map(self, column: str, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
        """``fn(frame[column])`` for an element-wise ``fn``, run on the distinct values."""
        codes, uniques = self.distinct(column)
        return self.spread(column, fn(uniques))

    def spread(self, column: str, mapped: pd.Series) -> pd.Series:
        """Values given per distinct value of ``column`` (as ``distinct`` orders them), per row."""
        codes, _ = self.distinct(column)
        return pd.Series(mapped.to_numpy().take(codes), index=self.frame.index, dtype=mapped.dtype)

    def blank(self, column: str) -> pd.Series:
        """True where the column's cell is empty (computed once)."""
        if column not in self._blank:
            self._blank[column] = self.map(column, is_blank)
        return self._blank[column]


def rename_columns(frame: pd.DataFrame, matches: list[ColumnMatch]) -> pd.DataFrame:
    """The columns that feed a field, named after it (``labels.match_columns``); the rest dropped."""
    keep = [i for i, m in enumerate(matches) if m.field]
    out = frame.iloc[:, keep]
    out.columns = [matches[i].field for i in keep]
    return out


def required_present(check: Checker, table: str) -> bool:
    names = list(check.frame.columns)
    for name in sorted({n for n in names if names.count(n) > 1}):
        check.file_problem(f"more than one column is {name!r}", name)
    missing = [c for c in REQUIRED_FIELDS[table] if c not in check.frame.columns]
    for col in missing:
        check.file_problem(f"missing required column {col!r}", col)
    if not missing and check.frame.empty:
        check.file_problem("the file has a header but no data rows")
        return False
    return not missing and len(set(names)) == len(names)


def text_id(check: Checker, column: str) -> pd.Series:
    s = check.map(column, lambda u: u.astype(str).str.strip())
    check.flag(check.blank(column), column, "empty value in a required column")
    return s


def unique(check: Checker, keys: list[str], label: str) -> None:
    dup = pd.Series(_key_codes(check, keys)).duplicated(keep="first")
    check.flag(dup, keys[-1], f"duplicate {label}")


def _key_codes(check: Checker, keys: list[str], typed: dict[str, pd.Series] | None = None) -> np.ndarray:
    """One integer per row that is equal exactly when the ``keys`` values are (typed values
    where given, e.g. months moved to the first day)."""
    combined = np.zeros(len(check.frame), dtype=np.int64)
    for key in keys:
        if typed and key in typed:
            codes, uniques = pd.factorize(typed[key], use_na_sentinel=False)
        else:
            codes, uniques = check.distinct(key)
        combined = combined * (len(uniques) + 1) + codes
    return combined


def text(check: Checker, column: str) -> pd.Series:
    """An optional text column: the cell, or ``None`` when empty."""
    return check.map(column, lambda u: u.where(~is_blank(u), None))


def dates(check: Checker, column: str, required: bool = False, month: bool = False) -> pd.Series:
    """A date column read as a whole (``dates.read_column``): a column refused for its order
    or its two-digit years is one problem naming how to choose; each other value that is not a
    date is a problem of its row. ``month``: moved to the first of the month, with a warning."""
    codes, uniques = check.distinct(column)
    seen = pd.unique(codes)  # distinct values in file order, so examples are the first rows
    read = read_column(uniques.iloc[seen], check.date_format)
    parsed = read.parsed.reindex(uniques.index)
    if read.reading:
        check.readings[column] = read.reading
    if read.refusal:
        check.problems.append(Problem(check.filename, None, column, read.example, read.refusal))
        flag = parsed.isna() & ~is_blank(uniques) & ~read.undecided.reindex(uniques.index,
                                                                             fill_value=False)
    else:
        flag = parsed.isna() & ~is_blank(uniques)
    hint = f"not a date in the chosen format {check.date_format.text}" \
        if check.date_format is not None else _DATE_HINT
    check.flag(check.spread(column, flag), column, hint)
    if required:
        check.flag(check.blank(column), column, "empty value in a required column")
    if month:
        first = month_start(parsed)
        moved = int(check.spread(column, parsed.notna() & (parsed != first)).sum())
        if moved:
            check.warnings.append(f"{check.filename}: {moved} {column} values moved to the first "
                                  "day of their month")
        parsed = first
    return check.spread(column, parsed)


def numbers(check: Checker, column: str, *, money: bool = False, low: float | None = None,
            high: float | None = None, required: bool = False) -> pd.Series:
    values = check.map(column, to_money if money else to_number)
    values = values.where(~np.isinf(values))
    check.flag(values.isna() & ~check.blank(column), column, "not a number")
    if required:
        check.flag(check.blank(column), column, "empty value in a required column")
    if low is not None:
        check.flag(values < low, column, f"below {low:g}" if low else "negative")
    if high is not None:
        check.flag(values > high, column, f"above {high:g}")
    return values


def known_accounts(check: Checker, accounts: set[str] | None) -> None:
    if accounts is not None:
        known = check.map("account_id", lambda u: u.astype(str).str.strip().isin(accounts))
        check.flag(~known & ~check.blank("account_id"), "account_id",
                   "unknown account_id (not in accounts)")


def check_accounts(check: Checker) -> pd.DataFrame:
    f = check.frame
    out = pd.DataFrame({"account_id": text_id(check, "account_id")})
    unique(check, ["account_id"], "account_id")
    for col in ("account_name", "csm", "region", "industry", "segment", "plan"):
        if col in f:
            out[col] = text(check, col)
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
        canon = check.map("complexity", lambda u: u.astype(str).str.strip().str.capitalize())
        check.flag(~canon.isin(COMPLEXITY) & ~check.blank("complexity"), "complexity",
                   "must be Low, Medium or High")
        out["complexity"] = canon.where(canon.isin(COMPLEXITY), None)
    return out


def check_mrr(check: Checker, accounts: set[str] | None) -> pd.DataFrame:
    ids = text_id(check, "account_id")
    known_accounts(check, accounts)
    first = dates(check, "month", required=True, month=True)
    mrr = numbers(check, "mrr", money=True, low=0, required=True)
    out = pd.DataFrame({"account_id": ids, "month": first, "mrr": mrr})
    dup = pd.Series(_key_codes(check, ["account_id", "month"], {"month": first})).duplicated()
    check.flag(dup.to_numpy() & first.notna().to_numpy(), "month", "duplicate (account_id, month)")
    return out


def check_health(check: Checker, accounts: set[str] | None) -> pd.DataFrame:
    ids = text_id(check, "account_id")
    known_accounts(check, accounts)
    out = pd.DataFrame({"account_id": ids, "as_of": dates(check, "as_of", required=True)})
    dup = pd.Series(_key_codes(check, ["account_id", "as_of"], {"as_of": out["as_of"]})).duplicated()
    check.flag(dup.to_numpy() & out["as_of"].notna().to_numpy(), "as_of",
               "duplicate (account_id, as_of)")
    components = [c for c in check.frame.columns if c not in HEALTH_KEYS]
    for col in components:
        _, uniques = check.distinct(col)
        if to_number(uniques).isna().all() and not is_blank(uniques).all():
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
            out[col] = text(check, col)
    if "start_date" in f:
        out["start_date"] = dates(check, "start_date")
    if "hours_per_week" in f:
        out["hours_per_week"] = numbers(check, "hours_per_week", low=0, high=168)
    if "annual_cost" in f:
        out["annual_cost"] = numbers(check, "annual_cost", money=True, low=0)
    return out
