"""Calendar periods (month, quarter, year) and their labels.

A period is named ``2024-03``, ``2024-Q1`` or ``2024``. When only some of its months lie in
the range a figure covers (the data starts mid-quarter, or the quarter is still running at
the as-of month), its label names those months: ``2024-Q4 (Dec only)``, ``2026-Q4 (Oct-Nov)``,
``2024 (Mar-Dec)``. A full-period label therefore always means the whole period.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cs_dashboard.months import from_index, label

#: Months per period.
LENGTHS = {"month": 1, "quarter": 3, "year": 12}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_start(mi: int, period: str) -> int:
    """Month index of the first month of the period containing month index ``mi``."""
    return mi // LENGTHS[period] * LENGTHS[period]


def quarter_name(day: dt.date) -> str:
    """The calendar quarter of ``day``: ``2026-Q3``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_names(dates: pd.Series) -> pd.Series:
    """``quarter_name`` of each date (missing dates stay missing)."""
    d = pd.to_datetime(dates, errors="coerce")
    names = (d.dt.year.astype("Int64").astype(str) + "-Q"
             + d.dt.quarter.astype("Int64").astype(str))
    return names.where(d.notna()).astype(object)


def period_label(mi: int, period: str, first: int | None = None, last: int | None = None) -> str:
    """Label of the period containing month index ``mi``, covered from month index ``first``
    to ``last`` (either open when ``None``); the covered months are named when they are not
    the whole period."""
    d = from_index(mi)
    if period == "month":
        return label(d)
    name = quarter_name(d) if period == "quarter" else str(d.year)
    start = period_start(mi, period)
    end = start + LENGTHS[period] - 1
    lo = start if first is None else max(start, first)
    hi = end if last is None else min(end, last)
    if (lo, hi) == (start, end):
        return name
    if lo == hi:
        return f"{name} ({MONTH_NAMES[lo % 12]} only)"
    return f"{name} ({MONTH_NAMES[lo % 12]}-{MONTH_NAMES[hi % 12]})"


def is_partial(period_name: str) -> bool:
    """True for a label that names the months it covers (``2024-Q4 (Dec only)``)."""
    return period_name.endswith(")")
