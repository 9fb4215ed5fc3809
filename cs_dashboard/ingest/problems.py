"""One problem found in an input file, and the report of all of them."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd


@dataclass(frozen=True)
class Problem:
    """A validation problem; ``row`` is the spreadsheet row (header = row 1), ``None`` for the file."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "")
        where += f", column {self.column}" if self.column else ""
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.reason}{value}"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table with columns file, row, column, value, reason."""
    return pd.DataFrame([asdict(p) for p in problems],
                        columns=["file", "row", "column", "value", "reason"])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with text cells that a spreadsheet would run as a formula prefixed by ``'``.

    For CSV downloads of user-supplied values (OWASP "CSV injection"); numbers are left alone.
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype != object:
            continue
        text = out[col].astype(str)
        risky = text.str.startswith(_FORMULA_START) & pd.to_numeric(text, errors="coerce").isna()
        out[col] = out[col].where(~risky | out[col].isna(), "'" + text)
    return out
