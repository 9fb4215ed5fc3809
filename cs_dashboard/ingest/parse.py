"""Parsing text cells into money and numbers, in the formats the README documents (dates are
read a whole column at a time: ``dates``).

Accepted money: ``1234.5``, ``$1,234.50``, ``€ 99``, ``-£5``; a comma is a thousands
separator only in groups of three. Anything else is NaN.

Every function is element-wise, so each parses the distinct values of a column once
(``by_distinct``): a 4-million-row month or score column has a few hundred distinct values.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def by_distinct(s: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn(s)`` for an element-wise ``fn``, computed once per distinct value of ``s``."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    mapped = fn(pd.Series(uniques, dtype=object))
    return pd.Series(mapped.to_numpy().take(codes), index=s.index, dtype=mapped.dtype)


def blank(s: pd.Series) -> pd.Series:
    """True where a text cell is empty."""
    return by_distinct(s, is_blank)


def is_blank(s: pd.Series) -> pd.Series:
    """Element-wise ``blank`` (apply it to distinct values, e.g. through ``by_distinct``)."""
    return s.isna() | (s.astype(str).str.strip() == "")


def parse_money(s: pd.Series) -> pd.Series:
    """Floats from money text; NaN where empty or unparseable."""
    return by_distinct(s, to_money)


def to_money(s: pd.Series) -> pd.Series:
    """Element-wise ``parse_money``."""
    t = s.astype(str).str.strip()
    t = t.str.replace(r"^([-+]?)\s*[$€£]\s*", r"\1", regex=True)
    grouped = t.str.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
    t = t.where(~grouped, t.str.replace(",", "", regex=False))
    return pd.to_numeric(t.where(~is_blank(s)), errors="coerce").astype(float)


def parse_number(s: pd.Series) -> pd.Series:
    """Floats from plain numeric text; NaN where empty or unparseable."""
    return by_distinct(s, to_number)


def to_number(s: pd.Series) -> pd.Series:
    """Element-wise ``parse_number``."""
    return pd.to_numeric(s.astype(str).str.strip().where(~is_blank(s)), errors="coerce").astype(float)


def month_start(dates: pd.Series) -> pd.Series:
    """Each timestamp moved to the first day of its month (NaT stays NaT)."""
    return dates.dt.to_period("M").dt.to_timestamp()
