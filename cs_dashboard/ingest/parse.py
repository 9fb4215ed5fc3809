"""Parsing text cells into money, numbers and dates, in the formats the README documents.

Accepted money: ``1234.5``, ``$1,234.50``, ``€ 99``, ``-£5``; a comma is a thousands
separator only in groups of three. Accepted dates: ``2024-03-15``, ``2024-03``,
``2024/03/15``, ISO date-times, and Excel date cells. Anything else is NaN / NaT.
"""

from __future__ import annotations

import pandas as pd

DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m", "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S")


def blank(s: pd.Series) -> pd.Series:
    """True where a text cell is empty."""
    return s.isna() | (s.astype(str).str.strip() == "")


def parse_money(s: pd.Series) -> pd.Series:
    """Floats from money text; NaN where empty or unparseable."""
    t = s.astype(str).str.strip()
    t = t.str.replace(r"^([-+]?)\s*[$€£]\s*", r"\1", regex=True)
    grouped = t.str.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
    t = t.where(~grouped, t.str.replace(",", "", regex=False))
    return pd.to_numeric(t.where(~blank(s)), errors="coerce")


def parse_number(s: pd.Series) -> pd.Series:
    """Floats from plain numeric text; NaN where empty or unparseable."""
    return pd.to_numeric(s.astype(str).str.strip().where(~blank(s)), errors="coerce")


def parse_date(s: pd.Series) -> pd.Series:
    """Timestamps from date text in the accepted formats; NaT elsewhere.

    Parses each distinct value once, so a 7-million-row month column costs little.
    """
    text = s.astype(str).str.strip()
    uniques = pd.Series(pd.unique(text))
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(uniques[todo], format=fmt, errors="coerce")
    lookup = pd.Series(parsed.values, index=uniques.values)
    return pd.Series(lookup.reindex(text.values).values, index=s.index).where(~blank(s))
